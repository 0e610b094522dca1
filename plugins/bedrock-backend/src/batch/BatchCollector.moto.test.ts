/**
 * Batch inference end to end against moto and the emulator's stand-in: jobs made through the
 * real Bedrock SDK, their manifests in moto's S3, attributed by role and tag, stored as `+batch`
 * rows and priced at the batch rate, to the cent by hand.
 */
import {
  BedrockClient,
  CreateModelInvocationJobCommand,
} from '@aws-sdk/client-bedrock';
import {
  CreateBucketCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  BedrockStandIn,
  finishBatchJob,
  MotoServer,
  startBedrockStandIn,
  startMoto,
  StoredBatchJob,
} from '@bedrock-tenancy/demo';
import { DEFAULT_PRICES } from '@bedrock-tenancy/plugin-bedrock-common';
import {
  AwsClientFactory,
  tenantRoleName,
} from '@bedrock-tenancy/plugin-bedrock-node';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { modelsOf } from '../service/usage';
import { testTenant } from '../__testUtils__/tenants';
import { BatchCollector } from './BatchCollector';

jest.setTimeout(120_000);

const ACCOUNT = '123456789012'; // moto's default account
const REGION = 'us-east-1';
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const BUCKET = 'batch-out';
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const credentials = async () => async () => ({
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'x',
});

const alpha = testTenant({
  tenantId: 'alpha',
  accountId: ACCOUNT,
  regions: [REGION],
});
const beta = testTenant({
  tenantId: 'beta',
  accountId: ACCOUNT,
  regions: [REGION],
});

