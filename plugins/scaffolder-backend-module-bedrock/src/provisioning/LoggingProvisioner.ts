import {
  GetModelInvocationLoggingConfigurationCommand,
  PutModelInvocationLoggingConfigurationCommand,
} from '@aws-sdk/client-bedrock';
import {
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand as ListLogTagsCommand,
  PutRetentionPolicyCommand,
  TagResourceCommand as TagLogGroupCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  MANAGED_BY_VALUE,
  TAG_MANAGED_BY,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { AwsClientFactory, AwsClients } from '../aws/clients';
import { isAwsError, orUndefined } from '../aws/errors';
import type { ProvisioningConfig } from '../config';
import { ChangeLog } from './changes';
import type { LoggingSpec } from './inputs';
import { buildLoggingPlan, LoggingPlan } from './loggingPlan';
import { parsePolicy, sameJson } from './policies';

export interface RetryOptions {
  attempts: number;
  delayMs: number;
}

/** Retries `fn` while it fails with one of the named AWS errors. */
export async function retryOn<T>(
  names: string[],
  options: RetryOptions,
  fn: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= options.attempts || !isAwsError(e, ...names)) throw e;
      await new Promise(r => setTimeout(r, options.delayMs));
    }
  }
}

export interface LoggingResult {
  plan: LoggingPlan;
  changes: string[];
}

const tagList = (tags: Record<string, string>) =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
const tagMap = (tags: Array<{ Key?: string; Value?: string }> | undefined) =>
  Object.fromEntries((tags ?? []).map(t => [t.Key ?? '', t.Value ?? '']));
const ours = (tags: Record<string, string> | undefined) =>
  tags?.[TAG_MANAGED_BY] === MANAGED_BY_VALUE;

/** Converges the invocation logging of one account + region to its plan. */
export class LoggingProvisioner {
  readonly #clients: AwsClientFactory;
  readonly #config: ProvisioningConfig;
  readonly #logger?: LoggerService;
  readonly #retry: RetryOptions;

  static create(options: {
    clients: AwsClientFactory;
    config: ProvisioningConfig;
    logger?: LoggerService;
    /** retries of calls that wait for IAM propagation; default 6 attempts, 5 s apart */
    retry?: RetryOptions;
  }) {
    return new LoggingProvisioner(
      options.clients,
      options.config,
      options.logger,
      options.retry ?? { attempts: 6, delayMs: 5000 },
    );
  }

  private constructor(
    clients: AwsClientFactory,
    config: ProvisioningConfig,
    logger: LoggerService | undefined,
    retry: RetryOptions,
  ) {
    this.#clients = clients;
    this.#config = config;
    this.#logger = logger;
    this.#retry = retry;
  }

