import { DEFAULT_PRICES } from '@bedrock-tenancy/plugin-bedrock-common';
import { lightDatabases } from '../__testUtils__/lightDatabases';
import { modelsOf, totalsOf } from '../service/usage';
import { DatabaseUsageStore } from './DatabaseUsageStore';
import { emptyUsageRow, HourlyUsageRow } from './types';

jest.setTimeout(60_000);

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA_PRO = 'amazon.nova-pro-v1:0';

const row = (
  hour: string,
  modelId: string,
  fields: Partial<HourlyUsageRow>,
): HourlyUsageRow => ({
  ...emptyUsageRow({
    tenantId: 't',
    accountId: '123456789012',
    region: 'us-east-1',
    modelId,
    hour,
  }),
  invocations: 100,
  ...fields,
});

/*
 * By hand: on 2026-11-19, 10 streaming requests at 200 ms and 30 at 400 ms: (10 x 200 +
 * 30 x 400) / 40 = 350 ms (the mean of the two hours would be 300). On 2026-11-20, 60 at
 * 100 ms. Over both days (2,000 + 12,000 + 6,000) / 100 = 200 ms, where a mean of hourly means
 * gives 233.3 and a mean of daily means 225. p99: the largest hourly p99, 900 ms.
 */
const ROWS = [
  row('2026-11-19T10:00:00.000Z', HAIKU, {
    ttftAvgMs: 200,
    ttftRequests: 10,
    ttftP99Ms: 450,
  }),
  row('2026-11-19T11:00:00.000Z', HAIKU, {
    ttftAvgMs: 400,
    ttftRequests: 30,
    ttftP99Ms: 900,
  }),
  row('2026-11-20T09:00:00.000Z', HAIKU, {
    ttftAvgMs: 100,
    ttftRequests: 60,
    ttftP99Ms: 300,
  }),
  // traffic without streaming: no time to first token
  row('2026-11-20T10:00:00.000Z', HAIKU, {}),
  row('2026-11-19T10:00:00.000Z', NOVA_PRO, {}),
];

const ttftOf = (t: {
  streamingRequests: number;
  ttftAvgMs: number | null;
  ttftP99Ms: number | null;
}) => [t.streamingRequests, t.ttftAvgMs, t.ttftP99Ms];

describe('DatabaseUsageStore: time to first token', () => {
  const databases = lightDatabases();

  it.each(databases.eachSupportedId())(
    'stores it per hour and merges hours and days weighted by streaming requests, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await DatabaseUsageStore.migrate(knex);
      const store = DatabaseUsageStore.fromKnex(knex);
      await store.replaceWindow({
        tenantId: 't',
        accountId: '123456789012',
        region: 'us-east-1',
        from: '2026-11-19T00:00:00.000Z',
        to: '2026-11-21T00:00:00.000Z',
        rows: ROWS,
      });
      const window = {
        tenantIds: ['t'],
        from: '2026-11-19T00:00:00.000Z',
        to: '2026-11-21T00:00:00.000Z',
      };

      const hourly = await store.getUsage(window);
      expect(
        hourly
          .filter(r => r.modelId === HAIKU)
          .map(r => [r.hour.slice(0, 13), r.ttftRequests, r.ttftAvgMs]),
      ).toEqual([
        ['2026-11-19T10', 10, 200],
        ['2026-11-19T11', 30, 400],
        ['2026-11-20T09', 60, 100],
        ['2026-11-20T10', 0, null],
      ]);
      expect(ttftOf(totalsOf(DEFAULT_PRICES, hourly))).toEqual([100, 200, 900]);

      // whole days come from the daily table: a sum and its weight per day, not a mean
      const days = await store.getUsageBuckets({ ...window, boundaries: [] });
      const day19 = days.find(
        r => r.modelId === HAIKU && r.hour.startsWith('2026-11-19'),
      )!;
      expect([day19.ttftRequests, day19.ttftAvgMs, day19.ttftP99Ms]).toEqual([
        40, 350, 900,
      ]);
      expect(ttftOf(totalsOf(DEFAULT_PRICES, days))).toEqual([100, 200, 900]);

      // a boundary inside a day: buckets summed from the hourly rows merge the same way
      const cut = await store.getUsageBuckets({
        ...window,
        boundaries: ['2026-11-19T11:00:00.000Z'],
      });
      expect(ttftOf(totalsOf(DEFAULT_PRICES, cut))).toEqual([100, 200, 900]);
      const day19Only = await store.getUsageBuckets({
        ...window,
        to: '2026-11-20T00:00:00.000Z',
        boundaries: [],
      });
      expect(ttftOf(totalsOf(DEFAULT_PRICES, day19Only))).toEqual([
        40, 350, 900,
      ]);

      // per model: a model never streamed is "not available", not 0 ms
      const models = modelsOf(DEFAULT_PRICES, days);
      expect(
        Object.fromEntries(models.map(m => [m.modelId, ttftOf(m)])),
      ).toEqual({ [HAIKU]: [100, 200, 900], [NOVA_PRO]: [0, null, null] });
    },
  );

  it.each(databases.eachSupportedId())(
    'reads rows written before the migration as not available, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await DatabaseUsageStore.migrate(knex);
      // a row as the previous release wrote it: no time to first token columns set
      await knex('bedrock_usage_hourly').insert({
        tenant_id: 't',
        account_id: '123456789012',
        region: 'us-east-1',
        model_id: HAIKU,
        hour: '2026-11-19T10:00:00.000Z',
        invocations: 5,
        latency_avg_ms: 800,
      });
      const store = DatabaseUsageStore.fromKnex(knex);
      const rows = await store.getUsage({
        tenantIds: ['t'],
        from: '2026-11-19T00:00:00.000Z',
        to: '2026-11-20T00:00:00.000Z',
      });
      expect(ttftOf(totalsOf(DEFAULT_PRICES, rows))).toEqual([0, null, null]);
      expect(totalsOf(DEFAULT_PRICES, rows).latencyAvgMs).toBe(800);
    },
  );
});
