import {
  CloudWatchClient,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { MotoServer, startMoto } from '@bedrock-tenancy/demo';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { readBedrockConfig } from '../config';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { modelsOf } from '../service/usage';
import { testTenant } from '../__testUtils__/tenants';
import { UsageCollector } from './UsageCollector';

jest.setTimeout(120_000);

// moto's default account: plain credentials are attributed to it
const ACCOUNT = '123456789012';
const NOVA_PRO = 'amazon.nova-pro-v1:0';
const PROFILE = `arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/tiers1`;
const HOUR = 3_600_000;
const NOW = Math.floor(Date.now() / HOUR) * HOUR + 17 * 60_000;
const SEEDED_HOUR = Math.floor(NOW / HOUR) * HOUR - 2 * HOUR;

/**
 * Service tiers as CloudWatch shows them (the user guide: "model-id+priority" and
 * "model-id+flex"): one profile's traffic in three ModelId series, one hour, 1M input and 100K
 * output tokens on Standard, 2M and 200K on Flex, 100K and 10K on Priority, and one series of a
 * tier this version does not know.
 */
const SERIES: Array<[string, number, number, number]> = [
  [PROFILE, 10, 1_000_000, 100_000],
  [`${PROFILE}+flex`, 20, 2_000_000, 200_000],
  [`${PROFILE}+priority`, 1, 100_000, 10_000],
  [`${PROFILE}+turbo`, 1, 1_000, 1_000],
  // another profile's Flex traffic is not this tenant's
  [`${PROFILE}x+flex`, 99, 9_000_000, 9_000_000],
];

describe('UsageCollector: service tiers against moto', () => {
  let moto: MotoServer;
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const credentials = async () => async () => ({
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'x',
  });

  beforeAll(async () => {
    moto = await startMoto();
    const cw = new CloudWatchClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: await (await credentials())(),
    });
    for (const [dimension, invocations, input, output] of SERIES) {
      const metric = (MetricName: string, Value: number) => ({
        MetricName,
        Dimensions: [{ Name: 'ModelId', Value: dimension }],
        Timestamp: new Date(SEEDED_HOUR + 60_000),
        Value,
      });
      await cw.send(
        new PutMetricDataCommand({
          Namespace: 'AWS/Bedrock',
          MetricData: [
            metric('Invocations', invocations),
            metric('InputTokenCount', input),
            metric('OutputTokenCount', output),
          ],
        }),
      );
    }
  });
  afterAll(() => moto?.stop());

  it('collects each tier of a profile apart, and prices each at its own rate: a tier without a price is unpriced, never Standard', async () => {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const store = DatabaseUsageStore.fromKnex(knex);
    const collector = UsageCollector.create({
      store,
      clients: AwsClientFactory.create({
        credentials,
        endpoint: moto.endpoint,
        maxAttempts: 1,
      }),
      logger: mockServices.logger.mock(),
      options: {
        backfillDays: 1,
        refetchHours: 3,
        windowHours: 24,
        concurrency: 1,
        fetchEveryHours: 1,
      },
      now: () => NOW,
    });
    const tenant = testTenant({
      tenantId: 'tiers',
      accountId: ACCOUNT,
      inferenceProfiles: { tiers1: NOVA_PRO },
    });
    const run = await collector.collect([tenant]);
    expect(run.failedGroups).toBe(0);
    const rows = await store.getUsage({
      tenantIds: ['tiers'],
      from: new Date(NOW - 2 * 86_400_000).toISOString(),
      to: new Date(NOW).toISOString(),
    });
    expect(
      rows.map(r => [r.modelId, r.invocations, r.inputTokens, r.outputTokens]),
    ).toEqual(
      expect.arrayContaining([
        [NOVA_PRO, 10, 1_000_000, 100_000],
        [`${NOVA_PRO}+flex`, 20, 2_000_000, 200_000],
        [`${NOVA_PRO}+priority`, 1, 100_000, 10_000],
        [`${NOVA_PRO}+turbo`, 1, 1_000, 1_000],
      ]),
    );
    expect(rows).toHaveLength(4);

    // an operator prices Flex at half of Standard (USD 0.0004 / 0.0016 per 1K); Priority has no row
    const { prices } = readBedrockConfig(
      new ConfigReader({
        bedrock: {
          prices: [
            {
              model: NOVA_PRO,
              tier: 'flex',
              inputPer1k: 0.0004,
              outputPer1k: 0.0016,
            },
          ],
        },
      }),
    );
    const models = modelsOf(prices, rows);
    const cost = Object.fromEntries(
      models.map(m => [m.modelId, m.estimatedCostUsd]),
    );
    expect(cost).toEqual({
      // 1,000 x 0.0008 + 100 x 0.0032 = 0.80 + 0.32
      [NOVA_PRO]: expect.closeTo(1.12, 9),
      // 2,000 x 0.0004 + 200 x 0.0016 = 0.80 + 0.32
      [`${NOVA_PRO}+flex`]: expect.closeTo(1.12, 9),
      [`${NOVA_PRO}+priority`]: null,
      [`${NOVA_PRO}+turbo`]: null,
    });
  });
});
