/* The shared S3 bucket of invocation logs: versioned, encrypted, private, with a lifecycle. */
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
import { ConflictError } from '@backstage/errors';
import type { AwsClients } from '@bedrock-tenancy/plugin-bedrock-node';
import { isAwsError, orUndefined } from '@bedrock-tenancy/plugin-bedrock-node';
import type { ChangeLog } from '../changes';
import type { LoggingPlan } from '../types';
import { parsePolicy, sameJson } from '../policies';
import { tagList, tagMap, type Tags } from './tags';

export interface BucketState {
  tags: Tags;
  /** ours, left untagged by a run that failed between CreateBucket and PutBucketTagging */
  adopted: boolean;
}

type S3 = Pick<AwsClients, 's3'>;
type PlannedBucket = LoggingPlan['bucket'];

/** The bucket's tags; a bucket of another account under the name is a ConflictError. */
export async function readBucket(
  aws: S3,
  Bucket: string,
  tags: Tags,
): Promise<BucketState | undefined> {
  let exists;
  try {
    exists = await orUndefined(
      () => aws.s3.send(new HeadBucketCommand({ Bucket })),
      'NotFound',
      'NoSuchBucket',
    );
  } catch (e) {
    if (
      isAwsError(e, 'Forbidden', 'AccessDenied') ||
      (e as any)?.$metadata?.httpStatusCode === 403
    ) {
      throw new ConflictError(
        `Bucket name ${Bucket} is taken by a bucket this account cannot access (another account's?). Nothing was changed.`,
      );
    }
    throw e;
  }
  if (!exists) return undefined;
  const res = await orUndefined(
    () => aws.s3.send(new GetBucketTaggingCommand({ Bucket })),
    'NoSuchTagSet',
  );
  if (!res?.TagSet?.length) {
    // S3 cannot tag a bucket as it creates it: a run that failed between CreateBucket and
    // PutBucketTagging leaves our bucket untagged. An untagged, empty bucket without a policy
    // under our deterministic name is that bucket: adopt it. Anything else is someone else's.
    const objects = await aws.s3.send(
      new ListObjectsV2Command({ Bucket, MaxKeys: 1 }),
    );
    const policy = await orUndefined(
      () => aws.s3.send(new GetBucketPolicyCommand({ Bucket })),
      'NoSuchBucketPolicy',
    );
    if (!objects.KeyCount && !policy?.Policy) return { tags, adopted: true };
  }
  return { tags: tagMap(res?.TagSet), adopted: false };
}

/** Creates the bucket and brings tags, versioning, encryption, public access, lifecycle, policy to the plan. */
export async function convergeBucket(
  aws: S3,
  region: string,
  b: PlannedBucket,
  tags: Tags,
  current: BucketState | undefined,
  log: ChangeLog,
) {
  const Bucket = b.name;
  if (!current) {
    await aws.s3.send(
      new CreateBucketCommand({
        Bucket,
        ...(region === 'us-east-1'
          ? {}
          : {
              CreateBucketConfiguration: {
                LocationConstraint: region as any,
              },
            }),
      }),
    );
    log.add(`Created bucket ${Bucket}`);
  }
  // PutBucketTagging replaces the set: keep the tags others put on the bucket
  const keep = current && !current.adopted ? current.tags : {};
  if (!current || current.adopted || !sameJson(keep, { ...keep, ...tags })) {
    await aws.s3.send(
      new PutBucketTaggingCommand({
        Bucket,
        Tagging: { TagSet: tagList({ ...keep, ...tags }) },
      }),
    );
    log.add(`Tagged bucket ${Bucket}`);
  }
  await convergeVersioning(aws, Bucket, log);
  await convergeEncryption(aws, b, log);
  await convergePublicAccessBlock(aws, b, log);
  await convergeLifecycle(aws, b, log);
  await convergeBucketPolicy(aws, b, log);
}

async function convergeVersioning(aws: S3, Bucket: string, log: ChangeLog) {
  const versioning = await aws.s3.send(
    new GetBucketVersioningCommand({ Bucket }),
  );
  if (versioning.Status === 'Enabled') return;
  await aws.s3.send(
    new PutBucketVersioningCommand({
      Bucket,
      VersioningConfiguration: { Status: 'Enabled' },
    }),
  );
  log.add(`Enabled versioning on ${Bucket}`);
}

