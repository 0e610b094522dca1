import { lightDatabases } from '../__testUtils__/lightDatabases';
import { DatabaseUsageStore } from './DatabaseUsageStore';
import { emptyUsageRow, HourlyUsageRow } from './types';

jest.setTimeout(60_000);

const HOUR = 3_600_000;
const START = Date.parse('2026-10-20T00:00:00.000Z');
const iso = (t: number) => new Date(t).toISOString();

/** 40 days of hourly rows for two tenants and two models, with counts that differ every hour. */
function rows(): HourlyUsageRow[] {
  const out: HourlyUsageRow[] = [];
  for (const tenantId of ['alpha', 'beta']) {
    for (const modelId of ['amazon.nova-lite-v1:0', 'amazon.nova-pro-v1:0']) {
      for (let h = 0; h < 40 * 24; h++) {
        out.push({
          ...emptyUsageRow({
            tenantId,
            accountId: '123456789012',
            region: 'us-east-1',
            modelId,
            hour: iso(START + h * HOUR),
          }),
          invocations: (h * 7 + tenantId.length) % 13,
          inputTokens: (h * 31) % 1000,
          outputTokens: (h * 17) % 300,
          throttles: h % 5 === 0 ? 1 : 0,
          latencyAvgMs: 500,
        });
      }
    }
  }
  return out;
}

const sum = (
  rs: HourlyUsageRow[],
  from: number,
  to: number,
  key: keyof HourlyUsageRow,
) =>
  rs
    .filter(r => Date.parse(r.hour) >= from && Date.parse(r.hour) < to)
    .reduce((n, r) => n + (r[key] as number), 0);

describe('DatabaseUsageStore.getUsageBuckets', () => {
  const databases = lightDatabases();

  it.each(databases.eachSupportedId())(
    'sums per day without crossing a boundary, so windows between boundaries stay exact, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await DatabaseUsageStore.migrate(knex);
      const store = DatabaseUsageStore.fromKnex(knex);
      const all = rows();
      for (const tenantId of ['alpha', 'beta']) {
        await store.replaceWindow({
          tenantId,
          accountId: '123456789012',
          region: 'us-east-1',
          from: iso(START),
          to: iso(START + 40 * 24 * HOUR),
          rows: all.filter(r => r.tenantId === tenantId),
        });
      }
      // boundaries in the middle of days
      const b1 = START + (5 * 24 + 7) * HOUR;
      const b2 = START + (31 * 24 + 19) * HOUR;
      const from = START + 2 * 24 * HOUR;
      const to = START + 38 * 24 * HOUR;
      const buckets = await store.getUsageBuckets({
        tenantIds: ['alpha'],
        from: iso(from),
        to: iso(to),
        boundaries: [iso(b1), iso(b2)],
      });
      expect(new Set(buckets.map(b => b.tenantId))).toEqual(new Set(['alpha']));
      // fewer rows than hours: the database did the summing
      expect(buckets.length).toBeLessThan(2 * 38 * 2);
      const alpha = all.filter(r => r.tenantId === 'alpha');
      for (const [a, z] of [
        [from, to],
        [b1, b2],
        [from, b1],
        [b2, to],
        [START + 10 * 24 * HOUR, b2],
      ]) {
        for (const key of [
          'invocations',
          'inputTokens',
          'outputTokens',
          'throttles',
        ] as const) {
          expect({
            window: [iso(a), iso(z)],
            key,
            sum: sum(buckets, a, z, key),
          }).toEqual({
            window: [iso(a), iso(z)],
            key,
            sum: sum(alpha, a, z, key),
          });
        }
      }
      // every hour's average is 500 ms, so is every bucket's, weighing its hours
      for (const b of buckets) expect(b.latencyAvgMs).toBeCloseTo(500, 9);
      expect(buckets.every(b => b.latencyWeight! >= b.invocations)).toBe(true);
      // one bucket per model and day, and a second one on each boundary's day
      const days = new Set(
        buckets.map(b => `${b.modelId}|${b.hour.slice(0, 10)}`),
      );
      expect(buckets.length).toBe(days.size + 2 * 2); // each boundary day is split in two, per model
    },
  );
});

