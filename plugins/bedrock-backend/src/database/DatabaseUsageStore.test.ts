import { TestDatabases } from '@backstage/backend-test-utils';
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
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

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
      for (const b of buckets) expect(b.latencyAvgMs).toBeNull();
      // one bucket per model and day, and a second one on each boundary's day
      const days = new Set(
        buckets.map(b => `${b.modelId}|${b.hour.slice(0, 10)}`),
      );
      expect(buckets.length).toBe(days.size + 2 * 2); // each boundary day is split in two, per model
    },
  );
});

describe('DatabaseUsageStore.replaceWindow', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
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
          row({ hour: at(5), invocations: 99 }),
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
