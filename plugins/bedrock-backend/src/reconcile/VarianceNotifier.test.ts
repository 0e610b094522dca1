import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import {
  DEFAULT_PRICES,
  type BillingReconciliation,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { BilledSnapshot } from '../database/snapshots';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { NotificationLedger } from '../notify/NotificationLedger';
import { rowCost } from '../service/cost';
import type { Tenant } from '../tenant';
import { daysFrom, usageRow } from '../__testUtils__/billing';
import { testTenant } from '../__testUtils__/tenants';
import { reconcileMonth } from '../service/reconciliation';
import { VARIANCE_TOPIC, VarianceNotifier } from './VarianceNotifier';

jest.setTimeout(60_000);

const NOW = Date.parse('2026-11-20T12:00:00Z');
const AS_OF = '2026-11-20T06:00:00.000Z';
const ADMINS = ['group:default/bedrock-admins'];

/** November 1-20, USD 1.00 a day estimated (2,000,000 input + 400,000 output Haiku tokens). */
const estimateRows = (tenantId: string) =>
  daysFrom('2026-11-01', '2026-11-20').map(d =>
    usageRow({
      tenantId,
      hour: `${d}T10:00:00.000Z`,
      inputTokens: 2_000_000,
      outputTokens: 400_000,
    }),
  );

/** November 1-18 billed at `perDay` (complete through the 18th at AS_OF). */
const billedAt = (perDay: number): BilledSnapshot => ({
  monthToDateUsd: perDay * 18,
  daily: daysFrom('2026-11-01', '2026-11-18').map(date => ({
    date,
    usd: perDay,
  })),
  source: 'cost-allocation-tag',
  lagHours: 24,
});

/**
 * The tenants' bills: `over` USD 2.00 a day (18 days: USD 36.00 billed against 18.00
 * estimated, 18.00 or 50% over), `near` USD 1.05 a day (USD 0.90, 4.8%: below the threshold),
 * `unbilled` none at all.
 */
const BILLS: Record<string, BilledSnapshot | null> = {
  over: billedAt(2),
  near: billedAt(1.05),
  unbilled: null,
};

const reconcile = async (tenants: Tenant[], month: string) =>
  tenants.map(t =>
    reconcileMonth({
      month,
      rows: estimateRows(t.tenantId),
      cost: r => rowCost(DEFAULT_PRICES, r),
      billed: BILLS[t.tenantId],
      asOf: BILLS[t.tenantId] ? AS_OF : null,
    }),
  );

describe('VarianceNotifier', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  const tenants = ['over', 'near', 'unbilled'].map(id =>
    testTenant({ tenantId: id }),
  );

  async function setup(
    o: {
      recipients?: string[];
      send?: (n: NotificationSendOptions) => Promise<void>;
      db?: TestDatabaseId;
    } = {},
  ) {
    const knex = await databases.init(o.db ?? 'SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const sent: NotificationSendOptions[] = [];
    /** one notifier per replica, sharing the database */
    const replica = (
      rec: (
        t: Tenant[],
        m: string,
      ) => Promise<Array<BillingReconciliation | null>> = reconcile,
    ) =>
      new VarianceNotifier({
        threshold: { percent: 10, minUsd: 5 },
        recipients: o.recipients ?? ADMINS,
        ledger: new NotificationLedger(knex, () => NOW),
        notifications: {
          send: async n => {
            await o.send?.(n);
            sent.push(n);
          },
        },
        reconcile: rec,
        logger: mockServices.logger.mock(),
        now: () => NOW,
      });
    return { sent, replica };
  }

  it.each(databases.eachSupportedId())(
    'tells the admins once per tenant and month, however many replicas and runs check, on %p',
    async db => {
      const { sent, replica } = await setup({ db });
      const [a, b] = [replica(), replica()];
      const counts = await Promise.all([a.check(tenants), b.check(tenants)]);
      expect(counts.reduce((x, y) => x + y, 0)).toBe(1);
      expect(await a.check(tenants)).toBe(0);
      expect(sent).toHaveLength(1);
      const [n] = sent;
      // the admins only: never the tenant's entity (its owners)
      expect(n.recipients).toEqual({ type: 'entity', entityRef: ADMINS });
      expect(n.payload).toMatchObject({
        title:
          'Bedrock tenant over: billed cost 50.0% above the estimate in 2026-11',
        topic: VARIANCE_TOPIC,
        scope: 'bedrock:variance:over:2026-11',
        link: '/catalog/default/component/over/bedrock',
      });
      expect(n.payload.description).toBe(
        'component:default/over: billed USD 36.00, estimated USD 18.00 for 2026-11 through 2026-11-18: the bill is USD 18.00 (50.0% of the bill) above the estimate; billed figures lag up to 24 h; last complete day 2026-11-18.',
      );
    },
  );

  it('tells nothing below the threshold or for a tenant without billed figures', async () => {
    const { sent, replica } = await setup();
    expect(
      await replica().check(tenants.filter(t => t.tenantId !== 'over')),
    ).toBe(0);
    expect(sent).toEqual([]);
  });

  it('tells nobody (it only logs) without admins configured: the owners are never the fallback', async () => {
    const none = await setup({ recipients: [] });
    expect(await none.replica().check(tenants)).toBe(0);
    expect(none.sent).toEqual([]);
  });

  it('gives the month back when sending fails, so the next run tells', async () => {
    let fail = true;
    const { sent, replica } = await setup({
      send: async () => {
        if (fail) throw new Error('notifications backend down');
      },
    });
    const notifier = replica();
    expect(await notifier.check(tenants)).toBe(0);
    fail = false;
    expect(await notifier.check(tenants)).toBe(1);
    expect(sent).toHaveLength(1);
  });

  it("checks last month's variance too (its last days complete in the new month), each month once", async () => {
    const { sent, replica } = await setup();
    const past: BillingReconciliation = {
      month: '2026-10',
      source: 'iam-principal-tag',
      lagHours: 48,
      comparedThrough: '2026-10-31',
      monthComplete: true,
      billedUsd: 100,
      estimatedUsd: 80,
      varianceUsd: 20,
      variancePercent: 20,
      estimateComplete: true,
      asOf: AS_OF,
      lagNote: 'billed figures lag 24-48 h; last complete day 2026-10-31',
    };
    const notifier = replica(async (t, month) =>
      month === '2026-10' ? t.map(() => past) : reconcile(t, month),
    );
    expect(await notifier.check(tenants.slice(0, 1))).toBe(2);
    expect(sent.map(n => n.payload.scope)).toEqual([
      'bedrock:variance:over:2026-10',
      'bedrock:variance:over:2026-11',
    ]);
  });
});
