/**
 * The summary as the plugin wires it: prices read from the price table on every summary (a run
 * of the price list changes the next summary's prices, with no AWS call on the way), the model
 * table naming each price's source and date, and the cost panel saying where prices come from.
 */
import type { CacheService } from '@backstage/backend-plugin-api';
import { DEFAULT_PRICES } from '@bedrock-tenancy/plugin-bedrock-common';
import knexFactory from 'knex';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { emptyUsageRow } from '../database/types';
import { testTenant } from '../__testUtils__/tenants';
import { SummaryService } from '../service/SummaryService';
import type { PriceListFact } from './parseProduct';
import type { PriceListStore } from './PriceListStore';
import { priceListNote, PriceTable } from './PriceTable';

const NOW = Date.parse('2026-11-20T12:00:00.000Z');
const RANGE = {
  from: Date.parse('2026-11-20T00:00:00.000Z'),
  to: Date.parse('2026-11-20T13:00:00.000Z'),
};
const tenant = testTenant({ tenantId: 't1', attribution: 'account' });

const listed = (
  kind: PriceListFact['kind'],
  usdPer1k: number,
): PriceListFact => ({
  model: 'amazon.nova-pro-v1:0',
  region: 'us-east-1',
  tier: 'standard',
  kind,
  usdPer1k,
  effectiveFrom: '2026-01-01',
  serviceCode: 'AmazonBedrock',
  sku: 'SKU',
  usageType: 'USE1-NovaPro-input-tokens',
});

describe('summaries priced from the price table', () => {
  it('prices each summary with the table as the last run left it, and says so', async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    await DatabaseUsageStore.migrate(knex);
    const store = DatabaseUsageStore.fromKnex(knex);
    await store.replaceWindow({
      tenantId: 't1',
      accountId: tenant.accountId,
      region: 'us-east-1',
      from: '2026-11-20T00:00:00.000Z',
      to: '2026-11-20T12:00:00.000Z',
      rows: [
        {
          ...emptyUsageRow({
            tenantId: 't1',
            accountId: tenant.accountId,
            region: 'us-east-1',
            modelId: 'amazon.nova-pro-v1:0',
            hour: '2026-11-20T10:00:00.000Z',
          }),
          invocations: 10,
          inputTokens: 1_000_000,
          outputTokens: 1_000_000,
        },
      ],
    });
    let facts: PriceListFact[] = [];
    const table = PriceTable.create({
      builtIn: DEFAULT_PRICES,
      overrides: [],
      store: {
        facts: async () => facts,
        lastRuns: async () => ({
          last: facts.length
            ? {
                startedAt: '2026-11-20T06:00:00.000Z',
                finishedAt: '2026-11-20T06:00:05.000Z',
                ok: true,
                error: null,
                products: 2,
                prices: 2,
                unmapped: 0,
              }
            : undefined,
          lastOk: undefined,
        }),
      } as unknown as PriceListStore,
      now: () => NOW,
    });
    await table.refresh();
    const summaries = SummaryService.create({
      store,
      cache: {} as CacheService,
      options: {
        get prices() {
          return table.rows();
        },
        priceNote: () => priceListNote(table.status()),
        idleDays: 7,
        staleAfterMinutes: 240,
        costExplorerEnabled: false,
      },
      now: () => NOW,
    });

    const before = await summaries.entitySummary(tenant, RANGE);
    // the built-in table: 1,000 x 0.0008 + 1,000 x 0.0032
    expect(before.models[0].estimatedCostUsd).toBeCloseTo(4, 9);
    expect(before.models[0].prices).toEqual([
      expect.objectContaining({
        origin: 'built-in',
        effectiveFrom: '2025-07-20',
      }),
    ]);
    expect(before.cost.status === 'ok' && before.cost.data.includes).toContain(
      "prices: bedrock.prices first, then the AWS Price List (not read yet), then the built-in table for models the list lacks; each model's prices name their source and effective date",
    );

    // a run of the price list stored a price: the next summary uses it
    facts = [listed('input', 0.0009), listed('output', 0.0036)];
    await table.refresh();
    const after = await summaries.entitySummary(tenant, RANGE);
    // 1,000 x 0.0009 + 1,000 x 0.0036
    expect(after.models[0].estimatedCostUsd).toBeCloseTo(4.5, 9);
    expect(after.totals.estimatedCostUsd).toBeCloseTo(4.5, 9);
    expect(after.models[0].prices).toEqual([
      {
        origin: 'price-list',
        source:
          'AWS Price List API (AmazonBedrock, us-east-1, effective 2026-01-01)',
        effectiveFrom: '2026-01-01',
        region: 'us-east-1',
      },
    ]);
  });
});
