/* The input of bedrock:logging:ensure: one schema, the action's declared input and its parser. */
import {
  ACCOUNT_ID_PATTERN,
  REGION_PATTERN,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { InputError } from '@backstage/errors';
import type { ProvisioningConfig } from '../config';
import { oneOf, parseInput } from './inputs';
import { field, inputParser, type InputFields } from './inputSchema';

export interface LoggingSpec {
  accountId: string;
  region: string;
  retentionDays: number;
  transitionDays: number;
  expirationDays: number;
  kmsKeyArn?: string;
  textDataDeliveryEnabled: boolean;
  imageDataDeliveryEnabled: boolean;
  embeddingDataDeliveryEnabled: boolean;
  takeover: boolean;
}

/** Retention values CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
  2192, 2557, 2922, 3288, 3653,
];

/** The input of bedrock:logging:ensure: one account + region's invocation logging. */
export const LOGGING_INPUT: InputFields = zod => ({
  accountId: field({
    type: zod.string({
      description: 'AWS account id, one of bedrock.provisioning.accounts',
    }),
    check: (s, cfg) => oneOf(cfg.accounts, 'account', ACCOUNT_ID_PATTERN, s),
  }),
  region: field({
    type: zod.string({
      description: 'AWS region, one of bedrock.provisioning.regions',
    }),
    check: (s, cfg) => oneOf(cfg.regions, 'region', REGION_PATTERN, s),
  }),
  retentionDays: field({
    type: zod.number({
      description: 'Log group retention in days (default 30)',
    }),
    check: s =>
      s
        .int()
        .refine(
          v => LOG_RETENTION_DAYS.includes(v),
          `one of ${LOG_RETENTION_DAYS.join(', ')}`,
        ),
    default: cfg => cfg.logging.retentionDays,
  }),
  transitionDays: field({
    type: zod.number({
      description:
        'Days before log objects move to the infrequent-access class (>= 30)',
    }),
    check: s => s.int().min(30),
    default: cfg => cfg.logging.transitionDays,
  }),
  expirationDays: field({
    type: zod.number({ description: 'Days before log objects expire' }),
    check: s => s.int().positive(),
    default: cfg => cfg.logging.expirationDays,
  }),
  kmsKeyArn: field({
    type: zod.string({
      description: 'KMS key for the bucket; SSE-S3 when unset',
    }),
    check: s =>
      s.regex(
        /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[\w/-]+$/,
        'a KMS key ARN',
      ),
    optional: true,
  }),
  textDataDeliveryEnabled: field({
    type: zod.boolean({
      description: 'Log prompt and response text (default false)',
    }),
    default: () => false,
  }),
  imageDataDeliveryEnabled: field({
    type: zod.boolean({ description: 'Log image data (default false)' }),
    default: () => false,
  }),
  embeddingDataDeliveryEnabled: field({
    type: zod.boolean({ description: 'Log embeddings (default false)' }),
    default: () => false,
  }),
  takeover: field({
    type: zod.boolean({
      description:
        'Replace a logging configuration this suite did not create (default bedrock.provisioning.logging.allowTakeover)',
    }),
    default: cfg => cfg.logging.allowTakeover,
  }),
});

export function loggingSpecSchema(cfg: ProvisioningConfig) {
  return inputParser(LOGGING_INPUT, cfg);
}

export function parseLoggingSpec(
  cfg: ProvisioningConfig,
  input: unknown,
): LoggingSpec {
  const spec = parseInput<LoggingSpec>(loggingSpecSchema(cfg), input);
  if (spec.expirationDays <= spec.transitionDays) {
    throw new InputError(
      'Invalid input: expirationDays: must be after transitionDays',
    );
  }
  return { ...spec, kmsKeyArn: spec.kmsKeyArn ?? cfg.logging.kmsKeyArn };
}
