/*
 * Collection shared by replicas: 2,000 tenants (3 models each) in 40 account-regions, collected
 * by 1 and then 3 instances of the plugin on one fresh PostgreSQL database, each running its real
 * shard tasks on Backstage's database-backed scheduler (the default 12 shards, 2 account-regions
 * at once per instance). CloudWatch is mocked and answers every call after 200 ms, so waiting
 * on AWS dominates as in production. Prints per instance the account-regions it collected and
 * the calls it made, the GetMetricData calls per account-region against the minimum, and the
 * ratio of the cycle's wall time with 3 instances to that with 1.
 *
 *   node --import tsx bench/collector.ts --replicas
 *   (BENCH_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432; BENCH_AWS_DELAY_MS, default 200)
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricDataCommandInput,
  ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mockClient } from 'aws-sdk-client-mock';
import knexFactory from 'knex';
import os from 'node:os';
import { bedrockPlugin } from '../plugins/bedrock-backend/src/plugin';

const ACCOUNTS = 10;
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1'];
const TENANTS = 2000;
const MODELS = [
  'amazon.nova-pro-v1:0',
  'amazon.nova-lite-v1:0',
  'amazon.nova-micro-v1:0',
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
/** queries per series: 6 sums + latency average and maximum; p99 in its own calls */
const QUERIES_PER_SERIES = 8;
const DELAY_MS = Number(process.env.BENCH_AWS_DELAY_MS ?? 200);
/** instances start this far apart, as replicas do: their schedulers poll at different moments */
const START_APART_MS = 1_700;

const accountId = (a: number) => String(100000000000 + a);
const ars = Array.from({ length: ACCOUNTS }, (_, a) =>
  REGIONS.map(region => ({ accountId: accountId(a), region })),
).flat();

/** 50 tenants per account-region, bound in config. */
const tenants = Array.from({ length: TENANTS }, (_, i) => {
  const ar = ars[i % ars.length];
  return {
    tenantId: `tenant-${i}`,
    entityRef: `component:default/tenant-${i}`,
    accountId: ar.accountId,
    regions: [ar.region],
    attribution: 'inference-profile',
    inferenceProfiles: Object.fromEntries(
      MODELS.map((m, k) => [`t${i}m${k}`, m]),
    ),
  };
});
const seriesOf = new Map<string, string[]>();
for (const t of tenants) {
  const key = `${t.accountId}/${t.regions[0]}`;
  seriesOf.set(key, [
    ...(seriesOf.get(key) ?? []),
    ...Object.keys(t.inferenceProfiles),
  ]);
}

