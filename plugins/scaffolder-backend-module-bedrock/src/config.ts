import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  ACCOUNT_ID_PATTERN,
  REGION_PATTERN,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { z } from 'zod';
import {
  readGuardrailDefaults,
  type GuardrailDefaults,
} from './provisioning/guardrailPlan';

/** One model tenants may get: the base model id and the ARN its application inference profile copies from. */
export interface AllowedModel {
  /** base model id, e.g. `anthropic.claude-3-haiku-20240307-v1:0` */
  id: string;
  /**
   * Foundation-model or system inference profile ARN; `{region}` and `{accountId}` are replaced
   * with the tenant's region and account.
   */
  copyFrom: string;
}

export interface AlarmThresholds {
  /** input + output tokens per hour */
  tokensPerHour: number;
  /** client + server errors per 5 minutes */
  errorsPer5Minutes: number;
  /** invocations per hour */
  invocationsPerHour: number;
  /** average invocation latency, milliseconds, per 5 minutes */
  latencyMs: number;
  /** throttled calls per 5 minutes */
  throttlesPer5Minutes: number;
  /**
   * average time to first token (streaming requests), milliseconds, per 5 minutes; optional,
   * no default: the tenant has a `ttft` alarm only when its template sets one
   */
  ttftMs?: number;
}

export interface LoggingDefaults {
  logGroupName: string;
  retentionDays: number;
  keyPrefix: string;
  transitionDays: number;
  transitionStorageClass:
    | 'STANDARD_IA'
    | 'INTELLIGENT_TIERING'
    | 'GLACIER_IR'
    | 'GLACIER';
  expirationDays: number;
  /** KMS key ARN for the bucket's default encryption; SSE-S3 when unset */
  kmsKeyArn?: string;
  allowTakeover: boolean;
}

/** The `bedrock.provisioning` config section, with defaults applied. */
export interface ProvisioningConfig {
  accounts: string[];
  regions: string[];
  models: AllowedModel[];
  thresholds: AlarmThresholds;
  trustPrincipals: string[];
  monthlyBudgetUsd: number;
  logging: LoggingDefaults;
  /** operator defaults of tenant guardrails; undefined: templates cannot ask for one */
  guardrail?: GuardrailDefaults;
  /** directory the catalog reads provisioned tenant entities from (bedrock:catalog:publish) */
  catalogDirectory?: string;
  /** endpoint override of every AWS client (bedrock.aws.endpoint) */
  endpoint?: string;
}

export const DEFAULT_THRESHOLDS: AlarmThresholds = {
  tokensPerHour: 100_000,
  errorsPer5Minutes: 10,
  invocationsPerHour: 1_000,
  latencyMs: 10_000,
  throttlesPer5Minutes: 0,
};

export const DEFAULT_LOGGING: LoggingDefaults = {
  logGroupName: '/aws/bedrock/modelinvocations',
  retentionDays: 30,
  keyPrefix: 'bedrock-logs',
  transitionDays: 30,
  transitionStorageClass: 'STANDARD_IA',
  expirationDays: 365,
  allowTakeover: false,
};

// app-config values substituted from the environment arrive as strings
const num = (
  check: (n: z.ZodNumber) => z.ZodType<number> = n => n,
): z.ZodType<number, z.ZodTypeDef, unknown> =>
  z.preprocess(
    v => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v),
    check(z.number()),
  );
const bool: z.ZodType<boolean, z.ZodTypeDef, unknown> = z.preprocess(v => {
  if (v === 'true' || v === 'false') return v === 'true';
  return v;
}, z.boolean());

const provisioningSchema = z.object({
  accounts: z
    .array(z.string().regex(ACCOUNT_ID_PATTERN, 'not a 12-digit account id'))
    .default([]),
  regions: z
    .array(z.string().regex(REGION_PATTERN, 'not an AWS region'))
    .default([]),
  models: z
    .array(
      z.object({
        id: z.string().min(1),
        copyFrom: z.string().startsWith('arn:', 'an ARN (arn:...)'),
      }),
    )
    .default([]),
  thresholds: z
    .object({
      tokensPerHour: num(n => n.positive()).default(
        DEFAULT_THRESHOLDS.tokensPerHour,
      ),
      errorsPer5Minutes: num(n => n.nonnegative()).default(
        DEFAULT_THRESHOLDS.errorsPer5Minutes,
      ),
      invocationsPerHour: num(n => n.positive()).default(
        DEFAULT_THRESHOLDS.invocationsPerHour,
      ),
      latencyMs: num(n => n.positive()).default(DEFAULT_THRESHOLDS.latencyMs),
      throttlesPer5Minutes: num(n => n.nonnegative()).default(
        DEFAULT_THRESHOLDS.throttlesPer5Minutes,
      ),
    })
    .default({}),
  trustPrincipals: z.array(z.string().min(1)).default([]),
  monthlyBudgetUsd: num(n => n.positive()).default(100),
  logging: z
    .object({
      logGroupName: z.string().min(1).default(DEFAULT_LOGGING.logGroupName),
      retentionDays: num(n => n.int().positive()).default(
        DEFAULT_LOGGING.retentionDays,
      ),
      keyPrefix: z.string().min(1).default(DEFAULT_LOGGING.keyPrefix),
      transitionDays: num(n => n.int().positive()).default(
        DEFAULT_LOGGING.transitionDays,
      ),
      transitionStorageClass: z
        .enum(['STANDARD_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR', 'GLACIER'])
        .default(DEFAULT_LOGGING.transitionStorageClass),
      expirationDays: num(n => n.int().positive()).default(
        DEFAULT_LOGGING.expirationDays,
      ),
      kmsKeyArn: z.string().startsWith('arn:', 'a KMS key ARN').optional(),
      allowTakeover: bool.default(DEFAULT_LOGGING.allowTakeover),
    })
    .default({}),
  catalogDirectory: z.string().optional(),
});

/**
 * Reads `bedrock.provisioning` and `bedrock.aws.endpoint`, with defaults. A bad value is an
 * InputError naming the key, at startup rather than in the first task.
 */
export function readProvisioningConfig(root: Config): ProvisioningConfig {
  const parsed = provisioningSchema.safeParse(
    root.getOptional('bedrock.provisioning') ?? {},
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `bedrock.provisioning.${issue.path.join('.')}: ${issue.message}`,
    );
  }
  return {
    ...parsed.data,
    // validated by its own reader: a template may tighten these defaults, never loosen them
    guardrail: readGuardrailDefaults(
      root.getOptional('bedrock.provisioning.guardrail'),
    ),
    endpoint: root.getOptionalString('bedrock.aws.endpoint') || undefined,
  };
}
