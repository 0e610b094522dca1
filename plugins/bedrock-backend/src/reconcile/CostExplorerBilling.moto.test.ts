import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  DEFAULT_PRICES,
  TAG_TENANT,
} from '@bedrock-tenancy/plugin-bedrock-common';
import {
  EMULATOR_CREDENTIALS,
  MotoServer,
  startMoto,
} from '@bedrock-tenancy/demo';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { BilledSnapshot, SNAPSHOT } from '../database/snapshots';
import { rowCost } from '../service/cost';
import { costAndUsage, daysFrom, usageRow } from '../__testUtils__/billing';
import { testTenant } from '../__testUtils__/tenants';
import { CostExplorerBilling } from './CostExplorerBilling';
import { reconcileMonth } from '../service/reconciliation';

jest.setTimeout(120_000);

const NOW = Date.parse('2026-11-20T12:00:00Z');
const ACCOUNT = '123456789012';

/**
 * Cost Explorer of the emulator answers what the test queued, in order, one answer per distinct
 * request (it applies no filter or grouping: the request's shape is unit-tested with client mocks
 * in CostExplorerBilling.test.ts). Here: the real SDK client, serializer and paging, end to end.
 */
describe('CostExplorerBilling against moto', () => {
  let moto: MotoServer;
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => moto?.stop());

  async function queue(results: unknown[]) {
    const res = await fetch(
      `${moto.endpoint}/moto-api/static/ce/cost-and-usage-results`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ account_id: ACCOUNT, results }),
      },
    );
    expect(res.ok).toBe(true);
  }

  it('reads two pages of grouped billed cost, stores it per tenant, and reconciles it with the estimate', async () => {
    const tag = (id: string) => `${TAG_TENANT}$${id}`;
    // page 1: November 1-10; page 2: November 11-20. alpha is billed USD 1.10 a day, beta 0.30
    // on the 5th only; the 19th and 20th are not complete yet
    const page = (days: string[]) =>
      days.map(date => ({
        date,
        groups: [
          { service: 'Amazon Bedrock', tag: tag('alpha'), usd: 1.1 },
          ...(date === '2026-11-05'
            ? [{ service: 'Amazon Bedrock', tag: tag('beta'), usd: 0.3 }]
            : []),
        ],
      }));
    await queue([
      costAndUsage(page(daysFrom('2026-11-01', '2026-11-10')), 'page-2'),
      costAndUsage(page(daysFrom('2026-11-11', '2026-11-20'))),
    ]);

    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const store = DatabaseUsageStore.fromKnex(knex);
    const clients = AwsClientFactory.create({
      credentials: async () => async () => EMULATOR_CREDENTIALS,
      endpoint: moto.endpoint,
      maxAttempts: 1,
    });
    const billing = CostExplorerBilling.create({
      clients,
      store,
      logger: mockServices.logger.mock(),
      maxRequestsPerDay: 10,
      now: () => NOW,
    });
    const alpha = testTenant({ tenantId: 'alpha', accountId: ACCOUNT });
    const beta = testTenant({ tenantId: 'beta', accountId: ACCOUNT });
    const run = await billing.collect([alpha, beta]);
    expect(run).toEqual({ requests: 2, stored: 2, failed: 0, skipped: 0 });

    const snaps = await store.getSnapshots<BilledSnapshot>(SNAPSHOT.billed, [
      'alpha',
      'beta',
    ]);
    expect(snaps.alpha.payload?.daily).toHaveLength(20);
    expect(snaps.alpha.payload?.monthToDateUsd).toBeCloseTo(22, 10);
    expect(snaps.beta.payload?.monthToDateUsd).toBeCloseTo(0.3, 10);
    expect(snaps.beta.payload?.daily).toHaveLength(20);

    // alpha's estimate: USD 1.00 a day (2,000,000 input + 400,000 output Haiku tokens)
    const rows = daysFrom('2026-11-01', '2026-11-20').map(d =>
      usageRow({
        tenantId: 'alpha',
        hour: `${d}T10:00:00.000Z`,
        inputTokens: 2_000_000,
        outputTokens: 400_000,
      }),
    );
    const r = reconcileMonth({
      month: '2026-11',
      rows,
      cost: row => rowCost(DEFAULT_PRICES, row),
      billed: snaps.alpha.payload,
      asOf: snaps.alpha.fetchedAt,
    })!;
    // fetched 2026-11-20T12:00Z, 24 h lag: complete through the 18th
    expect(r.comparedThrough).toBe('2026-11-18');
    expect(r.billedUsd).toBeCloseTo(19.8, 10);
    expect(r.estimatedUsd).toBeCloseTo(18, 10);
    expect(r.varianceUsd).toBeCloseTo(1.8, 10);
  });
});
