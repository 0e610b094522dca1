/*
 * Collector efficiency benchmark: 500 active tenants x 3 models (inference-profile attribution,
 * one account and region, traffic every hour) beside 500 idle ones (no datapoint for two weeks,
 * so ListMetrics does not list them). Prints GetMetricData calls of the backfill against the
 * minimum ceil(queries / 500) per time window, then a day of cycles at the default schedule
 * (every 15 minutes) and what it costs: CloudWatch USD per active tenant-month.
 *
 *   node --import tsx bench/collector.ts
 *       CloudWatch answered by aws-sdk-client-mock: two cycles in seconds (the collector's own cost)
 *   BENCH_AWS=emulator node --import tsx bench/collector.ts
 *       the same tenants seeded into moto (one hour of datapoints per series), one cycle through
 *       the real SDK and HTTP: the same call counts, and a cycle time that is mostly moto's (its
 *       GetMetricData scans every stored datapoint per query: about 10 s per call here)
 *   node --import tsx bench/collector.ts --replicas
 *       2,000 tenants in 40 account-regions collected by 1, then 3 plugin instances on one
 *       PostgreSQL (bench/collectorReplicas.ts)
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  PutMetricDataCommand,
  GetMetricDataCommandInput,
  ListMetricsCommand,
  ListMetricsCommandInput,
  Metric,
} from '@aws-sdk/client-cloudwatch';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { EMULATOR_CREDENTIALS, startMoto } from '@bedrock-tenancy/aws-emulator';
import { mockClient } from 'aws-sdk-client-mock';
import knexFactory from 'knex';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { Tenant } from '../plugins/bedrock-backend/src/tenant';
import { UsageCollector } from '../plugins/bedrock-backend/src/collector/UsageCollector';
import { DatabaseUsageStore } from '../plugins/bedrock-backend/src/database/DatabaseUsageStore';

const TENANTS = 500;
const IDLE_TENANTS = 500;
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
/** GetMetricData list price: USD 0.01 per 1,000 metrics requested */
const USD_PER_METRIC = 0.01 / 1000;
/** the default collector schedule: every 15 minutes */
const CYCLES_PER_DAY = (24 * 60) / 15;
/** the defaults, with one day of backfill: one 24-hour window */
const COLLECTOR_OPTIONS = {
  backfillDays: 1,
  refetchHours: 3,
  windowHours: 24,
  concurrency: 2,
  fetchEveryHours: Number(process.env.BENCH_FETCH_EVERY_HOURS ?? 3),
};

const silent: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => silent,
};

/** The benchmark's tenants and the CloudWatch metrics their traffic makes. */
function benchTenants() {
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

  // idle: bound, but their profiles had no datapoint for two weeks (not listed)
  for (let i = 0; i < IDLE_TENANTS; i++) {
    tenants.push({
      ...tenants[0],
      tenantId: `idle-${i}`,
      entityRef: `component:default/idle-${i}`,
      inferenceProfiles: Object.fromEntries(
        MODELS.map((m, k) => [`i${i}m${k}`, m]),
      ),
      alarmPrefix: `bedrock-idle-${i}-`,
      budgetName: `bedrock-idle-${i}`,
    });
  }
  return { tenants, metrics };
}

const SERIES = TENANTS * MODELS.length;
const QUERIES = SERIES * QUERIES_PER_SERIES;
/** per time window: the main queries, plus the optional p99 ones */
const MIN_PER_WINDOW = Math.ceil(QUERIES / 500) + Math.ceil(SERIES / 500);

async function memoryStore() {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
  });
  await DatabaseUsageStore.migrate(knex);
  return { knex, store: DatabaseUsageStore.fromKnex(knex) };
}

