import {
  MANAGED_BY_VALUE,
  TAG_MANAGED_BY,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { ProvisioningConfig } from '../config';
import type { LoggingSpec } from './inputs';
import { loggingNames } from './naming';
import { policy, PolicyDocument } from './policies';

/** Where Bedrock writes invocation logs under the bucket. */
export const LOG_STREAM_NAME = 'aws/bedrock/modelinvocations';

/** The full desired state of one account + region's invocation logging. Pure. */
export interface LoggingPlan {
  accountId: string;
  region: string;
  tags: Record<string, string>;
  logGroup: { name: string; arn: string; retentionDays: number };
  bucket: {
    name: string;
    arn: string;
    keyPrefix: string;
    versioning: 'Enabled';
    encryption: { algorithm: 'AES256' | 'aws:kms'; kmsKeyArn?: string };
    publicAccessBlock: {
      BlockPublicAcls: true;
      IgnorePublicAcls: true;
      BlockPublicPolicy: true;
      RestrictPublicBuckets: true;
    };
    lifecycle: {
      ruleId: string;
      transitionDays: number;
      storageClass: string;
      expirationDays: number;
      noncurrentExpirationDays: number;
    };
    policy: PolicyDocument;
  };
  role: {
    name: string;
    arn: string;
    trustPolicy: PolicyDocument;
    policyName: string;
    policy: PolicyDocument;
  };
  loggingConfig: {
    cloudWatchConfig: {
      logGroupName: string;
      roleArn: string;
      largeDataDeliveryS3Config: { bucketName: string; keyPrefix: string };
    };
    s3Config: { bucketName: string; keyPrefix: string };
    textDataDeliveryEnabled: boolean;
    imageDataDeliveryEnabled: boolean;
    embeddingDataDeliveryEnabled: boolean;
  };
}

export function buildLoggingPlan(
  spec: LoggingSpec,
  cfg: ProvisioningConfig,
): LoggingPlan {
  const { accountId, region } = spec;
  const names = loggingNames(accountId, region, cfg.logging.logGroupName);
  const keyPrefix = cfg.logging.keyPrefix;
  const bucketArn = `arn:aws:s3:::${names.bucketName}`;
  const logGroupArn = `arn:aws:logs:${region}:${accountId}:log-group:${names.logGroupName}`;
  const bedrockConditions = {
    StringEquals: { 'aws:SourceAccount': accountId },
    ArnLike: { 'aws:SourceArn': `arn:aws:bedrock:${region}:${accountId}:*` },
  };
  const roleArn = `arn:aws:iam::${accountId}:role/${names.roleName}`;
  return {
    accountId,
    region,
    tags: { [TAG_MANAGED_BY]: MANAGED_BY_VALUE },
    logGroup: {
      name: names.logGroupName,
      arn: logGroupArn,
      retentionDays: spec.retentionDays,
    },
    bucket: {
      name: names.bucketName,
      arn: bucketArn,
      keyPrefix,
      versioning: 'Enabled',
      encryption: spec.kmsKeyArn
        ? { algorithm: 'aws:kms', kmsKeyArn: spec.kmsKeyArn }
        : { algorithm: 'AES256' },
      publicAccessBlock: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
      lifecycle: {
        ruleId: 'bedrock-invocation-logs-lifecycle',
        transitionDays: spec.transitionDays,
        storageClass: cfg.logging.transitionStorageClass,
        expirationDays: spec.expirationDays,
        noncurrentExpirationDays: 30,
      },
      policy: policy(
        {
          Sid: 'AllowBedrockInvocationLogDelivery',
          Effect: 'Allow',
          Principal: { Service: 'bedrock.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${bucketArn}/${keyPrefix}/AWSLogs/${accountId}/BedrockModelInvocationLogs/*`,
          Condition: bedrockConditions,
        },
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [bucketArn, `${bucketArn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ),
    },
    role: {
      name: names.roleName,
      arn: roleArn,
      trustPolicy: policy({
        Sid: 'AllowBedrockToDeliverLogs',
        Effect: 'Allow',
        Principal: { Service: 'bedrock.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: bedrockConditions,
      }),
      policyName: names.rolePolicyName,
      policy: policy({
        Sid: 'WriteInvocationLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `${logGroupArn}:log-stream:${LOG_STREAM_NAME}`,
      }),
    },
    loggingConfig: {
      cloudWatchConfig: {
        logGroupName: names.logGroupName,
        roleArn,
        largeDataDeliveryS3Config: { bucketName: names.bucketName, keyPrefix },
      },
      s3Config: { bucketName: names.bucketName, keyPrefix },
      textDataDeliveryEnabled: spec.textDataDeliveryEnabled,
      imageDataDeliveryEnabled: spec.imageDataDeliveryEnabled,
      embeddingDataDeliveryEnabled: spec.embeddingDataDeliveryEnabled,
    },
  };
}
