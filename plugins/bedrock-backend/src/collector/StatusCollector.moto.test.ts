import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  DEMO_TENANTS,
  demoBudgetLimitUsd,
  demoMonthToDateUsd,
  demoTenantEntity,
  DEMO_LOGGING,
  EMULATOR_CREDENTIALS,
  MotoServer,
  seedDemo,
  startMoto,
} from '@bedrock-tenancy/demo';
import {
  DeleteAlarmsCommand,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { StatusCollector } from './StatusCollector';
import { StatusReader } from './StatusReader';
import { CostExplorerBilling } from '../reconcile/CostExplorerBilling';
import { tenantOf, type Tenant } from '../tenant';

jest.setTimeout(120_000);

const ANCHOR = new Date('2026-11-20T12:00:00.000Z');
const platformTenants = DEMO_TENANTS.filter(
  t => t.accountId === DEMO_LOGGING.accountId,
).map(t => tenantOf(demoTenantEntity(t) as any)!);

describe('StatusCollector against moto', () => {
  let moto: MotoServer;
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  beforeAll(async () => {
    moto = await startMoto();
    await seedDemo({ endpoint: moto.endpoint, anchor: ANCHOR });
  });
  afterAll(async () => moto?.stop());

  /** A status collector over the emulator and a fresh SQLite store, at the seed's anchor. */
  async function statusCollector() {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const store = DatabaseUsageStore.fromKnex(knex);
    const clients = AwsClientFactory.create({
      credentials: async () => async () => EMULATOR_CREDENTIALS,
      endpoint: moto.endpoint,
      maxAttempts: 1,
    });
    const logger = mockServices.logger.mock();
    const now = () => ANCHOR.getTime();
    const status = StatusCollector.create({
      store,
      clients,
      logger,
      now,
      billing: CostExplorerBilling.create({ clients, store, logger, now }),
    });
    const reader = new StatusReader({ clients, logger, now });
    return { store, status, reader, clients };
  }

  /** Puts alarms of these names in the tenant's account and first region; returns a remover. */
  async function putAlarms(
    clients: AwsClientFactory,
    t: Tenant,
    names: string[],
  ) {
    const cw = (await clients.forTarget(t.accountId, t.regions[0])).cloudwatch;
    for (const AlarmName of names) {
      await cw.send(
        new PutMetricAlarmCommand({
          AlarmName,
          MetricName: 'Invocations',
          Namespace: 'AWS/Bedrock',
          Statistic: 'Sum',
          Period: 3600,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      );
    }
    return () => cw.send(new DeleteAlarmsCommand({ AlarmNames: names }));
  }

  it('stores alarms (by exact name), budgets and invocation-logging governance', async () => {
    const { store, status } = await statusCollector();
    await status.collect(platformTenants);

    const ids = platformTenants.map(t => t.tenantId);
    const alarms = await store.getSnapshots<any[]>('alarms', ids);
    const support = alarms['support-bot'].payload!;
    expect(support.map(a => a.name)).toEqual([
      'bedrock-support-bot-errors',
      'bedrock-support-bot-invocations',
      'bedrock-support-bot-latency',
      'bedrock-support-bot-throttles',
      'bedrock-support-bot-tokens',
    ]);
    expect(
      support
        .filter(a => a.state === 'ALARM')
        .map(a => a.name)
        .sort(),
    ).toEqual(['bedrock-support-bot-errors', 'bedrock-support-bot-throttles']);
    expect(support[0].consoleUrl).toContain(
      'us-east-1.console.aws.amazon.com/cloudwatch',
    );

    const budgets = await store.getSnapshots<any>('budget', ids);
    const checkout = DEMO_TENANTS.find(
      t => t.tenantId === 'checkout-assistant',
    )!;
    expect(budgets['checkout-assistant'].payload).toMatchObject({
      name: 'bedrock-checkout-assistant',
      limitUsd: demoBudgetLimitUsd(checkout, ANCHOR),
      actualSpendUsd: Number(demoMonthToDateUsd(checkout, ANCHOR).toFixed(2)),
    });

    const gov = await store.getSnapshots<any>('governance', [
      '123456789012/us-east-1',
      '123456789012/us-west-2',
    ]);
    expect(gov['123456789012/us-east-1'].payload).toEqual({
      region: 'us-east-1',
      loggingEnabled: true,
      cloudWatchLogGroup: DEMO_LOGGING.logGroupName,
      s3Bucket: DEMO_LOGGING.bucketName,
      promptsLogged: false,
      deliveryFailures: { cloudWatch: 0, s3: 0 },
    });
    expect(gov['123456789012/us-west-2'].payload).toMatchObject({
      loggingEnabled: false,
    });
  });

  it('reads billed cost from queued Cost Explorer results and stores it', async () => {
    const res = await fetch(
      `${moto.endpoint}/moto-api/static/ce/cost-and-usage-results`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          account_id: DEMO_LOGGING.accountId,
          results: [
            {
              // one request for the account, grouped by service and the tenant tag
              ResultsByTime: [
                ['2026-11-01', '2026-11-02', '12.5'],
                ['2026-11-02', '2026-11-03', '7.25'],
              ].map(([Start, End, Amount]) => ({
                TimePeriod: { Start, End },
                Total: {},
                Groups: [
                  {
                    Keys: [
                      'Amazon Bedrock',
                      `bedrock-tenancy:tenant$${platformTenants[0].tenantId}`,
                    ],
                    Metrics: { UnblendedCost: { Amount, Unit: 'USD' } },
                  },
                ],
              })),
            },
          ],
        }),
      },
    );
    expect(res.ok).toBe(true);
    const { store, status } = await statusCollector();
    await status.collectBilled(platformTenants.slice(0, 1));
    const billed = await store.getSnapshots<any>('billed', [
      platformTenants[0].tenantId,
    ]);
    expect(billed[platformTenants[0].tenantId]).toMatchObject({
      error: null,
      payload: {
        source: 'cost-allocation-tag',
        monthToDateUsd: 19.75,
        daily: [
          { date: '2026-11-01', usd: 12.5 },
          { date: '2026-11-02', usd: 7.25 },
        ],
      },
    });
  });

  it('answers null for a tenant without a budget', async () => {
    const { reader } = await statusCollector();
    const t = {
      ...platformTenants[0],
      budgetName: 'no-such-budget',
      alarmPrefix: 'no-such-prefix-',
    };
    expect(await reader.budget(t)).toBeNull();
    expect(await reader.alarms(t)).toEqual([]);
  });
  it("keeps a tenant to its exact alarm names: tenant checkout gets none of checkout-assistant's", async () => {
    const { store, status, clients } = await statusCollector();
    const assistant = platformTenants.find(
      t => t.tenantId === 'checkout-assistant',
    )!;
    // a second tenant in the same account and region, whose alarm prefix `bedrock-checkout-`
    // also starts every alarm name of checkout-assistant (seeded: all five of its kinds)
    const checkout: Tenant = {
      ...assistant,
      tenantId: 'checkout',
      entityRef: 'component:default/checkout',
      inferenceProfiles: {},
      alarmPrefix: 'bedrock-checkout-',
      budgetName: 'bedrock-checkout',
    };
    const remove = await putAlarms(clients, checkout, [
      'bedrock-checkout-tokens',
      'bedrock-checkout-errors',
      // under checkout's prefix, but none of the names the suite gives its alarms
      'bedrock-checkout-tokens-old',
    ]);
    try {
      await status.collect([checkout, assistant]);
      const alarms = await store.getSnapshots<any[]>('alarms', [
        'checkout',
        'checkout-assistant',
      ]);
      expect(alarms.checkout.error).toBeNull();
      expect(alarms.checkout.payload!.map(a => a.name)).toEqual([
        'bedrock-checkout-errors',
        'bedrock-checkout-tokens',
      ]);
      expect(alarms['checkout-assistant'].payload!.map(a => a.name)).toEqual([
        'bedrock-checkout-assistant-errors',
        'bedrock-checkout-assistant-invocations',
        'bedrock-checkout-assistant-latency',
        'bedrock-checkout-assistant-throttles',
        'bedrock-checkout-assistant-tokens',
      ]);
    } finally {
      await remove();
    }
  });

  it("reads a binding's own alarm prefix as exact names too: <alarmPrefix><kind>", async () => {
    const { reader, clients } = await statusCollector();
    const t: Tenant = {
      ...platformTenants[0],
      tenantId: 'payments',
      entityRef: 'component:default/payments',
      // bedrock.tenants[].alarmPrefix: how a config-bound tenant names its alarms
      alarmPrefix: 'team-payments-',
      budgetName: 'no-such-budget',
    };
    const remove = await putAlarms(clients, t, [
      'team-payments-latency',
      'team-payments-throttles',
      'team-payments-latency-p99',
      'team-payments-eu-throttles',
    ]);
    try {
      expect((await reader.alarms(t)).map(a => a.name)).toEqual([
        'team-payments-latency',
        'team-payments-throttles',
      ]);
    } finally {
      await remove();
    }
  });
});
