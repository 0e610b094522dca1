import { createHash } from 'node:crypto';
import {
  SUSPEND_POLICY_NAME,
  tenantProfileName,
  tenantRoleName,
} from '@bedrock-tenancy/plugin-bedrock-node';
import {
  ALARM_KINDS,
  defaultAlarmPrefix,
  defaultBudgetName,
  tenantAlarmName,
  tenantAlarmNames,
  type AlarmKind,
} from '@bedrock-tenancy/plugin-bedrock-common';

/** Longest tenant id whose derived names still fit every AWS limit (role 64, bucket 63, profile 64). */
export const MAX_TENANT_ID_LENGTH = 32;

const shortHash = (s: string, n = 8) =>
  createHash('sha256').update(s).digest('hex').slice(0, n);

/** Where Bedrock writes invocation logs in the log group. */
export const LOG_STREAM_NAME = 'aws/bedrock/modelinvocations';

/** Every ARN the suite builds, in one place. */
export const arns = {
  accountRoot: (accountId: string) => `arn:aws:iam::${accountId}:root`,
  role: (accountId: string, roleName: string) =>
    `arn:aws:iam::${accountId}:role/${roleName}`,
  topic: (region: string, accountId: string, topicName: string) =>
    `arn:aws:sns:${region}:${accountId}:${topicName}`,
  alarm: (region: string, accountId: string, alarmName: string) =>
    `arn:aws:cloudwatch:${region}:${accountId}:alarm:${alarmName}`,
  /** every budget of an account (a source ARN condition) */
  budgets: (accountId: string) => `arn:aws:budgets::${accountId}:*`,
  /** every Bedrock resource of an account + region (a source ARN condition) */
  bedrock: (region: string, accountId: string) =>
    `arn:aws:bedrock:${region}:${accountId}:*`,
  /** a foundation model in any region (what a cross-region profile routes to) */
  foundationModelAnyRegion: (modelId: string) =>
    `arn:aws:bedrock:*::foundation-model/${modelId}`,
  applicationProfile: (region: string, accountId: string, profileId: string) =>
    `arn:aws:bedrock:${region}:${accountId}:application-inference-profile/${profileId}`,
  bucket: (bucketName: string) => `arn:aws:s3:::${bucketName}`,
  logGroup: (region: string, accountId: string, logGroupName: string) =>
    `arn:aws:logs:${region}:${accountId}:log-group:${logGroupName}`,
};

/** The alarm kinds and the names they give (one source of truth, shared with the backend). */
export { ALARM_KINDS, type AlarmKind };

/**
 * Every name a tenant's resources get: derived from the tenant id only, never guessed.
 *
 * @public
 */
export function tenantNames(tenantId: string) {
  const alarmPrefix = defaultAlarmPrefix(tenantId);
  return {
    roleName: tenantRoleName(tenantId),
    invokePolicyName: 'bedrock-tenant-invoke',
    suspendPolicyName: SUSPEND_POLICY_NAME,
    dashboardName: `bedrock-${tenantId}`,
    topicName: `bedrock-${tenantId}-alerts`,
    budgetName: defaultBudgetName(tenantId),
    alarmPrefix,
    alarmName: (kind: AlarmKind) => tenantAlarmName(alarmPrefix, kind),
    /** every alarm name of the tenant (the same in each region): its alarms are these, exactly */
    alarmNames: tenantAlarmNames(alarmPrefix),
    /**
     * `<tenant>-<model slug>-<hash>`: readable, unique per (tenant, model), at most 64 characters
     * and matching `([0-9a-zA-Z][ _-]?)+`. Shared with the backend, which recognises the tenant's
     * profiles in AWS by this name (`tenantProfileName` of plugin-bedrock-node).
     */
    profileName: (modelId: string) => tenantProfileName(tenantId, modelId),
    /** deterministic CreateInferenceProfile client token, so a retried create does not duplicate */
    profileClientToken: (modelId: string) =>
      `bt-${shortHash(`${tenantId}:${modelId}`, 32)}`,
  };
}
/**
 * The names of a tenant's resources.
 *
 * @public
 */
export type TenantNames = ReturnType<typeof tenantNames>;

/** The ARNs of a tenant's resources in its account + region. */
export function tenantArns(
  tenantId: string,
  accountId: string,
  region: string,
) {
  const names = tenantNames(tenantId);
  return {
    role: arns.role(accountId, names.roleName),
    topic: arns.topic(region, accountId, names.topicName),
    /** every alarm of the tenant (the topic policy lets only these publish) */
    alarms: arns.alarm(region, accountId, `${names.alarmPrefix}*`),
    /** the ARN a profile will get, while it does not exist yet (dry run) */
    pendingProfile: (profileName: string) =>
      arns.applicationProfile(region, accountId, `<pending:${profileName}>`),
  };
}

/** Names of the shared invocation-logging resources of one account + region. */
export function loggingNames(
  accountId: string,
  region: string,
  logGroupName: string,
) {
  const bucketName = `bedrock-invocation-logs-${accountId}-${region}`;
  const roleName = `bedrock-tenancy-invocation-logging-${region}`;
  const logGroupArn = arns.logGroup(region, accountId, logGroupName);
  return {
    logGroupName,
    logGroupArn,
    /** the stream Bedrock writes to (the delivery role may write only there) */
    logStreamArn: `${logGroupArn}:log-stream:${LOG_STREAM_NAME}`,
    bucketName,
    bucketArn: arns.bucket(bucketName),
    /** the objects Bedrock delivers under `keyPrefix` */
    deliveredObjectsArn: (keyPrefix: string) =>
      `${arns.bucket(
        bucketName,
      )}/${keyPrefix}/AWSLogs/${accountId}/BedrockModelInvocationLogs/*`,
    roleName,
    roleArn: arns.role(accountId, roleName),
    rolePolicyName: 'bedrock-invocation-logging',
  };
}

/** The id of an application inference profile: the last segment of its ARN. */
export const profileIdFromArn = (arn: string) => arn.split('/').pop()!;
export type LoggingNames = ReturnType<typeof loggingNames>;
