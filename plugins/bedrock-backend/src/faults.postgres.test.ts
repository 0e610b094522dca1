/*
 * Faults under the running plugin (issue 20 §4): PostgreSQL stopped in the middle of a
 * collection and started again, and CloudWatch throttling every GetMetricData for a stretch. The
 * plugin runs with Backstage's database-backed scheduler on a PostgreSQL cluster of the test's
 * own (never the machine's shared one); AWS is aws-sdk-client-mock. Each faulted run is compared
 * with a clean run of the same collection: the same hourly and daily rows, the same owner
 * notifications, each sent once, and nobody triggers anything: the scheduler alone recovers.
 */
import { BedrockClient } from '@aws-sdk/client-bedrock';
import {
  BudgetsClient,
  DescribeBudgetCommand,
  DescribeNotificationsForBudgetCommand,
} from '@aws-sdk/client-budgets';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch';
import { ServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mockClient } from 'aws-sdk-client-mock';
import request from 'supertest';
import {
  API,
  ROUTES,
  startPluginOnPostgres,
  tenant,
  watermarkOf,
} from './__testUtils__/pluginOnPostgres';
import {
  PostgresServer,
  postgresServerAvailable,
  startPostgresServer,
} from './__testUtils__/postgresServer';
import {
  listedMetrics,
  syntheticDatapoints,
} from './__testUtils__/syntheticMetrics';
import { floorHour, iso } from './lib/time';

jest.setTimeout(300_000);

