import { lightDatabases } from '../__testUtils__/lightDatabases';
import { DatabaseUsageStore } from './DatabaseUsageStore';
import { emptyUsageRow, HourlyUsageRow } from './types';
import { DEFAULT_PRICES } from '@bedrock-tenancy/plugin-bedrock-common';
import { historyWindow } from '../service/historyWindow';
import { seriesOf, totalsOf } from '../service/usage';

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

  it.each(databases.eachSupportedId())(
    'give a summary read from days the same totals, latency and chart as its hours, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await DatabaseUsageStore.migrate(knex);
      const store = DatabaseUsageStore.fromKnex(knex);
      const place = { accountId: '111111111111', region: 'us-east-1' };
      // latency that differs every hour, hours without an average, idle hours with one
      const hours = rows('a', 24 * 9, 3).map((r, h) => ({
        ...r,
        cacheReadTokens: h % 4,
        outputTokens: (h * 13) % 70,
        latencyAvgMs: h % 5 === 0 ? null : 300 + ((h * 53) % 900),
        latencyMaxMs: h % 7 === 0 ? null : 1000 + h,
        latencyP99Ms: h % 6 === 0 ? null : 900 + ((h * 31) % 400),
      }));
      await store.replaceWindow({
        ...place,
        tenantId: 'a',
        from: iso(START),
        to: iso(START + 24 * 9 * HOUR),
        rows: hours,
      });
      // a 7-day range starting and ending mid-day, like the summary's
      const range = { from: START + 29 * HOUR, to: START + (29 + 168) * HOUR };
      const buckets = (
        await store.getUsageBuckets(historyWindow(['a'], range, range.to))
      ).filter(
        r => Date.parse(r.hour) >= range.from && Date.parse(r.hour) < range.to,
      );
      const hourly = await store.getUsage({
        tenantIds: ['a'],
        from: iso(range.from),
        to: iso(range.to),
      });
      expect(buckets.length).toBeLessThan(hourly.length / 10);
      const fromDays = totalsOf(DEFAULT_PRICES, buckets);
      const fromHours = totalsOf(DEFAULT_PRICES, hourly);
      expect(fromDays.invocations).toBe(fromHours.invocations);
      expect(fromDays.invocations).toBeGreaterThan(0);
      expect(fromDays.estimatedCostUsd).toBeCloseTo(
        fromHours.estimatedCostUsd!,
        10,
      );
      expect(fromDays.latencyAvgMs).toBeCloseTo(fromHours.latencyAvgMs!, 9);
      expect(fromDays.latencyMaxMs).toBe(fromHours.latencyMaxMs);
      expect(fromDays.latencyP99Ms).toBe(fromHours.latencyP99Ms);
      const days = seriesOf(DEFAULT_PRICES, buckets, range);
      const hoursSeries = seriesOf(DEFAULT_PRICES, hourly, range);
      expect(days.points.map(p => [p.timestamp, p.invocations])).toEqual(
        hoursSeries.points.map(p => [p.timestamp, p.invocations]),
      );
      days.points.forEach((p, i) =>
        expect(p.latencyAvgMs).toBeCloseTo(
          hoursSeries.points[i].latencyAvgMs!,
          9,
        ),
      );
    },
  );
});
