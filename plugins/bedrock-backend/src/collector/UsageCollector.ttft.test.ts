import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricDataCommandInput,
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
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA_PRO = 'amazon.nova-pro-v1:0';

/** Two application inference profiles of Claude 3 Haiku (one row per hour) and one of Nova Pro. */
const tenant = testTenant({
  tenantId: 'alpha',
  inferenceProfiles: { prof1: HAIKU, prof2: HAIKU, prof3: NOVA_PRO },
});

/**
 * What CloudWatch answers per series, metric and statistic, every hour: prof1 streams 10
 * requests at 200 ms (p99 450), prof2 30 at 400 ms (p99 900); prof3 never streams.
 */
const VALUES: Record<string, number> = {
  'prof1/Invocations/Sum': 12,
  'prof1/TimeToFirstToken/Average': 200,
  'prof1/TimeToFirstToken/SampleCount': 10,
  'prof1/TimeToFirstToken/p99': 450,
  'prof2/Invocations/Sum': 35,
  'prof2/TimeToFirstToken/Average': 400,
  'prof2/TimeToFirstToken/SampleCount': 30,
  'prof2/TimeToFirstToken/p99': 900,
  'prof3/Invocations/Sum': 7,
};

const listed = [
  ['prof1', 'Invocations'],
  ['prof1', 'TimeToFirstToken'],
  ['prof2', 'Invocations'],
  ['prof2', 'TimeToFirstToken'],
  ['prof3', 'Invocations'],
].map(([dimension, MetricName]) => ({
  Namespace: 'AWS/Bedrock',
  MetricName,
  Dimensions: [{ Name: 'ModelId', Value: dimension }],
}));

function answer(input: GetMetricDataCommandInput) {
  const start = new Date(input.StartTime!).getTime();
  const end = new Date(input.EndTime!).getTime();
  const ts: Date[] = [];
  for (let t = start; t < end; t += HOUR) ts.push(new Date(t));
  return {
    MetricDataResults: input.MetricDataQueries!.map(q => {
      const m = q.MetricStat!;
      const key = `${m.Metric!.Dimensions![0].Value}/${m.Metric!.MetricName}/${
        m.Stat
      }`;
      if (!(key in VALUES)) throw new Error(`unexpected query ${key}`);
      return {
        Id: q.Id,
        Timestamps: ts,
        Values: ts.map(() => VALUES[key]),
        StatusCode: 'Complete' as const,
      };
    }),
  };
}

describe('UsageCollector: time to first token (mocked CloudWatch)', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const cw = mockClient(CloudWatchClient);
  beforeEach(() => cw.reset());

  async function collect() {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const store = DatabaseUsageStore.fromKnex(knex);
    const collector = UsageCollector.create({
      store,
      clients: AwsClientFactory.create({
        credentials: async accountId => async () => ({
          accessKeyId: `AKIA${accountId}`,
          secretAccessKey: 'x',
        }),
      }),
      logger: mockServices.logger.mock(),
      options: {
        backfillDays: 2 / 24,
        refetchHours: 3,
        windowHours: 24,
        concurrency: 1,
        fetchEveryHours: 3,
      },
      now: () => NOW,
    });
    const summary = await collector.collect([tenant]);
    expect(summary.failedGroups).toBe(0);
    return store.getUsage({
      tenantIds: ['alpha'],
      from: '2026-11-20T00:00:00.000Z',
      to: '2026-11-21T00:00:00.000Z',
    });
  }

  const ttft = (rows: Awaited<ReturnType<typeof collect>>) =>
    rows.map(r => [
      r.hour.slice(11, 13),
      r.modelId,
      r.invocations,
      r.ttftRequests,
      r.ttftAvgMs,
      r.ttftP99Ms,
    ]);

  it('reads Average and SampleCount, merges series weighted by streaming requests, p99 the largest', async () => {
    cw.on(ListMetricsCommand).resolves({ Metrics: listed });
    cw.on(GetMetricDataCommand).callsFake(answer);
    const rows = await collect();
    // (10 x 200 + 30 x 400) / 40 = 350 ms, not the mean of the two series (300 ms)
    expect(ttft(rows)).toEqual([
      ['10', HAIKU, 47, 40, 350, 900],
      ['10', NOVA_PRO, 7, 0, null, null],
      ['11', HAIKU, 47, 40, 350, 900],
      ['11', NOVA_PRO, 7, 0, null, null],
    ]);
    const queried = cw.commandCalls(GetMetricDataCommand).map(c =>
      c.args[0].input
        .MetricDataQueries!.filter(
          q => q.MetricStat!.Metric!.MetricName === 'TimeToFirstToken',
        )
        .map(q => q.MetricStat!.Stat)
        .sort(),
    );
    expect(queried).toEqual([
      ['Average', 'Average', 'SampleCount', 'SampleCount'],
      ['p99', 'p99'],
    ]);
  });

  it('keeps the average and reports p99 as not available when percentiles fail', async () => {
    cw.on(ListMetricsCommand).resolves({ Metrics: listed });
    cw.on(GetMetricDataCommand).callsFake(input => {
      if (input.MetricDataQueries[0].MetricStat.Stat === 'p99')
        throw new Error('HTTP 500');
      return answer(input);
    });
    const rows = await collect();
    expect(ttft(rows).filter(r => r[1] === HAIKU)).toEqual([
      ['10', HAIKU, 47, 40, 350, null],
      ['11', HAIKU, 47, 40, 350, null],
    ]);
  });
});
