/**
 * The spend no tenant owns, end to end against moto: `AWS/Bedrock` seeded with PutMetricData
 * (a base model called directly and through a geo profile, a tenant's application inference
 * profile, a profile of no tenant, Nova Pro), the profile tenant collected by the UsageCollector
 * from the same series, the identity tenant's invocation-log rows stored as its collection would,
 * then the account usage collected, split and stored.
 */
import {
  CloudWatchClient,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  EMULATOR_CREDENTIALS,
  MotoServer,
  startMoto,
} from '@bedrock-tenancy/aws-emulator';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import {
  HAIKU,
  NOVA_PRO,
  traffic,
  usageRow,
} from '../__testUtils__/accountUsage';
import { testTenant } from '../__testUtils__/tenants';
import { UsageCollector } from '../collector/UsageCollector';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { AccountUsageCollector } from './AccountUsageCollector';
import { AccountUsageStore } from './AccountUsageStore';
import { overAttributedTokens } from './attribution';

jest.setTimeout(120_000);

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const NOW = Date.parse('2026-11-20T12:30:00.000Z');
const HOUR = '2026-11-20T09:00:00.000Z';
const OPTIONS = {
  backfillDays: 2,
  refetchHours: 2,
  windowHours: 24,
  concurrency: 1,
  fetchEveryHours: 1,
};

const teamA = testTenant({
  tenantId: 'team-a',
  accountId: ACCOUNT,
  inferenceProfiles: { aipteama: HAIKU },
});
const teamB = testTenant({
  tenantId: 'team-b',
  accountId: ACCOUNT,
  attribution: 'identity',
  principalArns: [`arn:aws:iam::${ACCOUNT}:role/team-b`],
});

/** ModelId -> metric -> the hour's value */
const SEEDED: Record<string, Record<string, number>> = {
  [HAIKU]: {
    Invocations: 10,
    InputTokenCount: 1_000_000,
    OutputTokenCount: 200_000,
    // not spend: never requested by the account collection
    InvocationLatency: 900,
  },
  [`us.${HAIKU}`]: { InputTokenCount: 500_000 },
  aipteama: {
    Invocations: 3,
    InputTokenCount: 300_000,
    OutputTokenCount: 60_000,
  },
  aiporphan: { InputTokenCount: 700_000 },
  [NOVA_PRO]: { InputTokenCount: 400_000 },
};