describe('DatabaseUsageStore.create', () => {
  const databases = lightDatabases();

  it.each(databases.eachSupportedId())(
    'migrates into its own migrations table unless migrations are skipped, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await DatabaseUsageStore.create({
        database: { getClient: async () => knex, migrations: { skip: true } },
      });
      expect(await knex.schema.hasTable('bedrock_usage_hourly')).toBe(false);
      await DatabaseUsageStore.create({
        database: { getClient: async () => knex },
      });
      expect(await knex.schema.hasTable('bedrock_usage_hourly')).toBe(true);
      expect(await knex.schema.hasTable('bedrock_knex_migrations')).toBe(true);
    },
  );
});

describe('DatabaseUsageStore.replaceWindow', () => {
  const databases = lightDatabases();
  const at = (h: number) => iso(START + h * HOUR);
  const row = (
    over: Partial<HourlyUsageRow> & { hour: string },
  ): HourlyUsageRow => ({
    ...emptyUsageRow({
      tenantId: 'alpha',
      accountId: '123456789012',
      region: 'us-east-1',
      modelId: 'amazon.nova-pro-v1:0',
      ...over,
    }),
    invocations: 1,
    ...over,
  });
  const key = (r: HourlyUsageRow) =>
    `${r.tenantId}|${r.region}|${r.modelId}|${r.hour}|${r.invocations}|${r.inputTokens}`;

  it.each(databases.eachSupportedId())(
    're-collecting a window replaces it: datapoints that changed or vanished are gone, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await DatabaseUsageStore.migrate(knex);
      const store = DatabaseUsageStore.fromKnex(knex);
      const window = { from: at(0), to: at(3) };
      const alpha = {
        tenantId: 'alpha',
        accountId: '123456789012',
        region: 'us-east-1',
      };
      // first collection: two models over three hours, plus neighbours that must survive
      await store.replaceWindow({
        ...alpha,
        ...window,
        rows: [
          row({ hour: at(0), invocations: 10, inputTokens: 1000 }),
          row({ hour: at(1), invocations: 11, inputTokens: 1100 }),
          row({ hour: at(2), invocations: 12, inputTokens: 1200 }),
          row({
            hour: at(1),
            modelId: 'amazon.nova-lite-v1:0',
            invocations: 5,
            inputTokens: 500,
          }),
        ],
      });
      await store.replaceWindow({
        ...alpha,
        from: at(3),
        to: at(4),
        rows: [row({ hour: at(3), invocations: 13 })],
      });
      await store.replaceWindow({
        ...alpha,
        region: 'us-west-2',
        ...window,
        rows: [row({ hour: at(1), region: 'us-west-2', invocations: 21 })],
      });
      await store.replaceWindow({
        ...alpha,
        tenantId: 'beta',
        ...window,
        rows: [row({ hour: at(1), tenantId: 'beta', invocations: 31 })],
      });

      // second collection of the same window: one hour changed, one hour and one model gone,
      // and a row outside the window that must be ignored
      await store.replaceWindow({
        ...alpha,
        ...window,
        rows: [
          row({ hour: at(1), invocations: 7, inputTokens: 700 }),
          row({ hour: at(2), invocations: 12, inputTokens: 1200 }),
          // outside the window, on both sides and at its exclusive end: ignored, never
          // written over the next window's rows
          row({ hour: at(5), invocations: 99 }),
          row({ hour: at(3), invocations: 99 }),
          row({ hour: at(-1), invocations: 99 }),
        ],
      });

      const all = await store.getUsage({
        tenantIds: ['alpha', 'beta'],
        from: at(-24),
        to: at(24),
      });
      expect(all.map(key).sort()).toEqual(
        [
          `alpha|us-east-1|amazon.nova-pro-v1:0|${at(1)}|7|700`,
          `alpha|us-east-1|amazon.nova-pro-v1:0|${at(2)}|12|1200`,
          `alpha|us-east-1|amazon.nova-pro-v1:0|${at(3)}|13|0`,
          `alpha|us-west-2|amazon.nova-pro-v1:0|${at(1)}|21|0`,
          `beta|us-east-1|amazon.nova-pro-v1:0|${at(1)}|31|0`,
        ].sort(),
      );

      // an empty re-collection empties the window (the traffic was never there)
      await store.replaceWindow({ ...alpha, ...window, rows: [] });
      const left = await store.getUsage({
        tenantIds: ['alpha'],
        from: at(-24),
        to: at(24),
      });
      expect(left.map(key).sort()).toEqual(
        [
          `alpha|us-east-1|amazon.nova-pro-v1:0|${at(3)}|13|0`,
          `alpha|us-west-2|amazon.nova-pro-v1:0|${at(1)}|21|0`,
        ].sort(),
      );
    },
  );
});

