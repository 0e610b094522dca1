import {
  CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { testTenant } from '../__testUtils__/tenants';
import { UsageCollector } from './UsageCollector';

const NOW = Date.parse('2026-11-20T12:30:00Z');
const HOUR = 3_600_000;

describe('UsageCollector: what the collection costs in CloudWatch', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const cw = mockClient(CloudWatchClient);
  const ALL = [
    'Invocations',
    'InputTokenCount',
    'OutputTokenCount',
    'InvocationClientErrors',
    'InvocationServerErrors',
    'InvocationThrottles',
    'InvocationLatency',
  ];
  const listed = (dims: string[]) =>
    dims.flatMap(d =>
      ALL.map(MetricName => ({
        Namespace: 'AWS/Bedrock',
        MetricName,
        Dimensions: [{ Name: 'ModelId', Value: d }],
      })),
    );

  beforeEach(() => cw.reset());

  it('requests each closed hour when it closes and once more for late datapoints; idle tenants cost nothing', async () => {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const store = DatabaseUsageStore.fromKnex(knex);
    let now = Date.parse('2026-11-20T12:10:00Z');
    const collector = UsageCollector.create({
      store,
      clients: AwsClientFactory.create({
        credentials: async () => async () => ({
          accessKeyId: 'AKIA',
          secretAccessKey: 'x',
        }),
      }),
      logger: mockServices.logger.mock(),
      options: {
        backfillDays: 1,
        refetchHours: 3,
        windowHours: 24,
        concurrency: 2,
        fetchEveryHours: 3,
      },
      now: () => now,
    });
    const models = { a: 'amazon.nova-pro-v1:0', b: 'amazon.nova-lite-v1:0' };
    const active = testTenant({
      tenantId: 'active',
      inferenceProfiles: {
        'act-a': models.a,
        'act-b': models.a,
        'act-c': models.b,
      },
    });
    // its profiles had no datapoint for two weeks: ListMetrics does not list them
    const idle = testTenant({
      tenantId: 'idle',
      inferenceProfiles: { 'idl-a': models.a, 'idl-b': models.b },
    });
    cw.on(ListMetricsCommand).resolves({
      Metrics: listed(['act-a', 'act-b', 'act-c']),
    });
    cw.on(GetMetricDataCommand).callsFake(input => ({
      MetricDataResults: input.MetricDataQueries.map((q: any) => ({
        Id: q.Id,
        Timestamps: [],
        Values: [],
      })),
    }));
    const requested = () =>
      cw.commandCalls(GetMetricDataCommand).map(c => c.args[0].input);

    // first cycle: one day of backfill for the active tenant's 3 series x 9 statistics
    await collector.collect([active, idle]);
    expect(requested().map(i => i.MetricDataQueries!.length)).toEqual([24, 3]);
    cw.resetHistory();

    // a day of 15-minute cycles
    const perCycle: number[] = [];
    for (let i = 1; i <= 96; i++) {
      now += 15 * 60_000;
      const before = requested().length;
      const s = await collector.collect([active, idle]);
      expect(s.errors).toEqual([]);
      perCycle.push(
        requested()
          .slice(before)
          .reduce((n, q) => n + q.MetricDataQueries!.length, 0),
      );
    }
    const dims = requested().flatMap(q =>
      q.MetricDataQueries!.map(m => m.MetricStat!.Metric!.Dimensions![0].Value),
    );
    expect(dims.filter(d => d!.startsWith('idl'))).toEqual([]);
    // one fetch every 3 closed hours: 8 a day of 27 metrics; the other 88 cycles request nothing
    expect(perCycle.filter(n => n > 0)).toEqual(Array(8).fill(27));
    expect(perCycle.reduce((a, b) => a + b, 0)).toBe(8 * 27);
    // every closed hour of the day was requested, none more than twice (once late)
    const seen = new Map<number, number>();
    for (const q of requested().filter(
      x => x.MetricDataQueries![0].MetricStat!.Stat !== 'p99',
    )) {
      for (
        let h = q.StartTime!.valueOf() as number;
        h < (q.EndTime!.valueOf() as number);
        h += HOUR
      )
        seen.set(h, (seen.get(h) ?? 0) + 1);
    }
    const first = Date.parse('2026-11-20T12:00:00Z');
    for (let h = first; h < first + 24 * HOUR; h += HOUR) {
      expect([h, seen.get(h)]).toEqual([h, expect.any(Number)]);
      expect(seen.get(h)).toBeLessThanOrEqual(2);
    }

    // a new tenant is backfilled on its own: its neighbours' day is not fetched again
    cw.on(ListMetricsCommand).resolves({
      Metrics: listed(['act-a', 'act-b', 'act-c', 'new-a']),
    });
    cw.resetHistory();
    now += 15 * 60_000;
    await collector.collect([
      active,
      idle,
      testTenant({ tenantId: 'new', inferenceProfiles: { 'new-a': models.b } }),
    ]);
    expect(
      requested().map(q => [
        new Set(
          q.MetricDataQueries!.map(
            m => m.MetricStat!.Metric!.Dimensions![0].Value,
          ),
        ),
        q.MetricDataQueries!.length,
      ]),
    ).toEqual([
      [new Set(['new-a']), 8],
      [new Set(['new-a']), 1],
    ]);
  });

  it('keeps one watermark per region: collecting one region of a tenant leaves the other due', async () => {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const store = DatabaseUsageStore.fromKnex(knex);
    const collector = UsageCollector.create({
      store,
      clients: AwsClientFactory.create({
        credentials: async () => async () => ({
          accessKeyId: 'AKIA',
          secretAccessKey: 'x',
        }),
      }),
      logger: mockServices.logger.mock(),
      options: {
        backfillDays: 1,
        refetchHours: 3,
        windowHours: 24,
        concurrency: 2,
        fetchEveryHours: 3,
      },
      now: () => NOW,
    });
    const both = testTenant({
      tenantId: 'both',
      regions: ['us-east-1', 'us-west-2'],
      inferenceProfiles: { p: 'amazon.nova-pro-v1:0' },
    });
    cw.on(ListMetricsCommand).resolves({ Metrics: listed(['p']) });
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const east = await collector.collect([both], {
      accountRegion: (_a, r) => r === 'us-east-1',
    });
    expect(east.collected).toEqual(['111111111111/us-east-1']);
    const west = await collector.collect([both]);
    expect(west.collected).toEqual(['111111111111/us-west-2']);
    expect(west.skippedGroups).toBe(1);
  });
});