describe('AccountUsageCollector against moto', () => {
  let moto: MotoServer;
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  beforeAll(async () => {
    moto = await startMoto();
    const cw = new CloudWatchClient({
      region: REGION,
      endpoint: moto.endpoint,
      credentials: EMULATOR_CREDENTIALS,
      maxAttempts: 1,
    });
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/Bedrock',
        MetricData: Object.entries(SEEDED).flatMap(([ModelId, metrics]) =>
          Object.entries(metrics).map(([MetricName, Value]) => ({
            MetricName,
            Dimensions: [{ Name: 'ModelId', Value: ModelId }],
            Value,
            Timestamp: new Date(Date.parse(HOUR) + 15 * 60_000),
            Unit: 'Count',
          })),
        ),
      }),
    );
  });

  afterAll(async () => {
    await moto?.stop();
  });

  it('splits the account series into the tenants share and the unattributed rest, incrementally', async () => {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const usage = DatabaseUsageStore.fromKnex(knex);
    const accounts = AccountUsageStore.fromKnex(knex);
    const clients = AwsClientFactory.create({
      credentials: async () => async () => EMULATOR_CREDENTIALS,
      endpoint: moto.endpoint,
      maxAttempts: 1,
    });
    const logger = mockServices.logger.mock();

    // the profile tenant, collected from its profile's series
    const tenants = UsageCollector.create({
      store: usage,
      clients,
      logger,
      options: OPTIONS,
      now: () => NOW,
    });
    expect((await tenants.collect([teamA])).errors).toEqual([]);
    // the identity tenant's invocation-log rows, as its collection stores them
    await usage.replaceWindows({
      tenantIds: [teamB.tenantId],
      accountId: ACCOUNT,
      region: REGION,
      from: HOUR,
      to: '2026-11-20T10:00:00.000Z',
      rows: [
        usageRow({
          tenantId: 'team-b',
          accountId: ACCOUNT,
          modelId: HAIKU,
          hour: HOUR,
          invocations: 6,
          inputTokens: 600_000,
          outputTokens: 150_000,
        }),
        usageRow({
          tenantId: 'team-b',
          accountId: ACCOUNT,
          modelId: NOVA_PRO,
          hour: HOUR,
          invocations: 5,
          inputTokens: 500_000,
        }),
      ],
    });
    await usage.advanceWatermarks({
      accountId: ACCOUNT,
      region: REGION,
      tenantIds: [teamB.tenantId],
      watermark: '2026-11-20T12:00:00.000Z',
    });

    const collector = AccountUsageCollector.create({
      store: accounts,
      usage,
      clients,
      logger,
      options: OPTIONS,
      now: () => NOW,
    });
    const summary = await collector.collect([teamA, teamB]);
    expect(summary).toMatchObject({
      collected: [`${ACCOUNT}/${REGION}`],
      errors: [],
      // team-a's profile is not asked again: its stored rows are that series
      series: 4,
      // two days of backfill in windows of 24 hours: one call per window
      getMetricDataCalls: 2,
      // per call: Invocations, input and output of the base model, input of the three others
      // (6): latency is not asked for
      metricsRequested: 12,
    });
    expect(await accounts.getWatermark(ACCOUNT, REGION)).toBe(
      '2026-11-20T12:00:00.000Z',
    );

    const rows = await accounts.getHourly({
      accountId: ACCOUNT,
      region: REGION,
      from: '2026-11-18T00:00:00.000Z',
      to: '2026-11-21T00:00:00.000Z',
    });
    const m = Object.fromEntries(rows.map(r => [r.modelId, r]));
    expect(Object.keys(m).sort()).toEqual(
      [HAIKU, NOVA_PRO, 'aiporphan'].sort(),
    );
    // direct 1,000,000 + geo 500,000 + team-a's profile 300,000; team-a 300,000 + team-b 600,000
    expect(m[HAIKU]).toMatchObject({
      hour: HOUR,
      account: traffic({
        invocations: 13,
        inputTokens: 1_800_000,
        outputTokens: 260_000,
      }),
      attributed: traffic({
        invocations: 9,
        inputTokens: 900_000,
        outputTokens: 210_000,
      }),
      unattributed: traffic({
        invocations: 4,
        inputTokens: 900_000,
        outputTokens: 50_000,
      }),
    });
    expect(m.aiporphan.unattributed).toEqual(traffic({ inputTokens: 700_000 }));
    // team-b was attributed 100,000 Nova Pro tokens more than the series: clamped, and said
    expect(m[NOVA_PRO].unattributed).toEqual(traffic());
    expect(overAttributedTokens(m[NOVA_PRO])).toBe(100_000);

    // nothing new has closed: no AWS call
    const again = await collector.collect([teamA, teamB]);
    expect(again).toMatchObject({ collected: [], getMetricDataCalls: 0 });
  });

  it('waits for a tenant never collected in the account-region, and records a failure', async () => {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const usage = DatabaseUsageStore.fromKnex(knex);
    const accounts = AccountUsageStore.fromKnex(knex);
    const collector = AccountUsageCollector.create({
      store: accounts,
      usage,
      clients: AwsClientFactory.create({
        credentials: async () => async () => EMULATOR_CREDENTIALS,
        endpoint: 'http://127.0.0.1:9',
        maxAttempts: 1,
      }),
      logger: mockServices.logger.mock(),
      options: OPTIONS,
      now: () => NOW,
    });
    // no tenant watermark yet: nothing is split, nothing is asked
    expect(await collector.collect([teamA])).toMatchObject({ collected: [] });
    // bedrock.collector.accountUsage: false collects nothing
    const off = AccountUsageCollector.create({
      store: accounts,
      usage,
      clients: AwsClientFactory.create({
        credentials: async () => async () => EMULATOR_CREDENTIALS,
        endpoint: 'http://127.0.0.1:9',
        maxAttempts: 1,
      }),
      logger: mockServices.logger.mock(),
      options: { ...OPTIONS, accountUsage: false },
      now: () => NOW,
    });
    await usage.advanceWatermarks({
      accountId: ACCOUNT,
      region: REGION,
      tenantIds: [teamA.tenantId],
      watermark: '2026-11-20T12:00:00.000Z',
    });
    expect(await off.collect([teamA])).toMatchObject({
      collected: [],
      errors: [],
    });
    expect(await accounts.getStates()).toEqual([]);
    // an endpoint that does not answer: the failure is recorded, the watermark stays unset
    const failed = await collector.collect([teamA]);
    expect(failed.errors).toHaveLength(1);
    expect(await accounts.getStates()).toEqual([
      expect.objectContaining({
        accountId: ACCOUNT,
        region: REGION,
        watermark: null,
        lastError: expect.any(String),
      }),
    ]);
  });
});
