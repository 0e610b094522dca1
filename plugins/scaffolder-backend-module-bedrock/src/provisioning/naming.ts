import { createHash } from 'node:crypto';
import {
  defaultAlarmPrefix,
  defaultBudgetName,
} from '@bedrock-tenancy/plugin-bedrock-common';

/** Longest tenant id whose derived names still fit every AWS limit (role 64, bucket 63, profile 64). */
export const MAX_TENANT_ID_LENGTH = 32;

const shortHash = (s: string, n = 8) =>
  createHash('sha256').update(s).digest('hex').slice(0, n);

/** The alarm kinds every tenant gets, and the suffix of their names. */
export const ALARM_KINDS = [
  'tokens',
  'errors',
  'invocations',
  'latency',
  'throttles',
] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

/** Every name a tenant's resources get: derived from the tenant id only, never guessed. */
export function tenantNames(tenantId: string) {
  const alarmPrefix = defaultAlarmPrefix(tenantId);
  return {
    roleName: `bedrock-tenant-${tenantId}`,
    invokePolicyName: 'bedrock-tenant-invoke',
    suspendPolicyName: 'bedrock-tenancy-suspended',
    dashboardName: `bedrock-${tenantId}`,
    topicName: `bedrock-${tenantId}-alerts`,
    budgetName: defaultBudgetName(tenantId),
    alarmPrefix,
    alarmName: (kind: AlarmKind) => `${alarmPrefix}${kind}`,
    /**
     * `<tenant>-<model slug>-<hash>`: readable, unique per (tenant, model), at most 64 characters
     * and matching `([0-9a-zA-Z][ _-]?)+`.
     */
    profileName: (modelId: string) => {
      const slug = modelId
        .replace(/[^a-zA-Z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '');
      const hash = shortHash(`${tenantId}:${modelId}`);
      const room = 64 - tenantId.length - hash.length - 2;
      const cut = slug.slice(0, Math.max(0, room)).replace(/-+$/, '');
      return cut ? `${tenantId}-${cut}-${hash}` : `${tenantId}-${hash}`;
    },
    /** deterministic CreateInferenceProfile client token, so a retried create does not duplicate */
    profileClientToken: (modelId: string) =>
      `bt-${shortHash(`${tenantId}:${modelId}`, 32)}`,
  };
}
export type TenantNames = ReturnType<typeof tenantNames>;

/** Names of the shared invocation-logging resources of one account + region. */
export function loggingNames(
  accountId: string,
  region: string,
  logGroupName: string,
) {
  return {
    logGroupName,
    bucketName: `bedrock-invocation-logs-${accountId}-${region}`,
    roleName: `bedrock-tenancy-invocation-logging-${region}`,
    rolePolicyName: 'bedrock-invocation-logging',
  };
}
export type LoggingNames = ReturnType<typeof loggingNames>;
