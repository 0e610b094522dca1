import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricDataCommandInput,
  ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mockClient } from 'aws-sdk-client-mock';
import { Knex } from 'knex';
import { bedrockPlugin } from '../plugin';
import { shardOf } from './shards';

jest.setTimeout(120_000);

const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1'];
const TENANTS_PER_AR = 3;
const SHARDS = 6;
const METRICS = ['Invocations', 'InputTokenCount', 'OutputTokenCount'];

/** Tenants bound in config: 3 per account-region, 2 model profiles each. */
function tenants() {
  return ACCOUNTS.flatMap((accountId, a) =>
    REGIONS.flatMap((region, r) =>
      Array.from({ length: TENANTS_PER_AR }, (_, i) => {
        const id = `t${a}${r}${i}`;
        return {
          tenantId: `tenant-${id}`,
          entityRef: `component:default/tenant-${id}`,
          accountId,
          regions: [region],
          attribution: 'inference-profile',
          inferenceProfiles: {
            [`${id}m0`]: 'amazon.nova-pro-v1:0',
            [`${id}m1`]: 'amazon.nova-lite-v1:0',
          },
        };
      }),
    ),
  );
}

/**
 * Three backend instances on one PostgreSQL database, each running the plugin's real scheduled
 * shard tasks through Backstage's database-backed scheduler; CloudWatch answers after 200 ms.
 * Every account-region window must be fetched exactly once, by one instance.
 */
describe('usage collection shared by replicas', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
  const cw = mockClient(CloudWatchClient);
  const bound = tenants();

  /** which instance sent a call: each instance has its own (never dialled) endpoint host */
  async function instanceOf(getClient: () => any): Promise<string> {
    const ep = await getClient().config.endpoint();
    return ep.hostname;
  }

  async function startInstance(knex: Knex, host: string) {
    return startTestBackend({
      features: [
        bedrockPlugin,
        schedulerServiceFactory,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            aws: {
              accounts: ACCOUNTS.map(accountId => ({
                accountId,
                accessKeyId: `AKIA${accountId}`,
                secretAccessKey: 'x',
              })),
            },
            bedrock: {
              aws: { endpoint: `http://${host}:9`, maxAttempts: 1 },
              tenants: bound,
              collector: {
                // the tenants' calls are counted here; the accounts' own series (spend no
                // tenant owns) are tested in src/unattributed
                accountUsage: false,
                backfillDays: 1,
                shards: SHARDS,
                concurrency: 1,
                schedule: {
                  frequency: { minutes: 15 },
                  timeout: { minutes: 1 },
                  initialDelay: { seconds: 4 },
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
  }

  it('collects each account-region window once, spread over three instances, at the minimum of calls', async () => {
    if (!databases.supports('POSTGRES_15')) {
      // eslint-disable-next-line no-console
      console.warn('PostgreSQL not configured: the replica test needs it');
      return;
    }
    const knex = await databases.init('POSTGRES_15');
    const calls: Array<{ instance: string; ar: string; window: string }> = [];
    const lists: Array<{ instance: string; ar: string }> = [];
    const arOf = async (getClient: () => any) => {
      const creds = await getClient().config.credentials();
      const region = await getClient().config.region();
      return `${creds.accessKeyId.slice(4)}/${region}`;
    };
    const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
    // CloudWatch answers nothing until every instance is up: the first ones can hold one shard
    // each (concurrency 1) and hand the rest back, so the last one started finds work too,
    // however slowly the machine starts it
    let allStarted = () => {};
    const started = new Promise<void>(r => {
      allStarted = r;
    });
    cw.on(ListMetricsCommand).callsFake(async (_input, getClient) => {
      const ar = await arOf(getClient);
      lists.push({ instance: await instanceOf(getClient), ar });
      await started;
      await sleep(200);
      const [accountId, region] = ar.split('/');
      return {
        Metrics: bound
          .filter(t => t.accountId === accountId && t.regions[0] === region)
          .flatMap(t => Object.keys(t.inferenceProfiles))
          .flatMap(d =>
            METRICS.map(MetricName => ({
              Namespace: 'AWS/Bedrock',
              MetricName,
              Dimensions: [{ Name: 'ModelId', Value: d }],
            })),
          ),
      };
    });
    cw.on(GetMetricDataCommand).callsFake(
      async (input: GetMetricDataCommandInput, getClient) => {
        calls.push({
          instance: await instanceOf(getClient),
          ar: await arOf(getClient),
          window: `${new Date(input.StartTime!).toISOString()}..${new Date(
            input.EndTime!,
          ).toISOString()} ${input.MetricDataQueries![0].MetricStat!.Stat}`,
        });
        await sleep(200);
        return { MetricDataResults: [] };
      },
    );

    const hosts = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];
    const backends = [];
    for (const host of hosts) {
      // replicas start apart, so their schedulers poll the tasks table at different moments
      if (backends.length) await sleep(1_700);
      backends.push(await startInstance(knex, host));
    }
    allStarted();
    try {
      const ars = ACCOUNTS.flatMap(a => REGIONS.map(r => `${a}/${r}`));
      const deadline = Date.now() + 90_000;
      while (
        new Set(calls.map(c => c.ar)).size < ars.length &&
        Date.now() < deadline
      )
        await sleep(500);
      // let every shard run again on some instance: nothing more may be fetched
      await sleep(4_000);

      // every account-region, each window once: one call for the sums (6 queries per tenant),
      // one for p99 (none listed here: no call), whatever instance ran it
      const perWindow = new Map<string, number>();
      for (const c of calls) {
        const key = `${c.ar} ${c.window}`;
        perWindow.set(key, (perWindow.get(key) ?? 0) + 1);
      }
      expect([...perWindow.values()].filter(n => n !== 1)).toEqual([]);
      expect(new Set(calls.map(c => c.ar))).toEqual(new Set(ars));
      expect(calls).toHaveLength(ars.length);
      // each account-region by exactly one instance
      for (const ar of ars) {
        expect(
          new Set(calls.filter(c => c.ar === ar).map(c => c.instance)).size,
        ).toBe(1);
      }
      // and every shard's account-regions by the same instance (one shard, one claim)
      const byShard = new Map<number, Set<string>>();
      for (const c of calls) {
        const [a, r] = c.ar.split('/');
        const k = shardOf(a, r, SHARDS);
        byShard.set(k, (byShard.get(k) ?? new Set()).add(c.instance));
      }
      for (const owners of byShard.values()) expect(owners.size).toBe(1);
      // the work was spread: every instance collected something
      expect(new Set(calls.map(c => c.instance))).toEqual(new Set(hosts));
      // ListMetrics once per account-region too
      expect(lists).toHaveLength(ars.length);
    } finally {
      for (const b of backends) await b.stop();
    }
  });
});
