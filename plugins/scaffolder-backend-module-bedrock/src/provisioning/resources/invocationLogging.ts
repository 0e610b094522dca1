/* The account + region's model invocation logging configuration (one per region, shared by tenants). */
import {
  GetModelInvocationLoggingConfigurationCommand,
  PutModelInvocationLoggingConfigurationCommand,
  type LoggingConfig,
} from '@aws-sdk/client-bedrock';
import type { AwsClients } from '@bedrock-tenancy/plugin-bedrock-node';
import { orUndefined } from '@bedrock-tenancy/plugin-bedrock-node';
import type { ChangeLog } from '../changes';
import type { LoggingPlan } from '../types';
import { sameJson } from '../policies';
import { NO_RETRY, retryOn, type RetryOptions } from './retry';

type Bedrock = Pick<AwsClients, 'bedrock'>;

/** The configuration, when it delivers anywhere. */
export async function readInvocationLogging(
  aws: Bedrock,
): Promise<LoggingConfig | undefined> {
  const current = await orUndefined(
    () =>
      aws.bedrock.send(new GetModelInvocationLoggingConfigurationCommand({})),
    'ResourceNotFoundException',
  );
  const cfg = current?.loggingConfig;
  return cfg && (cfg.cloudWatchConfig || cfg.s3Config) ? cfg : undefined;
}

/** A configuration that delivers elsewhere, or through a role the suite does not manage, is not ours. */
export function invocationLoggingProblem(
  cfg: LoggingConfig | undefined,
  plan: LoggingPlan,
  roleManaged: boolean,
) {
  if (!cfg) return undefined;
  const pointsHere =
    cfg.cloudWatchConfig?.logGroupName === plan.logGroup.name &&
    cfg.cloudWatchConfig?.roleArn === plan.role.arn &&
    (cfg.s3Config?.bucketName ?? plan.bucket.name) === plan.bucket.name;
  if (pointsHere && roleManaged) return undefined;
  return `the invocation logging configuration already delivers to log group "${
    cfg.cloudWatchConfig?.logGroupName ?? '-'
  }", bucket "${cfg.s3Config?.bucketName ?? '-'}" (role "${
    cfg.cloudWatchConfig?.roleArn ?? '-'
  }"), which this suite did not create`;
}

/** The fields the suite sets, as the plan writes them. */
function comparable(cfg: LoggingConfig | undefined) {
  const have = cfg && {
    cloudWatchConfig: cfg.cloudWatchConfig && {
      logGroupName: cfg.cloudWatchConfig.logGroupName,
      roleArn: cfg.cloudWatchConfig.roleArn,
      largeDataDeliveryS3Config: cfg.cloudWatchConfig
        .largeDataDeliveryS3Config && {
        bucketName: cfg.cloudWatchConfig.largeDataDeliveryS3Config.bucketName,
        keyPrefix: cfg.cloudWatchConfig.largeDataDeliveryS3Config.keyPrefix,
      },
    },
    s3Config: cfg.s3Config && {
      bucketName: cfg.s3Config.bucketName,
      keyPrefix: cfg.s3Config.keyPrefix,
    },
    textDataDeliveryEnabled: cfg.textDataDeliveryEnabled ?? false,
    imageDataDeliveryEnabled: cfg.imageDataDeliveryEnabled ?? false,
    embeddingDataDeliveryEnabled: cfg.embeddingDataDeliveryEnabled ?? false,
  };
  return JSON.parse(JSON.stringify(have ?? null));
}

/**
 * Puts the planned configuration unless it is in place. `retry` covers a delivery role IAM has
 * just created: Bedrock cannot assume it for a few seconds.
 */
export async function convergeInvocationLogging(
  aws: Bedrock,
  plan: LoggingPlan,
  current: LoggingConfig | undefined,
  log: ChangeLog,
  retry: RetryOptions = NO_RETRY,
) {
  const desired = plan.loggingConfig;
  if (sameJson(comparable(current), desired)) return;
  await retryOn(['ValidationException', 'AccessDeniedException'], retry, () =>
    aws.bedrock.send(
      new PutModelInvocationLoggingConfigurationCommand({
        loggingConfig: desired,
      }),
    ),
  );
  log.add('Put model invocation logging configuration', {
    accountId: plan.accountId,
    region: plan.region,
    textDataDeliveryEnabled: desired.textDataDeliveryEnabled,
  });
}