describe('DatabaseUsageStore: metrics and batch rows apart', () => {
  const databases = lightDatabases();
  const at = (h: number) => iso(START + h * HOUR);
  const alpha = {
    tenantId: 'alpha',
    accountId: '123456789012',
    region: 'us-east-1',
  };
  const row = (modelId: string, h: number, invocations: number) => ({
    ...emptyUsageRow({ ...alpha, modelId, hour: at(h) }),
    invocations,
  });
  const NOVA = 'amazon.nova-pro-v1:0';

  it.each(databases.eachSupportedId())(
    'a metrics collection never deletes batch rows, a batch collection never deletes metrics rows, and the days add both, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await DatabaseUsageStore.migrate(knex);
      const store = DatabaseUsageStore.fromKnex(knex);
      const window = { from: at(0), to: at(24) };
      await store.replaceWindow({
        ...alpha,
        ...window,
        rows: [row(NOVA, 1, 10), row(NOVA, 2, 20)],
      });
      await store.replaceWindows({
        tenantIds: ['alpha'],
        accountId: alpha.accountId,
        region: alpha.region,
        ...window,
        scope: 'batch',
        // a metrics row handed to the batch scope is not its to write
        rows: [row(`${NOVA}+batch`, 2, 500), row(NOVA, 3, 999)],
      });
      // the metrics collection again: its rows replaced, the batch row kept
      await store.replaceWindows({
        tenantIds: ['alpha'],
        accountId: alpha.accountId,
        region: alpha.region,
        ...window,
        rows: [row(NOVA, 1, 11), row(`${NOVA}+batch`, 5, 777)],
      });
      const read = async () =>
        (
          await store.getUsage({
            tenantIds: ['alpha'],
            from: at(0),
            to: at(24),
          })
        )
          .map(r => `${r.modelId} ${r.hour.slice(11, 13)} ${r.invocations}`)
          .sort();
      expect(await read()).toEqual([`${NOVA} 01 11`, `${NOVA}+batch 02 500`]);
      // the batch collection again, with no jobs: its rows gone, the metrics rows kept
      await store.replaceWindow({
        ...alpha,
        ...window,
        scope: 'batch',
        rows: [],
      });
      expect(await read()).toEqual([`${NOVA} 01 11`]);
      await store.replaceWindow({
        ...alpha,
        ...window,
        scope: 'batch',
        rows: [row(`${NOVA}+batch`, 4, 40)],
      });
      // the daily table keeps both kinds (what 30-day summaries read)
      const days = await knex('bedrock_usage_daily')
        .where({ tenant_id: 'alpha' })
        .select('model_id', 'invocations');
      expect(
        days.map(d => `${d.model_id} ${Number(d.invocations)}`).sort(),
      ).toEqual([`${NOVA} 11`, `${NOVA}+batch 40`]);
    },
  );
});