/** One backfill cycle against moto, seeded with one hour of every series. */
async function emulatorCycle() {
  const { tenants, metrics } = benchTenants();
  const moto = await startMoto();
  try {
    const hour = new Date(Math.floor(Date.now() / HOUR) * HOUR - HOUR);
    const cw = new CloudWatchClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: EMULATOR_CREDENTIALS,
      disableRequestCompression: true,
    });
    const seeded = Date.now();
    for (let i = 0; i < metrics.length; i += 500) {
      await cw.send(
        new PutMetricDataCommand({
          Namespace: 'AWS/Bedrock',
          MetricData: metrics.slice(i, i + 500).map(m => ({
            MetricName: m.MetricName,
            Dimensions: m.Dimensions,
            Timestamp: hour,
            Value: 1,
          })),
        }),
      );
    }
    const seedMs = Date.now() - seeded;
    const { knex, store } = await memoryStore();
    const collector = UsageCollector.create({
      store,
      clients: AwsClientFactory.create({
        credentials: async () => async () => EMULATOR_CREDENTIALS,
        endpoint: moto.endpoint,
        maxAttempts: 1,
        requestTimeoutMs: 600_000,
      }),
      logger: silent,
      options: COLLECTOR_OPTIONS,
    });
    const started = Date.now();
    const s = await collector.collect(tenants);
    console.log(
      JSON.stringify({
        cycle: 'backfill against moto (1 day, 1 window)',
        tenants: TENANTS,
        seededDatapoints: metrics.length,
        seedMs,
        modelSeries: s.series,
        metricDataQueries: QUERIES,
        getMetricDataCalls: s.getMetricDataCalls,
        minimum: MIN_PER_WINDOW,
        ceilSeriesOver500: Math.ceil(SERIES / 500),
        failedGroups: s.failedGroups,
        ms: Date.now() - started,
      }),
    );
    await knex.destroy();
  } finally {
    await moto.stop();
  }
}

async function main() {
  if (process.argv.includes('--replicas')) {
    await import('./collectorReplicas');
    return;
  }
  if (process.env.BENCH_AWS === 'emulator') {
    await emulatorCycle();
    return;
  }
  const { tenants, metrics } = benchTenants();
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

  const { knex, store } = await memoryStore();
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
    options: COLLECTOR_OPTIONS,
    now: () => now,
  });

  const cycle = async () => {
    const before = cw.commandCalls(GetMetricDataCommand).length;
    listCalls = 0;
    const started = Date.now();
    const s = await collector.collect(tenants);
    const calls = cw.commandCalls(GetMetricDataCommand).slice(before);
    return {
      s,
      calls: calls.length,
      listCalls,
      ms: Date.now() - started,
      metricsRequested: calls.reduce(
        (n, c) => n + (c.args[0].input.MetricDataQueries?.length ?? 0),
        0,
      ),
    };
  };

  const backfill = await cycle();
  console.log(
    JSON.stringify({
      cycle: 'backfill (1 day, 1 window)',
      activeTenants: TENANTS,
      idleTenants: IDLE_TENANTS,
      modelSeries: backfill.s.series,
      metricDataQueries: QUERIES,
      getMetricDataCalls: backfill.calls,
      minimum: MIN_PER_WINDOW,
      ceilSeriesOver500: Math.ceil(SERIES / 500),
      listMetricsCalls: backfill.listCalls,
      failedGroups: backfill.s.failedGroups,
      ms: backfill.ms,
      metricsRequested: backfill.metricsRequested,
    }),
  );

  // a day at the default schedule: every 15 minutes
  let dayMetrics = 0;
  let dayCalls = 0;
  let fetchingCycles = 0;
  let slowest = 0;
  for (let i = 0; i < CYCLES_PER_DAY; i++) {
    now += 15 * 60_000;
    const c = await cycle();
    dayMetrics += c.metricsRequested;
    dayCalls += c.calls;
    if (c.calls) fetchingCycles++;
    slowest = Math.max(slowest, c.ms);
  }
  // GetMetricData is billed per metric requested, whatever the span
  const usdPerActiveTenantMonth = (dayMetrics * 30 * USD_PER_METRIC) / TENANTS;
  console.log(
    JSON.stringify({
      cycle: `one day of 15-minute cycles (fetchEveryHours ${COLLECTOR_OPTIONS.fetchEveryHours})`,
      cycles: CYCLES_PER_DAY,
      cyclesThatFetched: fetchingCycles,
      getMetricDataCalls: dayCalls,
      metricsRequested: dayMetrics,
      metricsPerActiveTenantDay: dayMetrics / TENANTS,
      slowestCycleMs: slowest,
      cloudWatchUsdPerActiveTenantMonth: Number(
        usdPerActiveTenantMonth.toFixed(4),
      ),
      cloudWatchUsdPerIdleTenantMonth: 0,
    }),
  );
  console.log(
    `CloudWatch cost of the collection: USD ${usdPerActiveTenantMonth.toFixed(
      3,
    )} per active tenant-month (3 models, traffic every hour; goal <= 0.10); idle tenants requested: 0 metrics`,
  );
  await knex.destroy();
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