  plan(spec: LoggingSpec): LoggingPlan {
    return buildLoggingPlan(spec, this.#config);
  }

  async apply(spec: LoggingSpec): Promise<LoggingResult> {
    const plan = this.plan(spec);
    const aws = await this.#clients.forTarget(spec.accountId, spec.region);
    const log = new ChangeLog(this.#logger);

    // 1. read everything and refuse before changing anything
    const current = await orUndefined(
      () =>
        aws.bedrock.send(new GetModelInvocationLoggingConfigurationCommand({})),
      'ResourceNotFoundException',
    );
    const logGroupTags = await this.#logGroupTags(aws, plan);
    const bucketTags = await this.#bucketTags(aws, plan);
    const roleTags = await this.#roleTags(aws, plan);
    const problems: string[] = [];
    const cfg = current?.loggingConfig;
    if (cfg && (cfg.cloudWatchConfig || cfg.s3Config)) {
      const pointsHere =
        cfg.cloudWatchConfig?.logGroupName === plan.logGroup.name &&
        cfg.cloudWatchConfig?.roleArn === plan.role.arn &&
        (cfg.s3Config?.bucketName ?? plan.bucket.name) === plan.bucket.name;
      if (!pointsHere || !ours(roleTags)) {
        problems.push(
          `the invocation logging configuration already delivers to log group "${
            cfg.cloudWatchConfig?.logGroupName ?? '-'
          }", bucket "${cfg.s3Config?.bucketName ?? '-'}" (role "${
            cfg.cloudWatchConfig?.roleArn ?? '-'
          }"), which this suite did not create`,
        );
      }
    }
    if (logGroupTags && !ours(logGroupTags))
      problems.push(
        `log group ${plan.logGroup.name} exists and is not managed by this suite`,
      );
    if (bucketTags && !ours(bucketTags))
      problems.push(
        `bucket ${plan.bucket.name} exists and is not managed by this suite`,
      );
    if (roleTags && !ours(roleTags))
      problems.push(
        `role ${plan.role.name} exists and is not managed by this suite`,
      );
    if (problems.length && !spec.takeover) {
      throw new ConflictError(
        `Refusing to change invocation logging of ${spec.accountId}/${
          spec.region
        }: ${problems.join(
          '; ',
        )}. Nothing was changed. Set takeover: true to replace it.`,
      );
    }
    if (problems.length) {
      log.add('Taking over existing invocation logging resources', {
        problems,
      });
    }

    await this.#ensureLogGroup(aws, plan, logGroupTags, log);
    await this.#ensureBucket(aws, plan, bucketTags, log);
    const roleCreated = !roleTags;
    await this.#ensureRole(aws, plan, roleTags, log);

    const desired = plan.loggingConfig;
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
    if (!sameJson(JSON.parse(JSON.stringify(have ?? null)), desired)) {
      // a role IAM has just created takes a few seconds until Bedrock can assume it
      await retryOn(
        ['ValidationException', 'AccessDeniedException'],
        roleCreated ? this.#retry : { attempts: 1, delayMs: 0 },
        () =>
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
    return { plan, changes: log.changes };
  }

  async #logGroupTags(aws: AwsClients, plan: LoggingPlan) {
    const res = await aws.logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: plan.logGroup.name }),
    );
    const group = res.logGroups?.find(
      g => g.logGroupName === plan.logGroup.name,
    );
    if (!group) return undefined;
    const tags = await aws.logs.send(
      new ListLogTagsCommand({ resourceArn: plan.logGroup.arn }),
    );
    return {
      ...(tags.tags ?? {}),
      '@retention': String(group.retentionInDays ?? ''),
    };
  }

