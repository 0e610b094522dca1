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
