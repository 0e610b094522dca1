import type { ProvisioningConfig } from '../config';
import type { LoggingSpec } from './loggingInput';
import { arns, loggingNames } from './naming';
import { policy } from './policies';
import { suiteTags } from './resources/tags';
import type { LoggingPlan } from './types';

export function buildLoggingPlan(
  spec: LoggingSpec,
  cfg: ProvisioningConfig,
): LoggingPlan {
  const { accountId, region } = spec;
  const names = loggingNames(accountId, region, cfg.logging.logGroupName);
  const keyPrefix = cfg.logging.keyPrefix;
  const bucketArn = names.bucketArn;
  const bedrockConditions = {
    StringEquals: { 'aws:SourceAccount': accountId },
    ArnLike: { 'aws:SourceArn': arns.bedrock(region, accountId) },
  };
  const roleArn = names.roleArn;
  return {
    accountId,
    region,
    tags: suiteTags(),
    logGroup: {
      name: names.logGroupName,
      arn: names.logGroupArn,
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
          Resource: names.deliveredObjectsArn(keyPrefix),
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
        Resource: names.logStreamArn,
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

export type { LoggingPlan } from './types';