describe('BatchCollector against moto', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let moto: MotoServer;
  let standIn: BedrockStandIn;
  let s3: S3Client;
  let bedrock: BedrockClient;
  const ended = Date.now() - 30 * 60_000;

  async function job(o: {
    roleArn: string;
    modelId: string;
    tags?: Record<string, string>;
  }): Promise<StoredBatchJob> {
    const { jobArn } = await bedrock.send(
      new CreateModelInvocationJobCommand({
        jobName: `job-${Math.random().toString(36).slice(2, 8)}`,
        roleArn: o.roleArn,
        modelId: o.modelId,
        inputDataConfig: {
          s3InputDataConfig: { s3Uri: `s3://${BUCKET}/in/records.jsonl` },
        },
        outputDataConfig: {
          s3OutputDataConfig: { s3Uri: `s3://${BUCKET}/out/` },
        },
        tags: Object.entries(o.tags ?? {}).map(([key, value]) => ({
          key,
          value,
        })),
      }),
    );
    return standIn.batchJobs.get(jobArn!.split('/').pop()!)!;
  }

  const finish = (
    j: StoredBatchJob,
    manifest: {
      records: number;
      errors: number;
      input: number;
      output: number;
    },
    o: { endTime?: number; status?: 'Completed' | 'Failed' } = {},
  ) =>
    finishBatchJob(j, {
      status: o.status,
      endTime: new Date(o.endTime ?? ended),
      manifest: {
        totalRecordCount: manifest.records + manifest.errors,
        processedRecordCount: manifest.records + manifest.errors,
        successRecordCount: manifest.records,
        errorRecordCount: manifest.errors,
        inputTokenCount: manifest.input,
        outputTokenCount: manifest.output,
      },
      putObject: async (Bucket, Key, Body) => {
        await s3.send(new PutObjectCommand({ Bucket, Key, Body }));
      },
    });

  beforeAll(async () => {
    moto = await startMoto();
    standIn = await startBedrockStandIn({
      motoEndpoint: moto.endpoint,
      accountId: ACCOUNT,
    });
    const creds = await (await credentials())();
    s3 = new S3Client({
      endpoint: moto.endpoint,
      region: REGION,
      forcePathStyle: true,
      credentials: creds,
    });
    bedrock = new BedrockClient({
      endpoint: standIn.endpoint,
      region: REGION,
      credentials: creds,
      maxAttempts: 1,
    });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  afterAll(async () => {
    await standIn?.stop();
    await moto?.stop();
  });

  it("counts each tenant's ended jobs once, by its role or its tag, at the batch price", async () => {
    // alpha's own role: 90 records, 10 failed, 1M input and 200K output tokens of Claude 3 Haiku
    await finish(
      await job({ roleArn: role(tenantRoleName('alpha')), modelId: HAIKU }),
      {
        records: 90,
        errors: 10,
        input: 1_000_000,
        output: 200_000,
      },
    );
    // a shared service role, tagged for beta: 2M input and 1M output of Nova Pro (a geo profile)
    await finish(
      await job({
        roleArn: role('shared-batch'),
        modelId: 'us.amazon.nova-pro-v1:0',
        tags: { 'bedrock-tenancy:tenant': 'beta' },
      }),
      { records: 50, errors: 0, input: 2_000_000, output: 1_000_000 },
    );
    // alpha's role wins over a tag naming beta: alpha's, in the same hour as the first
    await finish(
      await job({
        roleArn: role(tenantRoleName('alpha')),
        modelId: HAIKU,
        tags: { 'bedrock-tenancy:tenant': 'beta' },
      }),
      { records: 10, errors: 0, input: 100_000, output: 20_000 },
    );
    // a tag naming a tenant not bound here, a job still running, a job ended before the
    // window, and one that failed without a manifest: nobody's usage
    await finish(
      await job({
        roleArn: role('shared-batch'),
        modelId: HAIKU,
        tags: { 'bedrock-tenancy:tenant': 'gamma' },
      }),
      { records: 1, errors: 0, input: 9_000_000, output: 9_000_000 },
    );
    await job({ roleArn: role(tenantRoleName('alpha')), modelId: HAIKU });
    await finish(
      await job({ roleArn: role(tenantRoleName('alpha')), modelId: HAIKU }),
      { records: 1, errors: 0, input: 7_000_000, output: 7_000_000 },
      { endTime: Date.now() - 40 * 86_400_000 },
    );
    const failed = await job({
      roleArn: role(tenantRoleName('beta')),
      modelId: HAIKU,
    });
    failed.status = 'Failed';
    failed.endTime = new Date(ended);

    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const store = DatabaseUsageStore.fromKnex(knex);
    const collector = BatchCollector.create({
      clients: AwsClientFactory.create({
        credentials,
        endpoint: moto.endpoint,
        bedrockEndpoint: standIn.endpoint,
        maxAttempts: 1,
      }),
      store,
      logger: mockServices.logger.mock(),
      windowDays: 30,
    });
    const read = () =>
      store.getUsage({
        tenantIds: ['alpha', 'beta'],
        from: new Date(Date.now() - 31 * 86_400_000).toISOString(),
        to: new Date(Date.now() + 3_600_000).toISOString(),
      });

    for (let run = 0; run < 2; run++) {
      const summary = await collector.collect([alpha, beta]);
      // ended in the window: the three counted, gamma's and the failed one
      expect(summary).toEqual({ jobs: 5, attributed: 3, failed: [] });
      const rows = await read();
      expect(
        rows.map(r => [
          r.tenantId,
          r.modelId,
          r.invocations,
          r.clientErrors,
          r.inputTokens,
          r.outputTokens,
        ]),
      ).toEqual([
        ['alpha', `${HAIKU}+batch`, 100, 10, 1_100_000, 220_000],
        ['beta', 'amazon.nova-pro-v1:0+batch', 50, 0, 2_000_000, 1_000_000],
      ]);
      const cost = (tenantId: string) =>
        modelsOf(
          DEFAULT_PRICES,
          rows.filter(r => r.tenantId === tenantId),
        )[0].estimatedCostUsd;
      // Haiku batch USD 0.000125 / 0.000625 per 1K: 1,100 x 0.000125 + 220 x 0.000625
      expect(cost('alpha')).toBeCloseTo(0.1375 + 0.1375, 9);
      // Nova Pro batch USD 0.0004 / 0.0016 per 1K: 2,000 x 0.0004 + 1,000 x 0.0016
      expect(cost('beta')).toBeCloseTo(0.8 + 1.6, 9);
    }
  });
});