interface Call {
  instance: string;
  ar: string;
  command: 'ListMetrics' | 'GetMetricData';
  start: number;
  end: number;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

const machineLoad = () =>
  `load average ${os.loadavg()[0].toFixed(2)} (1 min), ${os
    .loadavg()[1]
    .toFixed(2)} (5 min) on ${os.cpus().length} cores`;

/** A fresh PostgreSQL database (BENCH_POSTGRES_URL, default the local one), dropped after. */
async function createDatabase(prefix: string) {
  const url = new URL(
    process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432',
  );
  const name = `${prefix}_${Date.now()}_${process.pid}`;
  const connection = {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  };
  const admin = knexFactory({
    client: 'pg',
    connection: { ...connection, database: 'postgres' },
  });
  await admin.raw(`CREATE DATABASE ${name}`);
  const knex = knexFactory({
    client: 'pg',
    connection: { ...connection, database: name },
  });
  return {
    knex,
    async drop() {
      await knex.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

async function run(instances: number) {
  const db = await createDatabase(`bedrock_bench_replicas_${instances}`);
  const calls: Call[] = [];
  const cw = mockClient(CloudWatchClient);
  const who = async (getClient: () => any) => {
    const c = getClient().config;
    const [creds, region, ep] = await Promise.all([
      c.credentials(),
      c.region(),
      c.endpoint(),
    ]);
    return {
      ar: `${creds.accessKeyId.slice(4)}/${region}`,
      instance: ep.hostname as string,
    };
  };
  cw.on(ListMetricsCommand).callsFake(async (_input, getClient) => {
    const start = Date.now();
    const { ar, instance } = await who(getClient);
    await sleep(DELAY_MS);
    calls.push({
      instance,
      ar,
      command: 'ListMetrics',
      start,
      end: Date.now(),
    });
    return {
      Metrics: (seriesOf.get(ar) ?? []).flatMap(d =>
        METRICS.map(MetricName => ({
          Namespace: 'AWS/Bedrock',
          MetricName,
          Dimensions: [{ Name: 'ModelId', Value: d }],
        })),
      ),
    };
  });
  cw.on(GetMetricDataCommand).callsFake(
    async (_input: GetMetricDataCommandInput, getClient) => {
      const start = Date.now();
      const { ar, instance } = await who(getClient);
      await sleep(DELAY_MS);
      calls.push({
        instance,
        ar,
        command: 'GetMetricData',
        start,
        end: Date.now(),
      });
      return { MetricDataResults: [] };
    },
  );

  const hosts = Array.from({ length: instances }, (_, i) => `127.0.0.${i + 2}`);
  const backends = [];
  const minimum =
    Math.ceil(
      ((TENANTS / ars.length) * MODELS.length * QUERIES_PER_SERIES) / 500,
    ) + Math.ceil(((TENANTS / ars.length) * MODELS.length) / 500);
  try {
    // replicas start apart (their schedulers poll the tasks table at different moments)
    backends.push(
      ...(await Promise.all(
        hosts.map(async (host, i) => {
          await sleep(i * START_APART_MS);
          return startTestBackend({
            features: [
              bedrockPlugin,
              schedulerServiceFactory,
              catalogServiceMock.factory({ entities: [] }),
              mockServices.database.factory({ knex: db.knex }),
              mockServices.rootConfig.factory({
                data: {
                  aws: {
                    accounts: Array.from({ length: ACCOUNTS }, (_, a) => ({
                      accountId: accountId(a),
                      accessKeyId: `AKIA${accountId(a)}`,
                      secretAccessKey: 'x',
                    })),
                  },
                  bedrock: {
                    aws: { endpoint: `http://${host}:9`, maxAttempts: 1 },
                    tenants,
                    collector: {
                      // the tenants' calls are measured; the accounts' own series (spend no
                      // tenant owns) add one ListMetrics per account-region
                      accountUsage: false,
                      backfillDays: 1,
                      schedule: {
                        frequency: { minutes: 15 },
                        timeout: { minutes: 5 },
                        // every instance is up before the first shard is due
                        initialDelay: { seconds: 8 },
                      },
                    },
                    status: {
                      schedule: {
                        frequency: { hours: 1 },
                        timeout: { minutes: 1 },
                        initialDelay: { hours: 1 },
                      },
                    },
                    notifications: { enabled: false },
                  },
                },
              }),
            ],
          });
        }),
      )),
    );
    const expected = ars.length * (1 + minimum);
    const deadline = Date.now() + 10 * 60_000;
    while (calls.length < expected && Date.now() < deadline) await sleep(200);
    await sleep(3_000); // anything more would be a double collection
    const first = Math.min(...calls.map(c => c.start));
    const last = Math.max(...calls.map(c => c.end));
    const perWindow = new Map<string, number>();
    for (const c of calls.filter(x => x.command === 'GetMetricData'))
      perWindow.set(c.ar, (perWindow.get(c.ar) ?? 0) + 1);
    const perInstance = hosts.map(h => {
      const mine = calls.filter(c => c.instance === h);
      return {
        instance: h,
        accountRegions: new Set(mine.map(c => c.ar)).size,
        listMetricsCalls: mine.filter(c => c.command === 'ListMetrics').length,
        getMetricDataCalls: mine.filter(c => c.command === 'GetMetricData')
          .length,
      };
    });
    const arOwners = new Map<string, Set<string>>();
    for (const c of calls)
      arOwners.set(c.ar, (arOwners.get(c.ar) ?? new Set()).add(c.instance));
    const result = {
      instances,
      tenants: TENANTS,
      accountRegions: ars.length,
      collectedAccountRegions: perWindow.size,
      accountRegionsByMoreThanOneInstance: [...arOwners.values()].filter(
        s => s.size > 1,
      ).length,
      getMetricDataCallsPerAccountRegion: [...new Set(perWindow.values())].join(
        ',',
      ),
      minimumPerAccountRegion: minimum,
      awsDelayMs: DELAY_MS,
      cycleMs: last - first,
      perInstance,
    };
    console.log(JSON.stringify(result));
    return result;
  } finally {
    for (const b of backends) await b.stop();
    await sleep(1_000); // the instances' last queries settle before the database goes
    cw.restore();
    await db.drop();
  }
}

async function main() {
  console.log(machineLoad());
  const one = await run(1);
  const three = await run(3);
  console.log(
    `cycle wall time, 3 instances / 1 instance: ${(
      three.cycleMs / one.cycleMs
    ).toFixed(2)} ` +
      `(${three.cycleMs} ms / ${one.cycleMs} ms; goal <= 0.5); ` +
      `AWS-bound floor for 1 instance: ${Math.round(
        (ars.length * (1 + one.minimumPerAccountRegion) * DELAY_MS) / 2,
      )} ms`,
  );
  process.exit(0);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