/** the hours every run collects in full, whenever the test's clock turns an hour */
const CUTOFF = iso(floorHour(Date.now()));
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function until(what: string, ok: () => Promise<boolean>, ms = 90_000) {
  const deadline = Date.now() + ms;
  while (!(await ok().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms`);
    await sleep(250);
  }
}

// ---- AWS: deterministic CloudWatch datapoints, a budget, no alarms ----------------------------
const cw = mockClient(CloudWatchClient);
const budgets = mockClient(BudgetsClient);
mockClient(BedrockClient).resolves({});
/** what each GetMetricData call does before it answers; set per run */
let beforeAnswer: (call: number) => Promise<void> = async () => {};
let calls = 0;
let spendUsd = 0;

beforeEach(() => {
  calls = 0;
  beforeAnswer = async () => {};
  cw.reset();
  cw.on(ListMetricsCommand).resolves(listedMetrics(tenant));
  cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
  cw.on(GetMetricDataCommand).callsFake(async input => {
    await beforeAnswer(++calls);
    await sleep(150); // a collection lasts long enough to be interrupted
    return syntheticDatapoints(input);
  });
  budgets.reset();
  budgets.on(DescribeBudgetCommand).callsFake(async () => ({
    Budget: {
      BudgetName: tenant.budgetName,
      BudgetType: 'COST',
      TimeUnit: 'MONTHLY',
      BudgetLimit: { Amount: '100', Unit: 'USD' },
      CalculatedSpend: {
        ActualSpend: { Amount: String(spendUsd), Unit: 'USD' },
      },
    },
  }));
  budgets
    .on(DescribeNotificationsForBudgetCommand)
    .resolves({ Notifications: [] });
});

let pg: PostgresServer;
const startPlugin = (database: string, catalog?: ServiceFactory) =>
  startPluginOnPostgres({ pg, database, cutoff: CUTOFF, catalog });

/** Every route once: 200, or 503 with Retry-After and a message, never another 5xx. */
async function probeRoutes(server: any) {
  const out: Array<{ route: string; status: number }> = [];
  for (const [method, path] of ROUTES) {
    const res = await request(server)[method](path).timeout(15_000);
    out.push({ route: `${method} ${path}`, status: res.status });
    if (res.status !== 200) {
      expect({ path, status: res.status }).toEqual({ path, status: 503 });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.body.error.message).toEqual(expect.any(String));
    }
  }
  return out;
}

// skipped only where nothing asks for PostgreSQL: the test command (scripts/test.sh) sets the
// connection string, and there a missing initdb fails the test
const describeWithPostgres =
  postgresServerAvailable() ||
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
    ? describe
    : describe.skip;

describeWithPostgres('the plugin through PostgreSQL and AWS faults', () => {
  let clean: Awaited<
    ReturnType<Awaited<ReturnType<typeof startPlugin>>['rows']>
  >;
  let cleanSent: string[];

  beforeAll(async () => {
    pg = await startPostgresServer();
  });
  afterAll(async () => {
    await pg?.destroy();
  });

  it('collects the rows and sends the notification of a clean run', async () => {
    spendUsd = 90;
    const plugin = await startPlugin('clean_run');
    try {
      await until('the clean run collected', plugin.collected);
      await until('the budget notification sent', async () =>
        plugin.sent.some(t => t.includes('80% of the Bedrock budget')),
      );
      await sleep(2_000); // more status runs: nothing more is sent
      clean = await plugin.rows();
      cleanSent = [...plugin.sent];
    } finally {
      await plugin.stop();
    }
    expect(clean.hourly.length).toBeGreaterThan(0);
    expect(clean.daily.length).toBeGreaterThan(0);
    expect(cleanSent).toEqual([
      expect.stringContaining('80% of the Bedrock budget'),
    ]);
  });

  it('answers 200 or 503 while PostgreSQL is down mid-collection, then catches up by itself', async () => {
    spendUsd = 30; // under every threshold until the outage
    let stopped: () => void = () => {};
    const outage = new Promise<void>(r => (stopped = r));
    let watermarkAtFault: string | undefined;
    beforeAnswer = async call => {
      if (call !== 3) return;
      watermarkAtFault = await watermarkOf(pg, 'faulted_run');
      await pg.stop(); // two windows stored, the third fetched into a stopped database
      spendUsd = 90; // the 80% threshold is crossed while the database is down
      stopped();
    };
    const plugin = await startPlugin('faulted_run');
    try {
      await outage;
      const during: Array<{ route: string; status: number }> = [];
      const downUntil = Date.now() + 4_000;
      while (Date.now() < downUntil)
        during.push(...(await probeRoutes(plugin.server)));
      // every route but /health reads the database: each told the caller to come back
      const statusesOf = (route: string) => [
        ...new Set(during.filter(r => r.route === route).map(r => r.status)),
      ];
      expect(
        Object.fromEntries(
          ROUTES.map(([m, path]) => [path, statusesOf(`${m} ${path}`)]),
        ),
      ).toEqual(
        Object.fromEntries(
          ROUTES.map(([, path]) => [
            path,
            path.endsWith('/health') ? [200] : [503],
          ]),
        ),
      );
      expect(plugin.sent).toEqual([]);
      // the fault came in the middle of the backfill: some windows stored, not all
      expect(watermarkAtFault).toEqual(expect.any(String));
      expect(watermarkAtFault! < CUTOFF).toBe(true);

      await pg.start();
      // no trigger, no restart: the scheduler's next runs finish the collection and the notice
      await until('the collection finished after the outage', plugin.collected);
      await until(
        'the budget notification sent',
        async () => plugin.sent.length > 0,
      );
      await sleep(4_000); // more status and usage runs
      expect(plugin.sent).toEqual(cleanSent);
      expect(await plugin.rows()).toEqual(clean);
      // and every read answers from the database again
      const reads = (await probeRoutes(plugin.server)).filter(r =>
        r.route.startsWith('get'),
      );
      expect(reads).toEqual(reads.map(r => ({ ...r, status: 200 })));
    } finally {
      await plugin.stop();
    }
  });

  it('serves while CloudWatch throttles every call for a stretch, then has the rows of a clean run', async () => {
    spendUsd = 90;
    let throttledUntil = 0;
    let throttled = 0;
    beforeAnswer = async call => {
      if (call === 3) throttledUntil = Date.now() + 6_000;
      if (call >= 3 && Date.now() < throttledUntil) {
        throttled++;
        throw Object.assign(new Error('Rate exceeded'), {
          name: 'ThrottlingException',
          $metadata: { httpStatusCode: 400 },
        });
      }
    };
    const plugin = await startPlugin('throttled_run');
    const summary = `${API}/entity/component/default/${tenant.tenantId}/summary?range=7d`;
    try {
      await until('the throttling started', async () => throttledUntil > 0);
      const dataUntil: Array<string | null> = [];
      while (Date.now() < throttledUntil) {
        const res = await request(plugin.server).get(summary).timeout(15_000);
        expect(res.status).toBe(200);
        dataUntil.push(res.body.freshness.dataUntil);
        await sleep(500);
      }
      // the runs of the stretch failed: the tenant's data stopped where the throttling began
      expect(throttled).toBeGreaterThan(1);
      expect(dataUntil.every(d => d !== null && d < CUTOFF)).toBe(true);
      await until(
        'the collection finished after the throttling',
        plugin.collected,
      );
      expect(await plugin.rows()).toEqual(clean);
      const after = await request(plugin.server).get(summary).timeout(15_000);
      expect(after.status).toBe(200);
      expect(after.body.freshness.dataUntil >= CUTOFF).toBe(true);
      expect(plugin.sent).toEqual(cleanSent);
    } finally {
      await plugin.stop();
    }
  });

  it('answers 503 with Retry-After for what needs the catalog while the catalog is down, and collects on', async () => {
    spendUsd = 90;
    // the catalog backend refuses connections: every catalog call fails as fetch does then
    const refused = () =>
      Promise.reject(
        new TypeError('fetch failed', {
          cause: Object.assign(
            new Error('connect ECONNREFUSED 127.0.0.1:7007'),
            {
              code: 'ECONNREFUSED',
            },
          ),
        }),
      );
    const catalog = catalogServiceMock.mock();
    for (const fn of Object.values(catalog))
      if (jest.isMockFunction(fn)) fn.mockImplementation(refused);
    const plugin = await startPlugin('catalog_down', catalog.factory);
    try {
      const statuses = await probeRoutes(plugin.server);
      // what decides the caller's access with the catalog says to come back later; the
      // bindings and the enforcement plan (Bedrock admins) need only the database
      const catalogFree = ['/health', '/bindings/', '/enforcement/plan'];
      expect(statuses.map(r => r.status)).toEqual(
        ROUTES.map(([, path]) =>
          catalogFree.some(p => path.includes(p)) ? 200 : 503,
        ),
      );
      // the collector reads the bindings from the database, never the catalog
      await until(
        'the collection finished without the catalog',
        plugin.collected,
      );
      expect(await plugin.rows()).toEqual(clean);
    } finally {
      await plugin.stop();
    }
  });
});