describe('DatabaseUsageStore reads, states, snapshots and pruning', () => {
  const databases = lightDatabases();
  const at = (h: number) => iso(START + h * HOUR);
  const row = (tenantId: string, h: number, invocations: number) => ({
    ...emptyUsageRow({
      tenantId,
      accountId: '123456789012',
      region: 'us-east-1',
      modelId: 'amazon.nova-pro-v1:0',
      hour: at(h),
    }),
    invocations,
    inputTokens: 3_000_000_000, // more than 32 bits: PostgreSQL answers bigints as strings
    outputTokens: 2,
    cacheReadTokens: 3,
    cacheWriteTokens: 4,
    cacheWrite1hTokens: 13,
    clientErrors: 5,
    serverErrors: 6,
    throttles: 7,
    latencyAvgMs: 8.5,
    latencyMaxMs: 9,
    latencyP99Ms: h === 1 ? null : 10,
    ttftAvgMs: 11.5,
    ttftRequests: 3_000_000_001,
    ttftP99Ms: h === 1 ? null : 12,
  });

  it.each(databases.eachSupportedId())(
    'reads exactly [from, to) of the asked tenants, in hour order, with numbers as numbers, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await DatabaseUsageStore.migrate(knex);
      const store = DatabaseUsageStore.fromKnex(knex);
      for (const tenantId of ['alpha', 'beta', 'gamma']) {
        await store.replaceWindow({
          tenantId,
          accountId: '123456789012',
          region: 'us-east-1',
          from: at(0),
          to: at(10),
          rows: [3, 1, 2, 0, 4].map(h =>
            row(tenantId, h, h === 4 || tenantId === 'gamma' ? 0 : 1),
          ),
        });
      }
      const read = await store.getUsage({
        tenantIds: ['alpha', 'beta'],
        from: at(1),
        to: at(3),
      });
      expect(read.map(r => `${r.tenantId} ${r.hour}`).sort()).toEqual([
        `alpha ${at(1)}`,
        `alpha ${at(2)}`,
        `beta ${at(1)}`,
        `beta ${at(2)}`,
      ]);
      expect(read.map(r => r.hour)).toEqual([at(1), at(1), at(2), at(2)]);
      expect(
        read.find(r => r.tenantId === 'alpha' && r.hour === at(2)),
      ).toEqual({
        tenantId: 'alpha',
        accountId: '123456789012',
        region: 'us-east-1',
        modelId: 'amazon.nova-pro-v1:0',
        hour: at(2),
        invocations: 1,
        inputTokens: 3_000_000_000,
        outputTokens: 2,
        cacheReadTokens: 3,
        cacheWriteTokens: 4,
        cacheWrite1hTokens: 13,
        clientErrors: 5,
        serverErrors: 6,
        throttles: 7,
        latencyAvgMs: 8.5,
        latencyMaxMs: 9,
        latencyP99Ms: 10,
        ttftAvgMs: 11.5,
        ttftRequests: 3_000_000_001,
        ttftP99Ms: 12,
      });
      expect(
        read.find(r => r.tenantId === 'alpha' && r.hour === at(1))!
          .latencyP99Ms,
      ).toBeNull();
      expect(
        await store.getUsage({ tenantIds: [], from: at(0), to: at(10) }),
      ).toEqual([]);
      expect(
        await store.getUsageBuckets({
          tenantIds: [],
          from: at(0),
          to: at(10),
          boundaries: [],
        }),
      ).toEqual([]);

      // the last hour with calls, per tenant; a tenant that never called is absent
      expect(await store.getLastInvocation(['alpha', 'beta', 'gamma'])).toEqual(
        { alpha: at(3), beta: at(3) },
      );
      expect(await store.getLastInvocation([])).toEqual({});

      // pruning drops the rows before the cut only, and says how many
      expect(await store.prune(at(2))).toBe(6);
      const left = await store.getUsage({
        tenantIds: ['alpha', 'beta', 'gamma'],
        from: at(0),
        to: at(10),
      });
      expect(new Set(left.map(r => r.hour))).toEqual(
        new Set([at(2), at(3), at(4)]),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the newest watermark, the entity and the last error of each tenant, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await DatabaseUsageStore.migrate(knex);
      const store = DatabaseUsageStore.fromKnex(knex);
      expect(await store.getStates([])).toEqual({});
      expect(await store.getStates(['alpha'])).toEqual({});

      await store.markFailed({
        tenantId: 'alpha',
        entityRef: 'component:default/alpha',
        error: `AccessDenied ${'x'.repeat(3000)}`,
      });
      let alpha = (await store.getStates(['alpha'])).alpha;
      expect(alpha).toEqual({
        tenantId: 'alpha',
        entityRef: 'component:default/alpha',
        watermark: null,
        lastCollectedAt: null,
        lastError: `AccessDenied ${'x'.repeat(2000 - 13)}`,
      });

      await store.markCollected({
        tenantId: 'alpha',
        watermark: at(5),
        at: at(6),
      });
      alpha = (await store.getStates(['alpha'])).alpha;
      expect(alpha).toEqual({
        tenantId: 'alpha',
        entityRef: 'component:default/alpha',
        watermark: at(5),
        lastCollectedAt: at(6),
        lastError: null,
      });

      // an older watermark (a slow refresh finishing late) never moves it back
      await store.markCollected({
        tenantId: 'alpha',
        entityRef: 'component:team/alpha',
        watermark: at(3),
        at: at(7),
      });
      await store.markFailed({ tenantId: 'alpha', error: 'Throttling' });
      await store.markCollected({
        tenantId: 'beta',
        entityRef: 'component:default/beta',
        watermark: at(1),
        at: at(2),
      });
      const states = await store.getStates(['alpha', 'beta', 'gamma']);
      expect(states).toEqual({
        alpha: {
          tenantId: 'alpha',
          entityRef: 'component:team/alpha',
          watermark: at(5),
          lastCollectedAt: at(7),
          lastError: 'Throttling',
        },
        beta: {
          tenantId: 'beta',
          entityRef: 'component:default/beta',
          watermark: at(1),
          lastCollectedAt: at(2),
          lastError: null,
        },
      });
      await store.markCollected({
        tenantId: 'alpha',
        watermark: at(8),
        at: at(8),
      });
      const last = await store.getStates(['alpha', 'beta']);
      expect(last.alpha.watermark).toBe(at(8));
      // each update touches its own tenant only
      expect(last.beta.watermark).toBe(at(1));
      expect(last.beta.lastCollectedAt).toBe(at(2));
    },
  );

  it.each(databases.eachSupportedId())(
    'stores one snapshot per kind and key, replacing it, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await DatabaseUsageStore.migrate(knex);
      const store = DatabaseUsageStore.fromKnex(knex);
      await store.putSnapshot({
        kind: 'budget',
        key: 'alpha',
        payload: { limitUsd: 100, notifications: [{ percent: 80 }] },
        error: null,
        fetchedAt: at(1),
      });
      await store.putSnapshot({
        kind: 'alarms',
        key: 'alpha',
        payload: null,
        error: 'AccessDenied',
        fetchedAt: at(1),
      });
      await store.putSnapshot({
        kind: 'budget',
        key: 'beta',
        payload: { limitUsd: 5 },
        error: null,
        fetchedAt: at(1),
      });
      await store.putSnapshot({
        kind: 'budget',
        key: 'beta',
        payload: { limitUsd: 7 },
        error: null,
        fetchedAt: at(2),
      });
      expect(
        await store.getSnapshots('budget', ['alpha', 'beta', 'x']),
      ).toEqual({
        alpha: {
          kind: 'budget',
          key: 'alpha',
          payload: { limitUsd: 100, notifications: [{ percent: 80 }] },
          error: null,
          fetchedAt: at(1),
        },
        beta: {
          kind: 'budget',
          key: 'beta',
          payload: { limitUsd: 7 },
          error: null,
          fetchedAt: at(2),
        },
      });
      expect(await store.getSnapshots('alarms', ['alpha'])).toEqual({
        alpha: {
          kind: 'alarms',
          key: 'alpha',
          payload: null,
          error: 'AccessDenied',
          fetchedAt: at(1),
        },
      });
      expect(await store.getSnapshots('budget', [])).toEqual({});
      // several kinds in one read: each kind's own keys, never another kind's row of that key
      const both = await store.getSnapshotsOfKinds({
        alarms: ['alpha', 'beta'],
        budget: ['beta'],
        billed: [],
      });
      expect(Object.keys(both).sort()).toEqual(['alarms', 'budget']);
      expect(Object.keys(both.alarms)).toEqual(['alpha']);
      expect(both.alarms.alpha.error).toBe('AccessDenied');
      expect(Object.keys(both.budget)).toEqual(['beta']);
      expect(both.budget.beta.payload).toEqual({ limitUsd: 7 });
    },
  );

  it.each(databases.eachSupportedId())(
    'moves the data version with any collection, watermark or snapshot, and only then, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await DatabaseUsageStore.migrate(knex);
      const store = DatabaseUsageStore.fromKnex(knex);
      const seen = [await store.getVersion()];
      const moved = async () => {
        const v = await store.getVersion();
        expect(seen).not.toContain(v);
        seen.push(v);
      };
      await store.markCollected({
        tenantId: 'alpha',
        watermark: at(1),
        at: at(2),
      });
      await moved();
      expect(await store.getVersion()).toBe(seen[1]);
      // another tenant's collection moves it too (one version for every cache)
      await store.markCollectedMany({
        tenants: [{ tenantId: 'beta', entityRef: 'component:default/beta' }],
        watermark: at(1),
        at: at(3),
      });
      await moved();
      await store.markCollected({
        tenantId: 'beta',
        watermark: at(5),
        at: at(3),
      });
      await moved();
      await store.putSnapshot({
        kind: 'alarms',
        key: 'gamma',
        payload: [],
        error: null,
        fetchedAt: at(4),
      });
      await moved();
      expect(await store.getVersion()).toBe(seen[4]);
    },
  );
});
