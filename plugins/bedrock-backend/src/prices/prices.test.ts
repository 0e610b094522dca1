/**
 * The three price layers priced through the summary's own functions, dollars written by hand:
 * the operator's rows win over the AWS price list, the list over the built-in table, a model or
 * region the list lacks stays with the built-in table (and says so), a price change applies from
 * its effective day only, and an unreadable list leaves the built-in prices in use.
 */
import { mockServices } from '@backstage/backend-test-utils';
import {
  DEFAULT_PRICES,
  PriceRow,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { readPriceRows } from '../config';
import { emptyUsageRow, HourlyUsageRow } from '../database/types';
import { rowCost } from '../service/cost';
import { modelsOf } from '../service/usage';
import type { PriceListFact } from './parseProduct';
import { priceRowsOf } from './priceRows';
import { PriceListReader } from './PriceListReader';
import { PriceListRun, PriceListStore } from './PriceListStore';
import { PriceListSync } from './PriceListSync';
import {
  PRICE_TABLE_REFRESH_MS,
  priceListNote,
  PriceTable,
} from './PriceTable';

const fact = (
  model: string,
  kind: PriceListFact['kind'],
  usdPer1k: number,
  patch: Partial<PriceListFact> = {},
): PriceListFact => ({
  model,
  region: 'us-east-1',
  tier: 'standard',
  kind,
  usdPer1k,
  effectiveFrom: '2026-01-01',
  serviceCode: 'AmazonBedrock',
  sku: 'SKU',
  usageType: 'USE1-x',
  ...patch,
});

/** one hour of a model's traffic: a million input and a million output tokens */
const hour = (
  modelId: string,
  at: string,
  region = 'us-east-1',
  counts: Partial<HourlyUsageRow> = {},
): HourlyUsageRow => ({
  ...emptyUsageRow({
    tenantId: 't',
    accountId: '123456789012',
    region,
    modelId,
    hour: at,
  }),
  invocations: 10,
  inputTokens: 1_000_000,
  outputTokens: 1_000_000,
  ...counts,
});

/** cents, so that 4.5 and 4.499999999 compare equal and 4.49 does not */
const cents = (usd: number | null) =>
  usd === null ? null : Math.round(usd * 100);

/** A store in memory: what the table and the task read and write. */
function memoryStore(facts: PriceListFact[] = [], runs: PriceListRun[] = []) {
  const saved = [...facts];
  const recorded = [...runs];
  return {
    saved,
    recorded,
    store: {
      save: async (f: PriceListFact[]) => {
        saved.push(...f);
      },
      facts: async () => saved,
      recordRun: async (r: PriceListRun) => {
        recorded.push(r);
      },
      lastRuns: async () => ({
        last: recorded[recorded.length - 1],
        lastOk: [...recorded].reverse().find(r => r.ok),
      }),
    } as unknown as PriceListStore,
  };
}

const NOVA_PRO_LIST = [
  fact('amazon.nova-pro-v1:0', 'input', 0.0009),
  fact('amazon.nova-pro-v1:0', 'output', 0.0036),
];
const OPERATOR = readPriceRows([
  {
    model: 'amazon.nova-pro-v1:0',
    inputPer1k: 0.001,
    outputPer1k: 0.004,
    // older than the list's row: it still wins
    effectiveFrom: '2025-06-01',
  },
]);

async function table(facts: PriceListFact[], overrides: PriceRow[] = []) {
  const t = PriceTable.create({
    builtIn: DEFAULT_PRICES,
    overrides,
    store: memoryStore(facts).store,
  });
  await t.refresh();
  return t;
}

describe('prices from three layers', () => {
  it('prices with the operator first, then the price list, then the built-in table', async () => {
    const day = '2026-12-01T10:00:00.000Z';
    const all = (await table(NOVA_PRO_LIST, OPERATOR)).rows();
    const noOperator = (await table(NOVA_PRO_LIST)).rows();
    const builtInOnly = (await table([])).rows();
    // 1,000 x 0.001 + 1,000 x 0.004
    expect(cents(rowCost(all, hour('amazon.nova-pro-v1:0', day)))).toBe(500);
    // 1,000 x 0.0009 + 1,000 x 0.0036
    expect(cents(rowCost(noOperator, hour('amazon.nova-pro-v1:0', day)))).toBe(
      450,
    );
    // 1,000 x 0.0008 + 1,000 x 0.0032
    expect(cents(rowCost(builtInOnly, hour('amazon.nova-pro-v1:0', day)))).toBe(
      400,
    );
    // before the list's row takes effect the built-in table prices, not the list
    expect(
      cents(
        rowCost(
          noOperator,
          hour('amazon.nova-pro-v1:0', '2025-12-31T23:00:00.000Z'),
        ),
      ),
    ).toBe(400);
    // a region the list does not price: the built-in table
    expect(
      cents(
        rowCost(noOperator, hour('amazon.nova-pro-v1:0', day, 'eu-west-1')),
      ),
    ).toBe(400);
  });

  it('names the source and effective date of each model price, the built-in table for a model the list lacks', async () => {
    const rows = (await table(NOVA_PRO_LIST, OPERATOR)).rows();
    const models = modelsOf(rows, [
      hour('amazon.nova-pro-v1:0', '2026-12-01T10:00:00.000Z'),
      hour('amazon.nova-pro-v1:0', '2026-12-01T10:00:00.000Z', 'us-west-2'),
      hour('amazon.nova-lite-v1:0', '2026-12-01T10:00:00.000Z'),
      hour('cohere.command-r-v1:0', '2026-12-01T10:00:00.000Z'),
    ]);
    const of = (id: string) => models.find(m => m.modelId === id)!;
    expect(of('amazon.nova-pro-v1:0').prices).toEqual([
      {
        origin: 'config',
        source: 'app-config bedrock.prices',
        effectiveFrom: '2025-06-01',
        region: '*',
      },
    ]);
    // 2 hours at (1,000 x 0.001 + 1,000 x 0.004)
    expect(cents(of('amazon.nova-pro-v1:0').estimatedCostUsd)).toBe(1000);
    // 1,000 x 0.00006 + 1,000 x 0.00024
    expect(cents(of('amazon.nova-lite-v1:0').estimatedCostUsd)).toBe(30);
    expect(of('amazon.nova-lite-v1:0').prices).toEqual([
      expect.objectContaining({
        origin: 'built-in',
        effectiveFrom: '2025-07-20',
        source: expect.stringContaining('aws.amazon.com/bedrock/pricing'),
      }),
    ]);
    // unpriced stays unpriced: no price, no $0
    expect(of('cohere.command-r-v1:0')).toMatchObject({
      priced: false,
      estimatedCostUsd: null,
      prices: [],
    });

    const listed = modelsOf((await table(NOVA_PRO_LIST)).rows(), [
      hour('amazon.nova-pro-v1:0', '2026-12-01T10:00:00.000Z'),
    ]);
    expect(listed[0].prices).toEqual([
      {
        origin: 'price-list',
        source:
          'AWS Price List API (AmazonBedrock, us-east-1, effective 2026-01-01)',
        effectiveFrom: '2026-01-01',
        region: 'us-east-1',
      },
    ]);
  });

  it('applies a change of price from its effective day: the hour before keeps the old price', async () => {
    const rows = (
      await table([
        fact('amazon.nova-micro-v1:0', 'input', 0.000035, {
          effectiveFrom: '2024-12-03',
        }),
        fact('amazon.nova-micro-v1:0', 'output', 0.00014, {
          effectiveFrom: '2024-12-03',
        }),
        fact('amazon.nova-micro-v1:0', 'input', 0.00003, {
          effectiveFrom: '2026-12-15',
        }),
      ])
    ).rows();
    const before = hour('amazon.nova-micro-v1:0', '2026-12-14T23:00:00.000Z');
    const after = hour('amazon.nova-micro-v1:0', '2026-12-15T00:00:00.000Z');
    // 1,000 x 0.000035 + 1,000 x 0.00014 = 0.175; then 1,000 x 0.00003 + 1,000 x 0.00014 = 0.17
    expect(rowCost(rows, before)).toBeCloseTo(0.175, 12);
    expect(rowCost(rows, after)).toBeCloseTo(0.17, 12);
    const models = modelsOf(rows, [before, after]);
    expect(models[0].estimatedCostUsd).toBeCloseTo(0.345, 12);
    expect(models[0].prices!.map(p => p.effectiveFrom)).toEqual([
      '2024-12-03',
      '2026-12-15',
    ]);
  });
});

describe('priceRowsOf', () => {
  it('makes one row per model, region, tier and date, with cache prices from the list or Anthropic multipliers', () => {
    const haiku = 'anthropic.claude-haiku-4-5-*';
    const fm = { serviceCode: 'AmazonBedrockFoundationModels' };
    const rows = priceRowsOf([
      fact(haiku, 'input', 0.0011, fm),
      fact(haiku, 'output', 0.0055, fm),
      fact(haiku, 'cacheRead', 0.00011, fm),
      fact(haiku, 'cacheWrite', 0.001375, fm),
      fact(haiku, 'cacheWrite1h', 0.0022, fm),
      fact(haiku, 'input', 0.00055, { ...fm, tier: 'batch' }),
      fact(`global.${haiku}`, 'input', 0.001, fm),
      fact(`global.${haiku}`, 'output', 0.005, fm),
      // the known gap: an input price without an output price makes no row
      fact('anthropic.claude-3-haiku-*', 'input', 0.00025, fm),
      fact('amazon.nova-pro-v1:0', 'input', 0.0004, { tier: 'flex' }),
      fact('amazon.nova-pro-v1:0', 'output', 0.0016, { tier: 'flex' }),
    ]);
    expect(rows).toEqual([
      {
        model: haiku,
        region: 'us-east-1',
        inputPer1k: 0.0011,
        outputPer1k: 0.0055,
        cacheReadPer1k: 0.00011,
        cacheWritePer1k: 0.001375,
        cacheWrite1hPer1k: 0.0022,
        effectiveFrom: '2026-01-01',
        source:
          'AWS Price List API (AmazonBedrockFoundationModels, us-east-1, effective 2026-01-01)',
        origin: 'price-list',
      },
      {
        model: `global.${haiku}`,
        region: 'us-east-1',
        inputPer1k: 0.001,
        outputPer1k: 0.005,
        // 0.1x, 1.25x and 2x the list's input price
        cacheReadPer1k: 0.0001,
        cacheWritePer1k: 0.00125,
        cacheWrite1hPer1k: 0.002,
        effectiveFrom: '2026-01-01',
        source:
          "AWS Price List API (AmazonBedrockFoundationModels, us-east-1, effective 2026-01-01); cacheRead, cacheWrite, cacheWrite1h not in the list: Anthropic's multipliers of the list's input price",
        origin: 'price-list',
      },
      {
        model: 'amazon.nova-pro-v1:0',
        region: 'us-east-1',
        tier: 'flex',
        inputPer1k: 0.0004,
        outputPer1k: 0.0016,
        effectiveFrom: '2026-01-01',
        source:
          'AWS Price List API (AmazonBedrock, us-east-1, effective 2026-01-01)',
        origin: 'price-list',
      },
    ]);
  });
});

describe('an unreadable price list', () => {
  const failing = {
    read: async () => {
      throw Object.assign(
        new Error('User is not authorized to perform: pricing:GetProducts'),
        {
          name: 'AccessDeniedException',
        },
      );
    },
  } as unknown as PriceListReader;

  it('keeps the built-in table pricing, records and logs the failure, and throws nothing', async () => {
    const { store, recorded } = memoryStore();
    const logger = mockServices.logger.mock();
    const t = PriceTable.create({
      builtIn: DEFAULT_PRICES,
      overrides: [],
      store,
    });
    const sync = PriceListSync.create({
      reader: failing,
      store,
      table: t,
      logger,
      schedule: { frequency: { hours: 24 }, timeout: { minutes: 10 } },
      now: () => Date.parse('2026-12-07T06:00:00.000Z'),
    });
    const run = await sync.run();
    expect(run).toMatchObject({
      ok: false,
      error:
        'AccessDeniedException: User is not authorized to perform: pricing:GetProducts',
    });
    expect(recorded).toEqual([run]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Could not read the AWS price list'),
    );
    expect(
      cents(
        rowCost(
          t.rows(),
          hour('amazon.nova-pro-v1:0', '2026-12-07T05:00:00.000Z'),
        ),
      ),
    ).toBe(400);
    expect(t.status()).toEqual({
      readAt: null,
      failed: { at: '2026-12-07T06:00:00.000Z', error: run.error },
      rows: 0,
    });
    expect(priceListNote(t.status())).toContain(
      'its last read failed 2026-12-07 (AccessDeniedException: User is not authorized to perform: pricing:GetProducts), so the built-in table applies',
    );
  });

  it('keeps the prices of the last read when a later read fails', async () => {
    const { store } = memoryStore();
    let fail = false;
    const reader = {
      read: async () => {
        if (fail) throw new Error('socket hang up');
        return {
          facts: NOVA_PRO_LIST,
          products: 2,
          unmapped: new Map([['Pixtral Large', 1]]),
          skipped: 0,
          malformed: 0,
          calls: 2,
        };
      },
    } as unknown as PriceListReader;
    const logger = mockServices.logger.mock();
    const t = PriceTable.create({
      builtIn: DEFAULT_PRICES,
      overrides: [],
      store,
    });
    let now = Date.parse('2026-12-06T06:00:00.000Z');
    const sync = PriceListSync.create({
      reader,
      store,
      table: t,
      logger,
      schedule: { frequency: { hours: 24 }, timeout: { minutes: 10 } },
      now: () => now,
    });
    expect(await sync.run()).toMatchObject({
      ok: true,
      prices: 2,
      products: 2,
      unmapped: 1,
    });
    expect(logger.info).toHaveBeenCalledWith(
      'Read the AWS price list',
      expect.objectContaining({ unmapped: 1, unmappedModels: 'Pixtral Large' }),
    );
    fail = true;
    now += 24 * 3_600_000;
    expect(await sync.run()).toMatchObject({
      ok: false,
      error: 'Error: socket hang up',
    });
    // 1,000 x 0.0009 + 1,000 x 0.0036: still the list's price
    expect(
      cents(
        rowCost(
          t.rows(),
          hour('amazon.nova-pro-v1:0', '2026-12-07T05:00:00.000Z'),
        ),
      ),
    ).toBe(450);
    expect(t.status()).toMatchObject({
      readAt: '2026-12-06T06:00:00.000Z',
      failed: { at: '2026-12-07T06:00:00.000Z' },
      rows: 1,
    });
  });

  it('keeps the rows it has when the database cannot be read, and reads it again only when stale', async () => {
    let reads = 0;
    let broken = false;
    const store = {
      facts: async () => {
        reads++;
        if (broken) throw new Error('connection refused');
        return NOVA_PRO_LIST;
      },
      lastRuns: async () => ({ last: undefined, lastOk: undefined }),
    } as unknown as PriceListStore;
    let now = 0;
    const t = PriceTable.create({
      builtIn: DEFAULT_PRICES,
      overrides: [],
      store,
      logger: mockServices.logger.mock(),
      now: () => now,
    });
    await t.refresh();
    const first = t.rows();
    expect(reads).toBe(1);
    // a page view does not read the database while the copy is fresh
    now += PRICE_TABLE_REFRESH_MS - 1;
    expect(t.rows()).toBe(first);
    expect(reads).toBe(1);
    broken = true;
    now += 2;
    t.rows();
    await t.refresh();
    expect(reads).toBe(2);
    expect(t.rows()).toBe(first);
  });
});
