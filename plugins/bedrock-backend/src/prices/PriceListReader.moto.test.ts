/**
 * The price list read end to end: the real @aws-sdk/client-pricing client (built by the client
 * factory) against the emulator's Price List stand-in and its fixture documents, paged, stored on
 * SQLite, assembled into the price table and priced. Dollars are written by hand from the
 * fixtures (dev/aws-emulator/fixtures/pricing).
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  BedrockStandIn,
  EMULATOR_CREDENTIALS,
  MotoServer,
  startBedrockStandIn,
  startMoto,
} from '@bedrock-tenancy/aws-emulator';
import { DEFAULT_PRICES } from '@bedrock-tenancy/plugin-bedrock-common';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { freePort } from '../__testUtils__/freePort';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { emptyUsageRow, HourlyUsageRow } from '../database/types';
import { rowCost } from '../service/cost';
import { modelsOf } from '../service/usage';
import { PriceListReader } from './PriceListReader';
import { PriceListStore } from './PriceListStore';
import { PriceListSync } from './PriceListSync';
import { PriceTable } from './PriceTable';

jest.setTimeout(120_000);

const ACCOUNT = '123456789012';
const SCHEDULE = { frequency: { hours: 24 }, timeout: { minutes: 10 } };

const hour = (
  modelId: string,
  at: string,
  region: string,
  counts: Partial<HourlyUsageRow>,
): HourlyUsageRow => ({
  ...emptyUsageRow({
    tenantId: 't',
    accountId: ACCOUNT,
    region,
    modelId,
    hour: at,
  }),
  invocations: 1,
  ...counts,
});
const M = { inputTokens: 1_000_000, outputTokens: 1_000_000 };
const cents = (usd: number | null) =>
  usd === null ? null : Math.round(usd * 100);

describe('the AWS price list against the emulator', () => {
  let moto: MotoServer;
  let standIn: BedrockStandIn;
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  beforeAll(async () => {
    moto = await startMoto();
    standIn = await startBedrockStandIn({
      motoEndpoint: moto.endpoint,
      accountId: ACCOUNT,
    });
  });
  afterAll(async () => {
    await standIn?.stop();
    await moto?.stop();
  });

  const pricingAt = (endpoint: string) => {
    const clients = AwsClientFactory.create({
      credentials: async () => async () => EMULATOR_CREDENTIALS,
      endpoint,
      maxAttempts: 1,
    });
    return async () => (await clients.forTarget(ACCOUNT, 'us-east-1')).pricing;
  };

  async function setUp(endpoint: string) {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const store = PriceListStore.fromKnex(knex);
    const table = PriceTable.create({
      builtIn: DEFAULT_PRICES,
      overrides: [],
      store,
    });
    const logger = mockServices.logger.mock();
    const reader = PriceListReader.create({
      client: pricingAt(endpoint),
      regions: ['us-east-1', 'us-west-2'],
      pageSize: 5,
    });
    const sync = PriceListSync.create({
      reader,
      store,
      table,
      logger,
      schedule: SCHEDULE,
    });
    return { store, table, logger, reader, sync };
  }

  it('reads both service codes, page by page, and counts what it leaves out', async () => {
    const { reader } = await setUp(standIn.endpoint);
    const read = await reader.read();
    // AmazonBedrock: 13 products in us-east-1 (3 pages of 5) and 3 in us-west-2;
    // AmazonBedrockFoundationModels: 12 in us-east-1 (3 pages) and 8 in us-west-2 (2 pages)
    expect(read.calls).toBe(9);
    expect(read.products).toBe(36);
    // 14 native prices (a price change is two), 18 Marketplace prices
    expect(read.facts).toHaveLength(32);
    expect(read.unmapped).toEqual(new Map([['Pixtral Large', 1]]));
    // customization, an image, provisioned throughput, a long-context surcharge
    expect(read.skipped).toBe(4);
    expect(read.malformed).toBe(0);
    expect(read.facts).toContainEqual(
      expect.objectContaining({
        model: 'anthropic.claude-sonnet-4-5-*',
        region: 'us-west-2',
        kind: 'input',
        tier: 'standard',
        // "$3.30 per 1M input tokens", unit "Units"
        usdPer1k: 0.0033,
        effectiveFrom: '2025-09-29',
        serviceCode: 'AmazonBedrockFoundationModels',
      }),
    );
  });

  it('filters on one region only when asked', async () => {
    const reader = PriceListReader.create({
      client: pricingAt(standIn.endpoint),
      regions: ['us-west-2'],
    });
    const read = await reader.read();
    expect(read.products).toBe(11);
    expect(new Set(read.facts.map(f => f.region))).toEqual(
      new Set(['us-west-2']),
    );
  });

  it('stores the read and prices from it: the list first, the built-in table for what it lacks', async () => {
    const { sync, table, store, logger } = await setUp(standIn.endpoint);
    const run = await sync.run();
    expect(run).toMatchObject({
      ok: true,
      products: 36,
      prices: 32,
      unmapped: 1,
    });
    expect(logger.info).toHaveBeenCalledWith(
      'Read the AWS price list',
      expect.objectContaining({
        getProductsCalls: 9,
        unmappedModels: 'Pixtral Large',
      }),
    );
    expect((await store.lastRuns()).last).toEqual(run);
    const rows = table.rows();

    // Nova Micro's input price falls from 0.000035 to 0.00003 per 1K on 2026-12-15:
    // 1,000 x 0.000035 + 1,000 x 0.00014 = 0.175, then 1,000 x 0.00003 + 1,000 x 0.00014 = 0.17
    const micro = (at: string) =>
      hour('amazon.nova-micro-v1:0', at, 'us-east-1', M);
    expect(rowCost(rows, micro('2026-12-14T23:00:00.000Z'))).toBeCloseTo(
      0.175,
      12,
    );
    expect(rowCost(rows, micro('2026-12-15T00:00:00.000Z'))).toBeCloseTo(
      0.17,
      12,
    );

    // Flex is priced only from the list (the built-in table has no Flex rows):
    // 1,000 x 0.0004 + 1,000 x 0.0016
    const flex = hour(
      'amazon.nova-pro-v1:0+flex',
      '2026-12-01T00:00:00.000Z',
      'us-east-1',
      M,
    );
    expect(cents(rowCost(rows, flex))).toBe(200);

    const models = modelsOf(rows, [
      // the list: 1,000 x 0.00072 + 1,000 x 0.00072
      hour(
        'meta.llama3-3-70b-instruct-v1:0',
        '2026-12-01T00:00:00.000Z',
        'us-east-1',
        M,
      ),
      // the list has Claude 3 Haiku's input price only: the built-in table,
      // 1,000 x 0.00025 + 1,000 x 0.00125
      hour(
        'anthropic.claude-3-haiku-20240307-v1:0',
        '2026-12-01T00:00:00.000Z',
        'us-east-1',
        M,
      ),
      // Claude Haiku 4.5 in us-east-1 with cache tokens, all priced by the list:
      // 1,000 x (0.0011 + 0.0055 + 0.00011 + 0.001375 + 0.0022)
      hour(
        'anthropic.claude-haiku-4-5-20251001-v1:0',
        '2026-12-01T00:00:00.000Z',
        'us-east-1',
        {
          ...M,
          cacheReadTokens: 1_000_000,
          cacheWriteTokens: 1_000_000,
          cacheWrite1hTokens: 1_000_000,
        } as Partial<HourlyUsageRow>,
      ),
    ]);
    const of = (id: string) => models.find(m => m.modelId === id)!;
    expect(cents(of('meta.llama3-3-70b-instruct-v1:0').estimatedCostUsd)).toBe(
      144,
    );
    expect(of('meta.llama3-3-70b-instruct-v1:0').prices).toEqual([
      {
        origin: 'price-list',
        source:
          'AWS Price List API (AmazonBedrock, us-east-1, effective 2024-12-03)',
        effectiveFrom: '2024-12-03',
        region: 'us-east-1',
      },
    ]);
    expect(
      cents(of('anthropic.claude-3-haiku-20240307-v1:0').estimatedCostUsd),
    ).toBe(150);
    expect(of('anthropic.claude-3-haiku-20240307-v1:0').prices).toEqual([
      expect.objectContaining({ origin: 'built-in', region: '*' }),
    ]);
    const haiku = of('anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(haiku.prices).toEqual([
      expect.objectContaining({
        origin: 'price-list',
        effectiveFrom: '2025-10-15',
      }),
    ]);
    expect(haiku.estimatedCostUsd).toBeCloseTo(10.285, 9);
  });

  it('keeps the built-in table pricing when the list cannot be reached, and records why', async () => {
    const { sync, table, store, logger } = await setUp(
      `http://127.0.0.1:${await freePort()}`,
    );
    const run = await sync.run();
    expect(run.ok).toBe(false);
    expect(run.error).toMatch(/ECONNREFUSED/);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Could not read the AWS price list'),
    );
    expect((await store.lastRuns()).last).toEqual(run);
    expect(table.status()).toMatchObject({ readAt: null, rows: 0 });
    // the built-in table: 1,000 x 0.0008 + 1,000 x 0.0032
    const nova = hour(
      'amazon.nova-pro-v1:0',
      '2026-12-01T00:00:00.000Z',
      'us-east-1',
      M,
    );
    expect(cents(rowCost(table.rows(), nova))).toBe(400);
  });
});
