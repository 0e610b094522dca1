/**
 * The account usage tables on SQLite and PostgreSQL: windows replaced (never double-counted),
 * daily sums that keep the hourly clamp, watermarks that only move forward, and pruning.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  ACCOUNT,
  accountUsageRow,
  HAIKU,
  REGION,
  traffic,
} from '../__testUtils__/accountUsage';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { AccountUsageStore } from './AccountUsageStore';

const h = (day: number, hour: number) =>
  new Date(Date.UTC(2026, 11, day, hour)).toISOString();

describe('AccountUsageStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function store(id: any) {
    const knex = await databases.init(id);
    await DatabaseUsageStore.migrate(knex);
    return AccountUsageStore.fromKnex(knex);
  }

  it.each(databases.eachSupportedId())(
    'replaces a window and sums days per model, keeping each hour clamp, on %p',
    async id => {
      const s = await store(id);
      const row = (hour: string, a: number, t: number) =>
        accountUsageRow({
          modelId: HAIKU,
          hour,
          account: { inputTokens: a, invocations: 1 },
          attributed: { inputTokens: t },
          unattributed: { inputTokens: Math.max(0, a - t), invocations: 1 },
        });
      await s.replaceWindow({
        accountId: ACCOUNT,
        region: REGION,
        from: h(1, 0),
        to: h(2, 0),
        rows: [
          row(h(1, 9), 100, 30),
          row(h(1, 10), 50, 80),
          row(h(2, 0), 9, 0),
        ],
      });
      // a second fetch of the same window replaces it
      await s.replaceWindow({
        accountId: ACCOUNT,
        region: REGION,
        from: h(1, 0),
        to: h(2, 0),
        rows: [row(h(1, 9), 1_000_000_000_000, 30), row(h(1, 10), 50, 80)],
      });
      const hourly = await s.getHourly({
        accountId: ACCOUNT,
        region: REGION,
        from: h(1, 0),
        to: h(3, 0),
      });
      // the row outside the window is not written
      expect(hourly.map(r => r.hour)).toEqual([h(1, 9), h(1, 10)]);
      const [day] = await s.getDaily({ from: h(1, 0), to: h(2, 0) });
      expect(day).toEqual(
        accountUsageRow({
          modelId: HAIKU,
          hour: h(1, 0),
          account: { inputTokens: 1_000_000_000_050, invocations: 2 },
          attributed: { inputTokens: 110 },
          // 999,999,999,970 + 0 (clamped hour), not 1,000,000,000,050 - 110
          unattributed: { inputTokens: 999_999_999_970, invocations: 2 },
        }),
      );
      expect(await s.getDaily({ from: h(1, 10), to: h(1, 11) })).toEqual([
        expect.objectContaining({
          unattributed: traffic({ invocations: 1 }),
        }),
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'moves the watermark forward only, and records errors, on %p',
    async id => {
      const s = await store(id);
      expect(await s.getWatermark(ACCOUNT, REGION)).toBeUndefined();
      await s.markFailed({ accountId: ACCOUNT, region: REGION, error: 'boom' });
      expect(await s.getWatermark(ACCOUNT, REGION)).toBeUndefined();
      await s.markCollected({
        accountId: ACCOUNT,
        region: REGION,
        watermark: h(2, 0),
        at: h(2, 1),
      });
      await s.markCollected({
        accountId: ACCOUNT,
        region: REGION,
        watermark: h(1, 0),
        at: h(2, 2),
      });
      expect(await s.getWatermark(ACCOUNT, REGION)).toBe(h(2, 0));
      await s.markFailed({ accountId: ACCOUNT, region: REGION, error: 'late' });
      expect(await s.getStates()).toEqual([
        {
          accountId: ACCOUNT,
          region: REGION,
          watermark: h(2, 0),
          lastCollectedAt: h(2, 2),
          lastError: 'late',
        },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'prunes hours before the cutoff, on %p',
    async id => {
      const s = await store(id);
      await s.replaceWindow({
        accountId: ACCOUNT,
        region: REGION,
        from: h(1, 0),
        to: h(3, 0),
        rows: [
          accountUsageRow({ modelId: HAIKU, hour: h(1, 5) }),
          accountUsageRow({ modelId: HAIKU, hour: h(2, 5) }),
        ],
      });
      expect(await s.prune(h(2, 0))).toBe(1);
      const left = await s.getHourly({
        accountId: ACCOUNT,
        region: REGION,
        from: h(1, 0),
        to: h(3, 0),
      });
      expect(left.map(r => r.hour)).toEqual([h(2, 5)]);
    },
  );
});
