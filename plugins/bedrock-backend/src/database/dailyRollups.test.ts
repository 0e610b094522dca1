import { lightDatabases } from '../__testUtils__/lightDatabases';
import { DatabaseUsageStore } from './DatabaseUsageStore';
import { emptyUsageRow, HourlyUsageRow } from './types';

jest.setTimeout(60_000);

const HOUR = 3_600_000;
const START = Date.parse('2026-10-01T00:00:00.000Z');
const iso = (t: number) => new Date(t).toISOString();

function rows(tenantId: string, hours: number, seed: number): HourlyUsageRow[] {
  return Array.from({ length: hours }, (_, h) => ({
    ...emptyUsageRow({
      tenantId,
      accountId: '111111111111',
      region: 'us-east-1',
      modelId: 'amazon.nova-pro-v1:0',
      hour: iso(START + h * HOUR),
    }),
    invocations: (h * seed) % 11,
    inputTokens: (h * 37 + seed) % 1000,
  }));
}

describe('the daily rollups', () => {
  const databases = lightDatabases();

  it.each(databases.eachSupportedId())(
    'equal the hourly rows through replaced windows and pruning, and serve whole days, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await DatabaseUsageStore.migrate(knex);
      const store = DatabaseUsageStore.fromKnex(knex);
      const place = { accountId: '111111111111', region: 'us-east-1' };
      // 10 days in windows that start and end mid-day, then a window re-collected differently
      const all = [...rows('a', 240, 3), ...rows('b', 240, 5)];
      for (let h = 0; h < 240; h += 17) {
        await store.replaceWindows({
          ...place,
          tenantIds: ['a', 'b'],
          from: iso(START + h * HOUR),
          to: iso(START + Math.min(h + 17, 240) * HOUR),
          rows: all,
        });
      }
      const changed = rows('a', 240, 7).slice(100, 130);
      await store.replaceWindow({
        ...place,
        tenantId: 'a',
        from: iso(START + 100 * HOUR),
        to: iso(START + 130 * HOUR),
        rows: changed,
      });
      await store.prune(iso(START + 30 * HOUR));
      const hourly = await store.getUsage({
        tenantIds: ['a', 'b'],
        from: iso(START),
        to: iso(START + 240 * HOUR),
      });
      const byDay = (
        rs: Array<{
          tenantId: string;
          hour: string;
          invocations: number;
          inputTokens: number;
        }>,
      ) => {
        const m = new Map<string, [number, number]>();
        for (const r of rs) {
          const k = `${r.tenantId} ${r.hour.slice(0, 10)}`;
          const v = m.get(k) ?? [0, 0];
          m.set(k, [v[0] + r.invocations, v[1] + r.inputTokens]);
        }
        return Object.fromEntries([...m].sort());
      };
      const daily = await knex('bedrock_usage_daily').select();
      expect(
        byDay(
          daily.map(d => ({
            tenantId: d.tenant_id,
            hour: d.day,
            invocations: Number(d.invocations),
            inputTokens: Number(d.input_tokens),
          })),
        ),
      ).toEqual(byDay(hourly));

      // a range with partial days at both ends and a boundary inside one day
      const window = {
        tenantIds: ['a', 'b'],
        from: iso(START + 40 * HOUR),
        to: iso(START + 200 * HOUR),
        boundaries: [iso(START + 77 * HOUR)],
      };
      const buckets = await store.getUsageBuckets(window);
      const inWindow = hourly.filter(
        r => r.hour >= window.from && r.hour < window.to,
      );
      expect(byDay(buckets)).toEqual(byDay(inWindow));
      // no bucket mixes hours on both sides of the boundary
      const cutDay = iso(START + 72 * HOUR).slice(0, 10);
      expect(
        buckets.filter(b => b.tenantId === 'a' && b.hour.startsWith(cutDay))
          .length,
      ).toBe(2);

      // whole days are read from the daily table
      await knex('bedrock_usage_daily')
        .where({ tenant_id: 'b', day: '2026-10-05' })
        .update({ invocations: 1_000_000 });
      const again = await store.getUsageBuckets(window);
      expect(
        again.find(b => b.tenantId === 'b' && b.hour.startsWith('2026-10-05'))
          ?.invocations,
      ).toBe(1_000_000);
    },
  );
});
