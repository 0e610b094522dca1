/**
 * The price list tables on SQLite and PostgreSQL: prices read back exactly as written, a new
 * effective date adds rows (history kept), the same date read again updates its row, and runs
 * (failed ones included) are recorded.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import type { PriceListFact } from './parseProduct';
import { PriceListStore } from './PriceListStore';

const fact = (patch: Partial<PriceListFact> = {}): PriceListFact => ({
  model: 'amazon.nova-micro-v1:0',
  region: 'us-east-1',
  tier: 'standard',
  kind: 'input',
  usdPer1k: 0.000035,
  effectiveFrom: '2024-12-03',
  serviceCode: 'AmazonBedrock',
  sku: 'SKU1',
  usageType: 'USE1-NovaMicro-input-tokens',
  ...patch,
});

describe('PriceListStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function store(id: any) {
    const knex = await databases.init(id);
    await DatabaseUsageStore.migrate(knex);
    return PriceListStore.fromKnex(knex);
  }

  it.each(databases.eachSupportedId())(
    'keeps every effective date and updates a price read again for the same date, on %p',
    async id => {
      const s = await store(id);
      await s.save(
        [
          fact(),
          fact({
            kind: 'output',
            usdPer1k: 0.00014,
            usageType: 'USE1-NovaMicro-output-tokens',
          }),
          fact({
            model: 'global.anthropic.claude-haiku-4-5-*',
            usdPer1k: 0.001,
            tier: 'standard',
          }),
        ],
        '2026-12-01T00:00:00.000Z',
      );
      // the next read: the input price changes from 2026-12-15, and a correction of the output
      // price for its old date
      await s.save(
        [
          fact(),
          fact({ effectiveFrom: '2026-12-15', usdPer1k: 0.00003 }),
          fact({
            kind: 'output',
            usdPer1k: 0.000145,
            usageType: 'USE1-NovaMicro-output-tokens',
          }),
        ],
        '2026-12-02T00:00:00.000Z',
      );
      const all = await s.facts();
      expect(
        all.map(f => [f.model, f.kind, f.effectiveFrom, f.usdPer1k]),
      ).toEqual([
        ['amazon.nova-micro-v1:0', 'input', '2024-12-03', 0.000035],
        ['amazon.nova-micro-v1:0', 'output', '2024-12-03', 0.000145],
        ['global.anthropic.claude-haiku-4-5-*', 'input', '2024-12-03', 0.001],
        ['amazon.nova-micro-v1:0', 'input', '2026-12-15', 0.00003],
      ]);
      expect(all[0]).toEqual(fact());
    },
  );

  it.each(databases.eachSupportedId())(
    'saves a large read in one go and records runs, the last successful one apart, on %p',
    async id => {
      const s = await store(id);
      const many = Array.from({ length: 500 }, (_, i) =>
        fact({ model: `vendor.model-${i}`, usdPer1k: i / 1000 }),
      );
      await s.save(many, '2026-12-01T00:00:00.000Z');
      expect((await s.facts()).length).toBe(500);

      expect(await s.lastRuns()).toEqual({
        last: undefined,
        lastOk: undefined,
      });
      const ok = {
        startedAt: '2026-12-01T00:00:00.000Z',
        finishedAt: '2026-12-01T00:00:09.000Z',
        ok: true,
        error: null,
        products: 812,
        prices: 500,
        unmapped: 37,
      };
      const failed = {
        ...ok,
        startedAt: '2026-12-02T00:00:00.000Z',
        finishedAt: '2026-12-02T00:00:01.000Z',
        ok: false,
        error:
          'AccessDeniedException: not authorized to perform pricing:GetProducts',
        products: 0,
        prices: 0,
        unmapped: 0,
      };
      await s.recordRun(ok);
      await s.recordRun(failed);
      expect(await s.lastRuns()).toEqual({ last: failed, lastOk: ok });
    },
  );
});
