import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import type {
  AlarmInfo,
  EntitySummary,
} from '@bedrock-tenancy/plugin-bedrock-common';
import knexFactory, { Knex } from 'knex';
import type { Tenant } from '../tenant';
import { testTenant } from '../__testUtils__/tenants';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { DEFAULT_BUDGET_THRESHOLDS } from './config';
import { EVENT_TYPES } from './events';
import { NotificationLedger } from './NotificationLedger';
import { TenantNotifier, tenantTopic } from './TenantNotifier';

jest.setTimeout(60_000);

const NOV = Date.parse('2026-11-20T10:00:00Z');
const DEC = Date.parse('2026-12-02T10:00:00Z');

function tenant(name: string): Tenant {
  return testTenant({
    tenantId: name,
    accountId: '123456789012',
    alarmPrefix: `bedrock-tenancy-${name}-`,
    budgetName: `bedrock-tenancy-${name}`,
  });
}

const alarm = (
  name: string,
  state: AlarmInfo['state'],
  actionsEnabled = true,
): AlarmInfo => ({
  name,
  state,
  reason: `Threshold crossed: ${state}`,
  updatedAt: null,
  metricName: 'InvocationThrottles',
  threshold: 1,
  region: 'us-east-1',
  consoleUrl: 'https://example.invalid',
  actionsEnabled,
});

/** What one collection shows about a tenant; only the parts the notifier reads. */
interface Shown {
  spent?: number;
  limit?: number;
  forecast?: number | null;
  alarms?: AlarmInfo[];
  anomalyOn?: string;
  idle?: boolean;
  lastInvocationAt?: string | null;
}

function summaryOf(t: Tenant, s: Shown): EntitySummary {
  const limit = s.limit ?? 100;
  return {
    tenant: {
      entityRef: t.entityRef,
      tenantId: t.tenantId,
      accountId: t.accountId,
      regions: t.regions,
      attribution: t.attribution,
    },
    budget:
      s.spent === undefined
        ? { status: 'ok', data: null }
        : {
            status: 'ok',
            data: {
              name: t.budgetName,
              limitUsd: limit,
              actualSpendUsd: s.spent,
              forecastedSpendUsd: s.forecast ?? null,
              usedFraction: s.spent / limit,
              runsOutOn: null,
              thresholds: [],
            },
          },
    alarms: { status: 'ok', data: s.alarms ?? [] },
    cost: {
      status: 'ok',
      data: {
        anomaly: s.anomalyOn
          ? { date: s.anomalyOn, amountUsd: 40, baselineUsd: 4, score: 5.2 }
          : null,
      },
    },
    idle: {
      idle: s.idle ?? false,
      lastInvocationAt: s.lastInvocationAt ?? '2026-11-19T08:00:00.000Z',
      thresholdDays: 7,
    },
    freshness: {
      dataUntil: '2026-11-20T10:00:00.000Z',
      lastCollectedAt: '2026-11-20T10:00:00.000Z',
      stale: false,
    },
  } as unknown as EntitySummary;
}

/** A notifier over `db` whose summaries come from `shown`, recording what it sends. */
function setup(db: Knex, shown: Map<string, Shown>, clock = { now: NOV }) {
  const sent: NotificationSendOptions[] = [];
  const notifications = {
    send: jest.fn(async (n: NotificationSendOptions) => {
      sent.push(n);
    }),
  };
  const logger = mockServices.logger.mock();
  const notifier = new TenantNotifier({
    settings: {
      enabled: true,
      events: Object.fromEntries(EVENT_TYPES.map(e => [e, true])) as any,
      budgetThresholds: DEFAULT_BUDGET_THRESHOLDS,
      signals: true,
    },
    ledger: new NotificationLedger(db, () => clock.now),
    notifications,
    summarize: async t => summaryOf(t, shown.get(t.tenantId) ?? {}),
    logger,
    now: () => clock.now,
  });
  return { notifier, sent, notifications, clock, logger };
}

const titles = (sent: NotificationSendOptions[]) =>
  sent.map(n => n.payload.title);

