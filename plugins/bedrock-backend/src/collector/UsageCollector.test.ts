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

describe('UsageCollector (mocked CloudWatch)', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const cw = mockClient(CloudWatchClient);

  let now = NOW;
  beforeEach(() => {
    cw.reset();
    now = NOW;
  });

  async function setup(hours = 2) {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const store = DatabaseUsageStore.fromKnex(knex);
    const clients = AwsClientFactory.create({
      credentials: async accountId => async () => ({
        accessKeyId: `AKIA${accountId}`,
        secretAccessKey: 'x',
      }),
    });
    const collector = UsageCollector.create({
      store,
      clients,
      logger: mockServices.logger.mock(),
      options: {
        backfillDays: hours / 24,
        refetchHours: 3,
        windowHours: 24,
        concurrency: 2,
        fetchEveryHours: 3,
      },
      now: () => now,
    });
    return { store, collector };
  }

  const series = (dimension: string, metrics: string[]) =>
    metrics.map(MetricName => ({
      Namespace: 'AWS/Bedrock',
      MetricName,
      Dimensions: [{ Name: 'ModelId', Value: dimension }],
    }));

  /** Answers every query with value 10 per hour, p99 with 1234. */
  function answer(input: GetMetricDataCommandInput) {
    const start = new Date(input.StartTime!).getTime();
    const end = new Date(input.EndTime!).getTime();
    const ts: Date[] = [];
    for (let t = start; t < end; t += HOUR) ts.push(new Date(t));
    return {
      MetricDataResults: input.MetricDataQueries!.map(q => ({
        Id: q.Id,
        Timestamps: ts,
        Values: ts.map(() => (q.MetricStat!.Stat === 'p99' ? 1234 : 10)),
        StatusCode: 'Complete' as const,
      })),
    };
  }

  it('stores p99 latency when the endpoint serves percentiles', async () => {
    const { store, collector } = await setup();
    cw.on(ListMetricsCommand).resolves({
      Metrics: series('prof1', [
        'Invocations',
        'InvocationLatency',
        'InputTokenCount',
      ]),
    });
    cw.on(GetMetricDataCommand).callsFake(answer);
    const summary = await collector.collect([
      testTenant({
        tenantId: 'alpha',
        inferenceProfiles: { prof1: 'amazon.nova-pro-v1:0' },
      }),
    ]);
    expect(summary.failedGroups).toBe(0);
    const rows = await store.getUsage({
      tenantIds: ['alpha'],
      from: '2026-11-20T00:00:00.000Z',
      to: '2026-11-21T00:00:00.000Z',
    });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      modelId: 'amazon.nova-pro-v1:0',
      invocations: 10,
      inputTokens: 10,
      latencyAvgMs: 10,
      latencyMaxMs: 10,
      latencyP99Ms: 1234,
    });
    const stats = cw
      .commandCalls(GetMetricDataCommand)
      .map(c =>
        c.args[0].input.MetricDataQueries!.map(q => q.MetricStat!.Stat).sort(),
      );
    expect(stats).toEqual([['Average', 'Maximum', 'Sum', 'Sum'], ['p99']]);
  });

  it('reports p99 as not available when percentiles fail, keeping the rest', async () => {
    const { store, collector } = await setup();
    cw.on(ListMetricsCommand).resolves({
      Metrics: series('prof1', ['Invocations', 'InvocationLatency']),
    });
    cw.on(GetMetricDataCommand).callsFake(input => {
      if (input.MetricDataQueries[0].MetricStat.Stat === 'p99')
        throw new Error('HTTP 500');
      return answer(input);
    });
    const summary = await collector.collect([
      testTenant({
        tenantId: 'alpha',
        inferenceProfiles: { prof1: 'amazon.nova-pro-v1:0' },
      }),
    ]);
    expect(summary.failedGroups).toBe(0);
    const rows = await store.getUsage({
      tenantIds: ['alpha'],
      from: '2026-11-20T00:00:00.000Z',
      to: '2026-11-21T00:00:00.000Z',
    });
    expect(rows.map(r => [r.invocations, r.latencyP99Ms])).toEqual([
      [10, null],
      [10, null],
    ]);
  });

  it('batches at most 500 queries per GetMetricData call', async () => {
    const { collector } = await setup(1);
    const profiles: Record<string, string> = {};
    const metrics = [];
    for (let i = 0; i < 130; i++) {
      profiles[`p${i}`] = 'amazon.nova-lite-v1:0';
      metrics.push(
        ...series(`p${i}`, [
          'Invocations',
          'InputTokenCount',
          'OutputTokenCount',
          'InvocationLatency',
        ]),
      );
    }
    cw.on(ListMetricsCommand).resolves({ Metrics: metrics });
    cw.on(GetMetricDataCommand).callsFake(answer);
    const summary = await collector.collect([
      testTenant({ tenantId: 'alpha', inferenceProfiles: profiles }),
    ]);
    // 130 series x (3 sums + avg + max) = 650 queries -> 2 calls; p99: 130 queries -> 1 call
    const sizes = cw
      .commandCalls(GetMetricDataCommand)
      .map(c => c.args[0].input.MetricDataQueries!.length);
    expect(sizes).toEqual([500, 150, 130]);
    expect(summary.getMetricDataCalls).toBe(3);
  });

  it('re-collecting replaces the window: values that changed or vanished in CloudWatch are gone', async () => {
    const { store, collector } = await setup();
    const alpha = testTenant({
      tenantId: 'alpha',
      inferenceProfiles: {
        pro: 'amazon.nova-pro-v1:0',
        lite: 'amazon.nova-lite-v1:0',
      },
    });
    cw.on(ListMetricsCommand).resolves({
      Metrics: [
        ...series('pro', ['Invocations']),
        ...series('lite', ['Invocations']),
      ],
    });
    cw.on(GetMetricDataCommand).callsFake(answer);
    await collector.collect([alpha]);
    const usage = async () =>
      (
        await store.getUsage({
          tenantIds: ['alpha'],
          from: '2026-11-20T00:00:00.000Z',
          to: '2026-11-21T00:00:00.000Z',
        })
      )
        .map(r => `${r.modelId} ${r.hour} ${r.invocations}`)
        .sort();
    expect(await usage()).toEqual([
      'amazon.nova-lite-v1:0 2026-11-20T10:00:00.000Z 10',
      'amazon.nova-lite-v1:0 2026-11-20T11:00:00.000Z 10',
      'amazon.nova-pro-v1:0 2026-11-20T10:00:00.000Z 10',
      'amazon.nova-pro-v1:0 2026-11-20T11:00:00.000Z 10',
    ]);

    // CloudWatch now says: Nova Pro had 7 calls at 11:00 only, Nova Lite none at all
    cw.on(GetMetricDataCommand).callsFake(input => ({
      MetricDataResults: input.MetricDataQueries!.map((q: any) => {
        const pro = q.MetricStat.Metric.Dimensions[0].Value === 'pro';
        return {
          Id: q.Id,
          Timestamps: pro ? [new Date('2026-11-20T11:00:00.000Z')] : [],
          Values: pro ? [7] : [],
          StatusCode: 'Complete' as const,
        };
      }),
    }));
    await collector.collect([alpha], { force: true });
    expect(await usage()).toEqual([
      'amazon.nova-pro-v1:0 2026-11-20T11:00:00.000Z 7',
    ]);
  });

  it('collects the other accounts when one fails', async () => {
    const { store, collector } = await setup();
    cw.on(ListMetricsCommand).callsFake(async (_input, getClient) => {
      const creds = await getClient().config.credentials();
      if (creds.accessKeyId === 'AKIA222222222222') {
        throw Object.assign(new Error('User is not authorized'), {
          name: 'AccessDenied',
        });
      }
      return {
        Metrics: series('prof1', ['Invocations']).concat(
          series('prof2', ['Invocations']),
        ),
      };
    });
    cw.on(GetMetricDataCommand).callsFake(answer);
    const summary = await collector.collect([
      testTenant({
        tenantId: 'alpha',
        inferenceProfiles: { prof1: 'amazon.nova-pro-v1:0' },
      }),
      testTenant({
        tenantId: 'beta',
        accountId: '222222222222',
        inferenceProfiles: { prof2: 'amazon.nova-pro-v1:0' },
      }),
    ]);
    expect(summary).toMatchObject({ groups: 2, failedGroups: 1 });
    expect(summary.errors).toEqual([
      expect.stringContaining('222222222222/us-east-1: AccessDenied'),
    ]);
    const states = await store.getStates(['alpha', 'beta']);
    expect(states.alpha.watermark).toBe('2026-11-20T12:00:00.000Z');
    expect(states.beta.watermark).toBeNull();
    expect(states.beta.lastError).toContain('AccessDenied');
    const rows = await store.getUsage({
      tenantIds: ['alpha', 'beta'],
      from: '2026-11-20T00:00:00.000Z',
      to: '2026-11-21T00:00:00.000Z',
    });
    expect(new Set(rows.map(r => r.tenantId))).toEqual(new Set(['alpha']));
  });
});