async function convergeEncryption(aws: S3, b: PlannedBucket, log: ChangeLog) {
  const Bucket = b.name;
  const enc = await orUndefined(
    () => aws.s3.send(new GetBucketEncryptionCommand({ Bucket })),
    'ServerSideEncryptionConfigurationNotFoundError',
  );
  const rule =
    enc?.ServerSideEncryptionConfiguration?.Rules?.[0]
      ?.ApplyServerSideEncryptionByDefault;
  if (
    rule?.SSEAlgorithm === b.encryption.algorithm &&
    (rule?.KMSMasterKeyID ?? undefined) === b.encryption.kmsKeyArn
  )
    return;
  await aws.s3.send(
    new PutBucketEncryptionCommand({
      Bucket,
      ServerSideEncryptionConfiguration: {
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
      } as any,
    }),
  );
  log.add(`Set default encryption of ${Bucket} to ${b.encryption.algorithm}`);
}

async function convergePublicAccessBlock(
  aws: S3,
  b: PlannedBucket,
  log: ChangeLog,
) {
  const Bucket = b.name;
  const pab = await orUndefined(
    () => aws.s3.send(new GetPublicAccessBlockCommand({ Bucket })),
    'NoSuchPublicAccessBlockConfiguration',
  );
  if (sameJson(pab?.PublicAccessBlockConfiguration ?? {}, b.publicAccessBlock))
    return;
  await aws.s3.send(
    new PutPublicAccessBlockCommand({
      Bucket,
      PublicAccessBlockConfiguration: b.publicAccessBlock,
    }),
  );
  log.add(`Blocked public access to ${Bucket}`);
}

/** Our lifecycle rule, by its id; other rules on the bucket stay. */
async function convergeLifecycle(aws: S3, b: PlannedBucket, log: ChangeLog) {
  const Bucket = b.name;
  const l = b.lifecycle;
  const lc = await orUndefined(
    () => aws.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })),
    'NoSuchLifecycleConfiguration',
  );
  const rule = lc?.Rules?.find(r => r.ID === l.ruleId);
  const sameRule =
    rule &&
    rule.Status === 'Enabled' &&
    rule.Filter?.Prefix === `${b.keyPrefix}/` &&
    rule.Transitions?.length === 1 &&
    rule.Transitions[0].Days === l.transitionDays &&
    rule.Transitions[0].StorageClass === l.storageClass &&
    rule.Expiration?.Days === l.expirationDays &&
    rule.NoncurrentVersionExpiration?.NoncurrentDays ===
      l.noncurrentExpirationDays;
  if (sameRule) return;
  const desired: LifecycleRule = {
    ID: l.ruleId,
    Status: 'Enabled',
    Filter: { Prefix: `${b.keyPrefix}/` },
    Transitions: [
      { Days: l.transitionDays, StorageClass: l.storageClass as any },
    ],
    Expiration: { Days: l.expirationDays },
    NoncurrentVersionExpiration: {
      NoncurrentDays: l.noncurrentExpirationDays,
    },
  };
  const others = (lc?.Rules ?? []).filter(r => r.ID !== l.ruleId);
  await aws.s3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket,
      LifecycleConfiguration: { Rules: [...others, desired] },
    }),
  );
  log.add(`Set lifecycle of ${Bucket}`, {
    transitionDays: l.transitionDays,
    expirationDays: l.expirationDays,
  });
}

async function convergeBucketPolicy(aws: S3, b: PlannedBucket, log: ChangeLog) {
  const Bucket = b.name;
  const pol = await orUndefined(
    () => aws.s3.send(new GetBucketPolicyCommand({ Bucket })),
    'NoSuchBucketPolicy',
  );
  if (sameJson(parsePolicy(pol?.Policy), b.policy)) return;
  await aws.s3.send(
    new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(b.policy) }),
  );
  log.add(`Put bucket policy of ${Bucket}`);
}