describe('TenantNotifier', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function freshDb(id: any) {
    const db = await databases.init(id);
    await DatabaseUsageStore.migrate(db);
    return db;
  }

  it.each(databases.eachSupportedId())(
    'sends each budget threshold once per period to the tenant entity, on %p',
    async id => {
      const db = await freshDb(id);
      const docs = tenant('docs-summarizer');
      const shown = new Map<string, Shown>([[docs.tenantId, { spent: 85 }]]);
      const { notifier, sent, clock } = setup(db, shown);

      expect(await notifier.check([docs])).toBe(1);
      // first seen past 80%: 50% and 80% are both crossed, only the highest is told
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        recipients: { type: 'entity', entityRef: docs.entityRef },
        payload: {
          title:
            'component:default/docs-summarizer: 80% of the Bedrock budget spent',
          severity: 'normal',
          topic: tenantTopic(docs.entityRef),
          link: '/catalog/default/component/docs-summarizer/bedrock',
          scope: 'bedrock:docs-summarizer:budget:2026-11:ACTUAL',
        },
      });
      // where the members stand: what is left, how long it lasts, how to get more
      expect(sent[0].payload.description).toBe(
        "Budget bedrock-tenancy-docs-summarizer: USD 85.00 of USD 100.00 (85%) spent in 2026-11. USD 15.00 left; at today's rate it lasts the month. The tenant's Bedrock tab can request a temporary increase.",
      );

      // the next collections show the same: nothing new
      expect(await notifier.check([docs])).toBe(0);
      expect(await notifier.check([docs])).toBe(0);

      // 100% actual and forecast: two events, 100% is high
      shown.set(docs.tenantId, { spent: 101, forecast: 130 });
      expect(await notifier.check([docs])).toBe(2);
      expect(sent[1].payload.description).toContain(
        'Nothing left (over by USD 1.00)',
      );
      expect(
        sent.slice(1).map(n => [n.payload.title, n.payload.severity]),
      ).toEqual([
        [
          'component:default/docs-summarizer: 100% of the Bedrock budget spent',
          'high',
        ],
        [
          'component:default/docs-summarizer: Bedrock budget forecast to run out',
          'normal',
        ],
      ]);

      // a new budget period starts: the thresholds count again
      clock.now = DEC;
      shown.set(docs.tenantId, { spent: 55 });
      expect(await notifier.check([docs])).toBe(1);
      expect(sent[3].payload.title).toContain('50% of the Bedrock budget');
      expect(sent[3].payload.severity).toBe('low');
    },
  );

  it.each(databases.eachSupportedId())(
    'sends one notification per alarm transition, on %p',
    async id => {
      const db = await freshDb(id);
      const t = tenant('checkout-assistant');
      const shown = new Map<string, Shown>([
        [t.tenantId, { alarms: [alarm('throttles', 'OK')] }],
      ]);
      const { notifier, sent } = setup(db, shown);

      // an alarm first seen in OK is no event
      expect(await notifier.check([t])).toBe(0);

      const states: Array<AlarmInfo['state']> = [
        'ALARM',
        'ALARM',
        'INSUFFICIENT_DATA',
        'ALARM',
        'OK',
        'OK',
        'ALARM',
      ];
      for (const state of states) {
        shown.set(t.tenantId, { alarms: [alarm('throttles', state)] });
        await notifier.check([t]);
      }
      expect(titles(sent)).toEqual([
        'component:default/checkout-assistant: alarm throttles is in ALARM',
        'component:default/checkout-assistant: alarm throttles is back to OK',
        'component:default/checkout-assistant: alarm throttles is in ALARM',
      ]);
      expect(sent.map(n => n.payload.severity)).toEqual([
        'high',
        'low',
        'high',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'tells an anomaly day, idleness and suspension once each, on %p',
    async id => {
      const db = await freshDb(id);
      const t = tenant('search-rag');
      const shown = new Map<string, Shown>();
      const { notifier, sent } = setup(db, shown);
      const show = async (s: Shown) => {
        shown.set(t.tenantId, s);
        await notifier.check([t]);
      };

      await show({ anomalyOn: '2026-11-18' });
      await show({ anomalyOn: '2026-11-18' });
      await show({ anomalyOn: '2026-11-19' });
      await show({ idle: true, lastInvocationAt: '2026-11-01T00:00:00.000Z' });
      await show({ idle: true, lastInvocationAt: '2026-11-01T00:00:00.000Z' });
      await show({ idle: false }); // active again: recorded, not told
      await show({ idle: true, lastInvocationAt: '2026-11-19T08:00:00.000Z' });
      const off = [alarm('a', 'OK', false), alarm('b', 'OK', false)];
      await show({ alarms: off });
      await show({ alarms: off });
      await show({ alarms: [alarm('a', 'OK', false), alarm('b', 'OK', true)] });

      expect(sent.map(n => [n.payload.title, n.payload.severity])).toEqual([
        [
          'component:default/search-rag: unusual Bedrock spend on 2026-11-18',
          'normal',
        ],
        [
          'component:default/search-rag: unusual Bedrock spend on 2026-11-19',
          'normal',
        ],
        ['component:default/search-rag: Bedrock tenant idle', 'low'],
        ['component:default/search-rag: Bedrock tenant idle', 'low'],
        ['component:default/search-rag: Bedrock tenant suspended', 'high'],
        ['component:default/search-rag: Bedrock tenant resumed', 'normal'],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'sends once when two replicas check the same events at the same time, on %p',
    async id => {
      const db = await freshDb(id);
      // a second connection pool on the same database, as a second replica would have
      const other = knexFactory(db.client.config);
      const shown = new Map<string, Shown>();
      const tenants = ['t1', 't2', 't3', 't4'].map(tenant);
      for (const t of tenants) {
        shown.set(t.tenantId, {
          spent: 120,
          alarms: [alarm('errors', 'ALARM')],
          anomalyOn: '2026-11-19',
        });
      }
      const a = setup(db, shown);
      const b = setup(id === 'SQLITE_3' ? db : other, shown);
      for (let round = 0; round < 3; round++) {
        await Promise.all([
          a.notifier.check(tenants),
          b.notifier.check(tenants),
        ]);
      }
      await other.destroy();
      // both replicas worked (no failure swallowed), and between them each event went out once
      expect(a.logger.warn).not.toHaveBeenCalled();
      expect(b.logger.warn).not.toHaveBeenCalled();
      const all = [...a.sent, ...b.sent];
      // per tenant: 100% budget, alarm, anomaly (forecast not shown)
      expect(all).toHaveLength(tenants.length * 3);
      expect(new Set(all.map(n => n.payload.title)).size).toBe(all.length);
    },
  );

  it.each(databases.eachSupportedId())(
    'tries again after a failed send and survives a restart, on %p',
    async id => {
      const db = await freshDb(id);
      const t = tenant('docs-summarizer');
      const shown = new Map<string, Shown>([[t.tenantId, { spent: 90 }]]);
      const first = setup(db, shown);
      first.notifications.send.mockRejectedValueOnce(new Error('503'));
      expect(await first.notifier.check([t])).toBe(0);
      expect(await first.notifier.check([t])).toBe(1);
      // a restarted instance reads the ledger: nothing is sent twice
      const restarted = setup(db, shown);
      expect(await restarted.notifier.check([t])).toBe(0);
    },
  );

  it('gives every tenant its own topic, so muting one leaves the others', async () => {
    const db = await freshDb('SQLITE_3');
    const shown = new Map<string, Shown>([
      ['a', { spent: 60 }],
      ['b', { spent: 60 }],
    ]);
    const { notifier, sent } = setup(db, shown);
    await notifier.check([tenant('a'), tenant('b')]);
    expect(sent.map(n => n.payload.topic)).toEqual([
      'Bedrock: component:default/a',
      'Bedrock: component:default/b',
    ]);
  });

  it('sends nothing for an event type turned off', async () => {
    const db = await freshDb('SQLITE_3');
    const t = tenant('a');
    const sent: NotificationSendOptions[] = [];
    const notifier = new TenantNotifier({
      settings: {
        enabled: true,
        events: {
          budgetThreshold: false,
          alarm: true,
          anomaly: true,
          idle: true,
          suspension: true,
        },
        budgetThresholds: [50],
        signals: true,
      },
      ledger: new NotificationLedger(db),
      notifications: { send: async n => void sent.push(n) },
      summarize: async x =>
        summaryOf(x, { spent: 60, alarms: [alarm('x', 'ALARM')] }),
      logger: mockServices.logger.mock(),
      now: () => NOV,
    });
    await notifier.check([t]);
    expect(titles(sent)).toEqual(['component:default/a: alarm x is in ALARM']);
  });
});
