/** bedrock:logging:ensure against moto with the real SDK clients. */
import { PutModelInvocationLoggingConfigurationCommand } from '@aws-sdk/client-bedrock';
import {
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  ListRoleTagsCommand,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PutBucketTaggingCommand,
} from '@aws-sdk/client-s3';
import { GetModelInvocationLoggingConfigurationCommand } from '@aws-sdk/client-bedrock';
import { ConflictError } from '@backstage/errors';
import {
  MANAGED_BY_VALUE,
  TAG_MANAGED_BY,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { AwsClients } from '@bedrock-tenancy/plugin-bedrock-node';
import { buildActions, run } from '../__testUtils__/actions';
import {
  ACCOUNT,
  InjectedFailure,
  REGION,
  startTestEnv,
  TestEnv,
  testConfig,
} from '../__testUtils__/testEnv';
import { parsePolicy } from './policies';

jest.setTimeout(300_000);

let env: TestEnv;
let aws: AwsClients;
let actions: ReturnType<typeof buildActions>;

beforeAll(async () => {
  env = await startTestEnv();
  actions = buildActions(env.factory(), testConfig());
  aws = await env.factory().forTarget(ACCOUNT, REGION);
});
afterAll(async () => {
  await env?.stop();
});
beforeEach(async () => {
  await env.reset();
});

const BUCKET = `bedrock-invocation-logs-${ACCOUNT}-${REGION}`;
const ROLE = `bedrock-tenancy-invocation-logging-${REGION}`;
const LOG_GROUP = '/aws/bedrock/modelinvocations';
const mutations = () => env.calls.filter(c => c.mutating);
const conditions = {
  StringEquals: { 'aws:SourceAccount': ACCOUNT },
  ArnLike: { 'aws:SourceArn': `arn:aws:bedrock:${REGION}:${ACCOUNT}:*` },
};

it('sets up the log group, bucket, role and logging configuration as documented', async () => {
  const out = await run(actions.logging, {
    accountId: ACCOUNT,
    region: REGION,
    retentionDays: 90,
    transitionDays: 45,
    expirationDays: 400,
  });
  expect(out).toMatchObject({
    logGroupName: LOG_GROUP,
    bucketName: BUCKET,
    bucketArn: `arn:aws:s3:::${BUCKET}`,
    roleName: ROLE,
    roleArn: `arn:aws:iam::${ACCOUNT}:role/${ROLE}`,
  });

  // log group: retention and tags
  const groups = await aws.logs.send(
    new DescribeLogGroupsCommand({ logGroupNamePrefix: LOG_GROUP }),
  );
  expect(
    groups.logGroups!.map(g => [g.logGroupName, g.retentionInDays]),
  ).toEqual([[LOG_GROUP, 90]]);
  const groupTags = await aws.logs.send(
    new ListTagsForResourceCommand({
      resourceArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${LOG_GROUP}`,
    }),
  );
  expect(groupTags.tags).toEqual({ [TAG_MANAGED_BY]: MANAGED_BY_VALUE });

  // bucket: versioning, SSE-S3, public access block, lifecycle, policy, tags
  expect(
    (await aws.s3.send(new GetBucketVersioningCommand({ Bucket: BUCKET })))
      .Status,
  ).toBe('Enabled');
  const enc = await aws.s3.send(
    new GetBucketEncryptionCommand({ Bucket: BUCKET }),
  );
  expect(
    enc.ServerSideEncryptionConfiguration!.Rules![0]
      .ApplyServerSideEncryptionByDefault,
  ).toEqual({ SSEAlgorithm: 'AES256' });
  const pab = await aws.s3.send(
    new GetPublicAccessBlockCommand({ Bucket: BUCKET }),
  );
  expect(pab.PublicAccessBlockConfiguration).toEqual({
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  });
  const lc = await aws.s3.send(
    new GetBucketLifecycleConfigurationCommand({ Bucket: BUCKET }),
  );
  expect(lc.Rules).toEqual([
    expect.objectContaining({
      ID: 'bedrock-invocation-logs-lifecycle',
      Status: 'Enabled',
      Filter: { Prefix: 'bedrock-logs/' },
      Transitions: [{ Days: 45, StorageClass: 'STANDARD_IA' }],
      Expiration: { Days: 400 },
      NoncurrentVersionExpiration: { NoncurrentDays: 30 },
    }),
  ]);
  const bucketPolicy = parsePolicy(
    (await aws.s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy,
  ) as any;
  expect(bucketPolicy.Statement[0]).toEqual({
    Sid: 'AllowBedrockInvocationLogDelivery',
    Effect: 'Allow',
    Principal: { Service: 'bedrock.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: `arn:aws:s3:::${BUCKET}/bedrock-logs/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/*`,
    Condition: conditions,
  });
  expect(bucketPolicy.Statement[1]).toEqual({
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  });
  expect(bucketPolicy.Statement).toHaveLength(2);
  const bucketTags = await aws.s3.send(
    new GetBucketTaggingCommand({ Bucket: BUCKET }),
  );
  expect(bucketTags.TagSet).toEqual([
    { Key: TAG_MANAGED_BY, Value: MANAGED_BY_VALUE },
  ]);

  // role: trust policy with conditions, log-stream permissions, tags
  const role = await aws.iam.send(new GetRoleCommand({ RoleName: ROLE }));
  expect(parsePolicy(role.Role!.AssumeRolePolicyDocument)).toEqual({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowBedrockToDeliverLogs',
        Effect: 'Allow',
        Principal: { Service: 'bedrock.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: conditions,
      },
    ],
  });
  const inline = await aws.iam.send(
    new GetRolePolicyCommand({
      RoleName: ROLE,
      PolicyName: 'bedrock-invocation-logging',
    }),
  );
  expect(parsePolicy(inline.PolicyDocument)).toEqual({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'WriteInvocationLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${LOG_GROUP}:log-stream:aws/bedrock/modelinvocations`,
      },
    ],
  });
  expect(
    (await aws.iam.send(new ListRoleTagsCommand({ RoleName: ROLE }))).Tags,
  ).toEqual([{ Key: TAG_MANAGED_BY, Value: MANAGED_BY_VALUE }]);

  // logging configuration: both destinations, no prompt/response bodies
  const conf = await aws.bedrock.send(
    new GetModelInvocationLoggingConfigurationCommand({}),
  );
  expect(conf.loggingConfig).toMatchObject({
    cloudWatchConfig: {
      logGroupName: LOG_GROUP,
      roleArn: out.roleArn,
      largeDataDeliveryS3Config: {
        bucketName: BUCKET,
        keyPrefix: 'bedrock-logs',
      },
    },
    s3Config: { bucketName: BUCKET, keyPrefix: 'bedrock-logs' },
    textDataDeliveryEnabled: false,
    imageDataDeliveryEnabled: false,
    embeddingDataDeliveryEnabled: false,
  });
});

it('logs prompt text only when the input opts in, and converges a changed retention', async () => {
  await run(actions.logging, { accountId: ACCOUNT, region: REGION });
  env.calls.length = 0;
  await run(actions.logging, {
    accountId: ACCOUNT,
    region: REGION,
    textDataDeliveryEnabled: true,
    retentionDays: 14,
  });
  expect(
    mutations()
      .map(c => c.command)
      .sort(),
  ).toEqual(['PutModelInvocationLoggingConfiguration', 'PutRetentionPolicy']);
  const conf = await aws.bedrock.send(
    new GetModelInvocationLoggingConfigurationCommand({}),
  );
  expect(conf.loggingConfig!.textDataDeliveryEnabled).toBe(true);
  expect(conf.loggingConfig!.imageDataDeliveryEnabled).toBe(false);
});

it('is idempotent and resumes after a failure at every mutating step', async () => {
  const clean = await run(actions.logging, {
    accountId: ACCOUNT,
    region: REGION,
  });
  const cleanState = await env.state();
  const steps = mutations().map(c => `${c.service}:${c.command}`);
  env.calls.length = 0;
  expect(
    await run(actions.logging, { accountId: ACCOUNT, region: REGION }),
  ).toEqual(clean);
  expect(mutations()).toEqual([]);
  expect(await env.state()).toEqual(cleanState);

  for (let n = 1; n <= steps.length; n++) {
    await env.reset();
    env.failAtMutation = n;
    await expect(
      run(actions.logging, { accountId: ACCOUNT, region: REGION }),
    ).rejects.toThrow(InjectedFailure);
    expect(
      await run(actions.logging, { accountId: ACCOUNT, region: REGION }),
    ).toEqual(clean);
    expect({ step: steps[n - 1], state: await env.state() }).toEqual({
      step: steps[n - 1],
      state: cleanState,
    });
  }
});

it('refuses to replace a logging configuration it did not create, unless told to take it over', async () => {
  await aws.s3.send(new CreateBucketCommand({ Bucket: 'someone-elses-logs' }));
  await aws.bedrock.send(
    new PutModelInvocationLoggingConfigurationCommand({
      loggingConfig: {
        s3Config: { bucketName: 'someone-elses-logs', keyPrefix: 'x' },
        textDataDeliveryEnabled: true,
      },
    }),
  );
  const state = await env.state();
  const dump = await env.motoDump();
  env.calls.length = 0;
  const p = run(actions.logging, { accountId: ACCOUNT, region: REGION });
  await expect(p).rejects.toThrow(ConflictError);
  await expect(p).rejects.toThrow(
    /bucket "someone-elses-logs".*takeover: true/,
  );
  expect(mutations()).toEqual([]);
  expect(await env.state()).toEqual(state);
  expect(await env.motoDump()).toEqual(dump);

  await run(actions.logging, {
    accountId: ACCOUNT,
    region: REGION,
    takeover: true,
  });
  const conf = await aws.bedrock.send(
    new GetModelInvocationLoggingConfigurationCommand({}),
  );
  expect(conf.loggingConfig!.s3Config!.bucketName).toBe(BUCKET);
  expect(conf.loggingConfig!.textDataDeliveryEnabled).toBe(false);
});

it('refuses when its bucket name is taken by a bucket it does not manage', async () => {
  await aws.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await aws.s3.send(
    new PutBucketTaggingCommand({
      Bucket: BUCKET,
      Tagging: { TagSet: [{ Key: 'team', Value: 'data' }] },
    }),
  );
  env.calls.length = 0;
  await expect(
    run(actions.logging, { accountId: ACCOUNT, region: REGION }),
  ).rejects.toThrow(/bucket .* is not managed by this suite/);
  expect(mutations()).toEqual([]);
});

it('adopts an untagged, empty bucket under its own name (a run that failed right after CreateBucket)', async () => {
  await aws.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await run(actions.logging, { accountId: ACCOUNT, region: REGION });
  const tags = await aws.s3.send(
    new GetBucketTaggingCommand({ Bucket: BUCKET }),
  );
  expect(tags.TagSet).toEqual([
    { Key: TAG_MANAGED_BY, Value: MANAGED_BY_VALUE },
  ]);
});

it('dry run returns the plan and makes no AWS call', async () => {
  const state = await env.state();
  env.calls.length = 0;
  const out = await run(
    actions.logging,
    { accountId: ACCOUNT, region: REGION },
    { dryRun: true },
  );
  expect(env.calls).toEqual([]);
  expect(await env.state()).toEqual(state);
  expect(out.plan.role.trustPolicy.Statement[0].Condition).toEqual(conditions);
});