  async #bucketTags(aws: AwsClients, plan: LoggingPlan) {
    let exists;
    try {
      exists = await orUndefined(
        () => aws.s3.send(new HeadBucketCommand({ Bucket: plan.bucket.name })),
        'NotFound',
        'NoSuchBucket',
      );
    } catch (e) {
      if (
        isAwsError(e, 'Forbidden', 'AccessDenied') ||
        (e as any)?.$metadata?.httpStatusCode === 403
      ) {
        throw new ConflictError(
          `Bucket name ${plan.bucket.name} is taken by a bucket this account cannot access (another account's?). Nothing was changed.`,
        );
      }
      throw e;
    }
    if (!exists) return undefined;
    const res = await orUndefined(
      () =>
        aws.s3.send(new GetBucketTaggingCommand({ Bucket: plan.bucket.name })),
      'NoSuchTagSet',
    );
    if (!res?.TagSet?.length) {
      // S3 cannot tag a bucket as it creates it: a run that failed between CreateBucket and
      // PutBucketTagging leaves our bucket untagged. An untagged, empty bucket without a policy
      // under our deterministic name is that bucket: adopt it. Anything else is someone else's.
      const objects = await aws.s3.send(
        new ListObjectsV2Command({ Bucket: plan.bucket.name, MaxKeys: 1 }),
      );
      const policy = await orUndefined(
        () =>
          aws.s3.send(new GetBucketPolicyCommand({ Bucket: plan.bucket.name })),
        'NoSuchBucketPolicy',
      );
      if (!objects.KeyCount && !policy?.Policy)
        return { ...plan.tags, '@adopted': 'true' };
    }
    return tagMap(res?.TagSet);
  }

  async #roleTags(aws: AwsClients, plan: LoggingPlan) {
    const role = await orUndefined(
      () => aws.iam.send(new GetRoleCommand({ RoleName: plan.role.name })),
      'NoSuchEntity',
      'NoSuchEntityException',
    );
    if (!role) return undefined;
    const res = await aws.iam.send(
      new ListRoleTagsCommand({ RoleName: plan.role.name }),
    );
    return tagMap(res.Tags);
  }

  async #ensureLogGroup(
    aws: AwsClients,
    plan: LoggingPlan,
    existing: Record<string, string> | undefined,
    log: ChangeLog,
  ) {
    const name = plan.logGroup.name;
    if (!existing) {
      await aws.logs.send(
        new CreateLogGroupCommand({ logGroupName: name, tags: plan.tags }),
      );
      log.add(`Created log group ${name}`);
    } else if (!ours(existing)) {
      await aws.logs.send(
        new TagLogGroupCommand({
          resourceArn: plan.logGroup.arn,
          tags: plan.tags,
        }),
      );
      log.add(`Tagged log group ${name} as managed by this suite`);
    }
    if (existing?.['@retention'] !== String(plan.logGroup.retentionDays)) {
      await aws.logs.send(
        new PutRetentionPolicyCommand({
          logGroupName: name,
          retentionInDays: plan.logGroup.retentionDays,
        }),
      );
      log.add(
        `Set retention of ${name} to ${plan.logGroup.retentionDays} days`,
      );
    }
  }

  async #ensureBucket(
    aws: AwsClients,
    plan: LoggingPlan,
    existingTags: Record<string, string> | undefined,
    log: ChangeLog,
  ) {
    const Bucket = plan.bucket.name;
    const b = plan.bucket;
    if (!existingTags) {
      await aws.s3.send(
        new CreateBucketCommand({
          Bucket,
          ...(plan.region === 'us-east-1'
            ? {}
            : {
                CreateBucketConfiguration: {
                  LocationConstraint: plan.region as any,
                },
              }),
        }),
      );
      log.add(`Created bucket ${Bucket}`);
    }
    const adopted = existingTags?.['@adopted'] === 'true';
    const keep = adopted ? {} : existingTags ?? {};
    if (
      !existingTags ||
      adopted ||
      !sameJson(keep, { ...keep, ...plan.tags })
    ) {
      await aws.s3.send(
        new PutBucketTaggingCommand({
          Bucket,
          Tagging: { TagSet: tagList({ ...keep, ...plan.tags }) },
        }),
      );
      log.add(`Tagged bucket ${Bucket}`);
    }
    const versioning = await aws.s3.send(
      new GetBucketVersioningCommand({ Bucket }),
    );
    if (versioning.Status !== 'Enabled') {
      await aws.s3.send(
        new PutBucketVersioningCommand({
          Bucket,
          VersioningConfiguration: { Status: 'Enabled' },
        }),
      );
      log.add(`Enabled versioning on ${Bucket}`);
    }
    const desiredEncryption = {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: {
            SSEAlgorithm: b.encryption.algorithm,
            ...(b.encryption.kmsKeyArn
              ? { KMSMasterKeyID: b.encryption.kmsKeyArn }
              : {}),
          },
          BucketKeyEnabled: b.encryption.algorithm === 'aws:kms',
        },
      ],
    };
    const enc = await orUndefined(
      () => aws.s3.send(new GetBucketEncryptionCommand({ Bucket })),
      'ServerSideEncryptionConfigurationNotFoundError',
    );
    const encRule =
      enc?.ServerSideEncryptionConfiguration?.Rules?.[0]
        ?.ApplyServerSideEncryptionByDefault;
    if (
      encRule?.SSEAlgorithm !== b.encryption.algorithm ||
      (encRule?.KMSMasterKeyID ?? undefined) !== b.encryption.kmsKeyArn
    ) {
      await aws.s3.send(
        new PutBucketEncryptionCommand({
          Bucket,
          ServerSideEncryptionConfiguration: desiredEncryption as any,
        }),
      );
      log.add(
        `Set default encryption of ${Bucket} to ${b.encryption.algorithm}`,
      );
    }
    const pab = await orUndefined(
      () => aws.s3.send(new GetPublicAccessBlockCommand({ Bucket })),
      'NoSuchPublicAccessBlockConfiguration',
    );
    if (
      !sameJson(pab?.PublicAccessBlockConfiguration ?? {}, b.publicAccessBlock)
    ) {
      await aws.s3.send(
        new PutPublicAccessBlockCommand({
          Bucket,
          PublicAccessBlockConfiguration: b.publicAccessBlock,
        }),
      );
      log.add(`Blocked public access to ${Bucket}`);
    }
    const desiredRule: LifecycleRule = {
      ID: b.lifecycle.ruleId,
      Status: 'Enabled',
      Filter: { Prefix: `${b.keyPrefix}/` },
      Transitions: [
        {
          Days: b.lifecycle.transitionDays,
          StorageClass: b.lifecycle.storageClass as any,
        },
      ],
      Expiration: { Days: b.lifecycle.expirationDays },
      NoncurrentVersionExpiration: {
        NoncurrentDays: b.lifecycle.noncurrentExpirationDays,
      },
    };
    const lc = await orUndefined(
      () => aws.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })),
      'NoSuchLifecycleConfiguration',
    );
    const rule = lc?.Rules?.find(r => r.ID === b.lifecycle.ruleId);
    const sameRule =
      rule &&
      rule.Status === 'Enabled' &&
      rule.Filter?.Prefix === `${b.keyPrefix}/` &&
      rule.Transitions?.length === 1 &&
      rule.Transitions[0].Days === b.lifecycle.transitionDays &&
      rule.Transitions[0].StorageClass === b.lifecycle.storageClass &&
      rule.Expiration?.Days === b.lifecycle.expirationDays &&
      rule.NoncurrentVersionExpiration?.NoncurrentDays ===
        b.lifecycle.noncurrentExpirationDays;
    if (!sameRule) {
      const others = (lc?.Rules ?? []).filter(r => r.ID !== b.lifecycle.ruleId);
      await aws.s3.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket,
          LifecycleConfiguration: { Rules: [...others, desiredRule] },
        }),
      );
      log.add(`Set lifecycle of ${Bucket}`, {
        transitionDays: b.lifecycle.transitionDays,
        expirationDays: b.lifecycle.expirationDays,
      });
    }
    const pol = await orUndefined(
      () => aws.s3.send(new GetBucketPolicyCommand({ Bucket })),
      'NoSuchBucketPolicy',
    );
    if (!sameJson(parsePolicy(pol?.Policy), b.policy)) {
      await aws.s3.send(
        new PutBucketPolicyCommand({
          Bucket,
          Policy: JSON.stringify(b.policy),
        }),
      );
      log.add(`Put bucket policy of ${Bucket}`);
    }
  }

  async #ensureRole(
    aws: AwsClients,
    plan: LoggingPlan,
    existingTags: Record<string, string> | undefined,
    log: ChangeLog,
  ) {
    const RoleName = plan.role.name;
    if (!existingTags) {
      await aws.iam.send(
        new CreateRoleCommand({
          RoleName,
          AssumeRolePolicyDocument: JSON.stringify(plan.role.trustPolicy),
          Description: `Lets Amazon Bedrock deliver invocation logs in ${plan.region}`,
          Tags: tagList(plan.tags),
        }),
      );
      log.add(`Created role ${RoleName}`);
    } else {
      const role = await aws.iam.send(new GetRoleCommand({ RoleName }));
      if (
        !sameJson(
          parsePolicy(role.Role?.AssumeRolePolicyDocument),
          plan.role.trustPolicy,
        )
      ) {
        await aws.iam.send(
          new UpdateAssumeRolePolicyCommand({
            RoleName,
            PolicyDocument: JSON.stringify(plan.role.trustPolicy),
          }),
        );
        log.add(`Updated trust policy of ${RoleName}`);
      }
      if (!ours(existingTags)) {
        await aws.iam.send(
          new TagRoleCommand({ RoleName, Tags: tagList(plan.tags) }),
        );
        log.add(`Tagged role ${RoleName}`);
      }
    }
    const inline = await orUndefined(
      () =>
        aws.iam.send(
          new GetRolePolicyCommand({
            RoleName,
            PolicyName: plan.role.policyName,
          }),
        ),
      'NoSuchEntity',
      'NoSuchEntityException',
    );
    if (!sameJson(parsePolicy(inline?.PolicyDocument), plan.role.policy)) {
      await aws.iam.send(
        new PutRolePolicyCommand({
          RoleName,
          PolicyName: plan.role.policyName,
          PolicyDocument: JSON.stringify(plan.role.policy),
        }),
      );
      log.add(`Put policy ${plan.role.policyName} on ${RoleName}`);
    }
  }
}
