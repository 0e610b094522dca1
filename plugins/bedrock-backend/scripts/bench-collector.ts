/*
 * Collector efficiency benchmark: 500 tenants x 3 models (inference-profile attribution, one
 * account and region), CloudWatch answered by aws-sdk-client-mock. Prints GetMetricData calls
 * per cycle against the minimum ceil(queries / 500) per time window.
 *
 *   cd plugins/bedrock-backend && yarn run -T tsx scripts/bench-collector.ts
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricDataCommandInput,
  ListMetricsCommand,
  ListMetricsCommandInput,
  Metric,
} from '@aws-sdk/client-cloudwatch';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { mockClient } from 'aws-sdk-client-mock';
import knexFactory from 'knex';
import { AwsClientFactory } from '../src/aws/AwsClientFactory';
import { Tenant } from '../src/collector/tenants';
import { UsageCollector } from '../src/collector/UsageCollector';
import { DatabaseUsageStore } from '../src/database/DatabaseUsageStore';

const TENANTS = 500;
const MODELS = [
  'amazon.nova-lite-v1:0',
  'anthropic.claude-3-haiku-20240307-v1:0',
  'amazon.nova-pro-v1:0',
];
const METRICS = [
  'Invocations',
  'InputTokenCount',
  'OutputTokenCount',
  'InvocationClientErrors',
  'InvocationServerErrors',
  'InvocationThrottles',
  'InvocationLatency',
];
/** queries per model series: 6 sums + latency Average and Maximum */
const QUERIES_PER_SERIES = 8;
const HOUR = 3_600_000;

const silent: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => silent,
};

async function main() {
  const tenants: Tenant[] = [];
  const metrics: Metric[] = [];
  for (let i = 0; i < TENANTS; i++) {
    const profiles: Record<string, string> = {};
    MODELS.forEach((m, k) => {
      const id = `t${i}m${k}`;
      profiles[id] = m;
      for (const MetricName of METRICS) {
        metrics.push({
          Namespace: 'AWS/Bedrock',
          MetricName,
          Dimensions: [{ Name: 'ModelId', Value: id }],
        });
      }
    });
    tenants.push({
      tenantId: `tenant-${i}`,
      entityRef: `component:default/tenant-${i}`,
      accountId: '123456789012',
      regions: ['us-east-1'],
      attribution: 'inference-profile',
      inferenceProfiles: profiles,
      principalArns: [],
      alarmPrefix: `bedrock-tenant-${i}-`,
      budgetName: `bedrock-tenant-${i}`,
    });
  }

  const cw = mockClient(CloudWatchClient);
  let listCalls = 0;
  cw.on(ListMetricsCommand).callsFake((input: ListMetricsCommandInput) => {
    listCalls++;
    const start = Number(input.NextToken ?? 0);
    const next = start + 500;
    return {
      Metrics: metrics.slice(start, next),
      NextToken: next < metrics.length ? String(next) : undefined,
    };
  });
  cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
    const from = new Date(input.StartTime!).getTime();
    const to = new Date(input.EndTime!).getTime();
    const ts: Date[] = [];
    for (let t = from; t < to; t += HOUR) ts.push(new Date(t));
    return {
      MetricDataResults: input.MetricDataQueries!.map(q => ({
        Id: q.Id,
        Timestamps: ts,
        Values: ts.map(() => 1),
      })),
    };
  });

  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
  });
  await DatabaseUsageStore.migrate(knex);
  const store = DatabaseUsageStore.fromKnex(knex);
  let now = Date.parse('2026-11-20T12:10:00Z');
  const collector = UsageCollector.create({
    store,
    clients: AwsClientFactory.create({
      credentials: async () => async () => ({
        accessKeyId: 'x',
        secretAccessKey: 'y',
      }),
    }),
    logger: silent,
    options: {
      backfillDays: 1,
      refetchHours: 3,
      windowHours: 24,
      concurrency: 2,
    },
    now: () => now,
  });

  const series = TENANTS * MODELS.length;
  const queries = series * QUERIES_PER_SERIES;
  const minPerWindow = Math.ceil(queries / 500) + Math.ceil(series / 500); // + optional p99
  for (const [label, windows] of [
    ['backfill (1 day, 1 window)', 1],
    ['steady state (15 min later)', 1],
  ] as const) {
    const before = cw.commandCalls(GetMetricDataCommand).length;
    listCalls = 0;
    const started = Date.now();
    const s = await collector.collect(tenants);
    const calls = cw.commandCalls(GetMetricDataCommand).length - before;
    console.log(
      JSON.stringify({
        cycle: label,
        tenants: TENANTS,
        modelSeries: s.series,
        metricDataQueries: queries,
        getMetricDataCalls: calls,
        minimum: minPerWindow * windows,
        ceilSeriesOver500: Math.ceil(series / 500),
        listMetricsCalls: listCalls,
        failedGroups: s.failedGroups,
        ms: Date.now() - started,
      }),
    );
    now += 15 * 60_000;
  }
  await knex.destroy();
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
