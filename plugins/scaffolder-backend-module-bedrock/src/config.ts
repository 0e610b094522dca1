import type { Config } from '@backstage/config';
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

/** Reads `bedrock.provisioning` and `bedrock.aws.endpoint`. */
export function readProvisioningConfig(root: Config): ProvisioningConfig {
  const c = root.getOptionalConfig('bedrock.provisioning');
  const t = c?.getOptionalConfig('thresholds');
  const l = c?.getOptionalConfig('logging');
  return {
    accounts: c?.getOptionalStringArray('accounts') ?? [],
    regions: c?.getOptionalStringArray('regions') ?? [],
    models: (c?.getOptionalConfigArray('models') ?? []).map(m => ({
      id: m.getString('id'),
      copyFrom: m.getString('copyFrom'),
    })),
    thresholds: {
      tokensPerHour:
        t?.getOptionalNumber('tokensPerHour') ??
        DEFAULT_THRESHOLDS.tokensPerHour,
      errorsPer5Minutes:
        t?.getOptionalNumber('errorsPer5Minutes') ??
        DEFAULT_THRESHOLDS.errorsPer5Minutes,
      invocationsPerHour:
        t?.getOptionalNumber('invocationsPerHour') ??
        DEFAULT_THRESHOLDS.invocationsPerHour,
      latencyMs:
        t?.getOptionalNumber('latencyMs') ?? DEFAULT_THRESHOLDS.latencyMs,
      throttlesPer5Minutes:
        t?.getOptionalNumber('throttlesPer5Minutes') ??
        DEFAULT_THRESHOLDS.throttlesPer5Minutes,
    },
    trustPrincipals: c?.getOptionalStringArray('trustPrincipals') ?? [],
    monthlyBudgetUsd: c?.getOptionalNumber('monthlyBudgetUsd') ?? 100,
    logging: {
      logGroupName:
        l?.getOptionalString('logGroupName') ?? DEFAULT_LOGGING.logGroupName,
      retentionDays:
        l?.getOptionalNumber('retentionDays') ?? DEFAULT_LOGGING.retentionDays,
      keyPrefix: l?.getOptionalString('keyPrefix') ?? DEFAULT_LOGGING.keyPrefix,
      transitionDays:
        l?.getOptionalNumber('transitionDays') ??
        DEFAULT_LOGGING.transitionDays,
      transitionStorageClass:
        (l?.getOptionalString(
          'transitionStorageClass',
        ) as LoggingDefaults['transitionStorageClass']) ??
        DEFAULT_LOGGING.transitionStorageClass,
      expirationDays:
        l?.getOptionalNumber('expirationDays') ??
        DEFAULT_LOGGING.expirationDays,
      kmsKeyArn: l?.getOptionalString('kmsKeyArn'),
      allowTakeover:
        l?.getOptionalBoolean('allowTakeover') ?? DEFAULT_LOGGING.allowTakeover,
    },
    guardrail: readGuardrailDefaults(c?.getOptional('guardrail')),
    catalogDirectory: c?.getOptionalString('catalogDirectory'),
    endpoint: root.getOptionalString('bedrock.aws.endpoint') || undefined,
  };
}
