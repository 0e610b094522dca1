import { GetModelInvocationLoggingConfigurationCommand } from '@aws-sdk/client-bedrock';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import {
  BudgetsClient,
  DescribeBudgetCommand,
  DescribeNotificationsForBudgetCommand,
} from '@aws-sdk/client-budgets';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { SNAPSHOT } from '../database/snapshots';
import { StatusCollector } from './StatusCollector';
import type { StatusBudget } from '../config';
import { testTenant } from '../__testUtils__/tenants';

const T0 = Date.parse('2026-11-20T12:00:00Z');

/**
 * Every AWS call of the status collector answered by aws-sdk-client-mock after a real tick,
 * advancing an injected clock by the account's cost per call; records calls in order and the
 * largest number in flight at once.
 */
function fakeAws(secondsPerCall: (accountId: string) => number) {
  const cw = mockClient(CloudWatchClient);
  const budgets = mockClient(BudgetsClient);
  const bedrock = mockClient(BedrockClient);
  const state = {
    clock: T0,
    inFlight: 0,
    maxInFlight: 0,
    calls: [] as string[],
  };
  const call =
    <T>(
      label: (input: any) => string,
      accountOf: (input: any) => string,
      out: T,
    ) =>
    async (input: any) => {
      state.calls.push(label(input));
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      await new Promise(r => setTimeout(r, 2));
      state.clock += secondsPerCall(accountOf(input)) * 1000;
      state.inFlight--;
      return out;
    };
  // the reader asks for the tenant's exact alarm names: `bedrock-<tenant>-<kind>`
  const tenantOfAlarms = (i: any) =>
    i.AlarmNames[0].replace(/^bedrock-/, '').replace(/-[^-]+$/, '');
  const accountOfTenant = (id: string) => id.split('-')[0];
  cw.on(DescribeAlarmsCommand).callsFake(
    call(
      i => `alarms:${tenantOfAlarms(i)}`,
      i => accountOfTenant(tenantOfAlarms(i)),
      { MetricAlarms: [] },
    ),
  );
  budgets.on(DescribeBudgetCommand).callsFake(
    call(
      i => `budget:${i.BudgetName.replace(/^bedrock-/, '')}`,
      i => i.AccountId,
      {
        Budget: {
          BudgetName: 'b',
          BudgetLimit: { Amount: '100', Unit: 'USD' },
        },
      },
    ),
  );
  budgets.on(DescribeNotificationsForBudgetCommand).callsFake(
    call(
      i => `notifications:${i.BudgetName}`,
      i => i.AccountId,
      {
        Notifications: [],
      },
    ),
  );
  bedrock.on(GetModelInvocationLoggingConfigurationCommand).callsFake(
    call(
      () => 'governance',
      () => '',
      {},
    ),
  );
  const restore = () => [cw, budgets, bedrock].forEach(m => m.restore());
  return { state, restore };
}

describe('StatusCollector run budget (mocked AWS, injected clock)', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let aws: ReturnType<typeof fakeAws> | undefined;
  afterEach(() => aws?.restore());

  async function setup(
    budget: StatusBudget,
    secondsPerCall: (accountId: string) => number = () => 10,
  ) {
    aws = fakeAws(secondsPerCall);
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const store = DatabaseUsageStore.fromKnex(knex);
    const clients = AwsClientFactory.create({
      credentials: async (accountId: string) => async () => ({
        accessKeyId: `AKIA${accountId}`,
        secretAccessKey: 'x',
      }),
      maxAttempts: 1,
    });
    const make = (b: StatusBudget) =>
      StatusCollector.create({
        store,
        clients,
        logger: mockServices.logger.mock(),
        budget: b,
        now: () => aws!.state.clock,
      });
    return { store, state: aws.state, status: make(budget), make };
  }

  it('never has more fetches in flight than its concurrency', async () => {
    const { status, state } = await setup({
      concurrency: 3,
      accountBudgetMs: Infinity,
      runBudgetMs: Infinity,
    });
    const tenants = Array.from({ length: 10 }, (_, i) =>
      testTenant({ tenantId: `111111111111-t${i}` }),
    );
    const run = await status.collect(tenants);
    // 10 alarms + 10 budgets + 1 logging setting + the guardrail batch
    expect(run).toMatchObject({ state: 'done', fetched: 22, pending: [] });
    // 10 alarms + 10 budgets (2 calls each) + 1 logging setting
    expect(state.calls).toHaveLength(31);
    expect(state.maxInFlight).toBe(3);
  });

  it('records a run past its budget as partial, and the next run starts where it stopped', async () => {
    const { status, store, state, make } = await setup({
      concurrency: 1,
      accountBudgetMs: Infinity,
      runBudgetMs: 65_000,
    });
    const tenants = [1, 2, 3, 4, 5].map(i =>
      testTenant({ tenantId: `111111111111-t${i}` }),
    );
    const first = await status.collect(tenants);

    // each call takes 10 s: alarms t1 (0-10 s), budget t1 (10-30), alarms t2 (30-40),
    // budget t2 (40-60), alarms t3 (60-70); at 70 s the 65-second budget is spent
    const left = [
      'budget:111111111111-t3',
      'alarms:111111111111-t4',
      'budget:111111111111-t4',
      'alarms:111111111111-t5',
      'budget:111111111111-t5',
      'governance:111111111111/us-east-1',
      // the guardrail batch comes last
      'guardrails:all',
    ];
    expect(first).toMatchObject({
      state: 'partial',
      fetched: 5,
      pending: left,
    });
    const record = (await store.getSnapshots<any>(SNAPSHOT.run, ['status']))
      .status;
    expect(record.payload).toMatchObject({ state: 'partial', pending: left });
    expect(record.error).toBe(
      'ran out of time: 7 of 12 fetches left for the next run',
    );
    const budgets = await store.getSnapshots<any>('budget', [
      '111111111111-t2',
      '111111111111-t3',
    ]);
    expect(Object.keys(budgets)).toEqual(['111111111111-t2']);

    // the next run fetches what was left first, then the rest, and is done
    state.calls.length = 0;
    const second = await make({
      concurrency: 1,
      accountBudgetMs: Infinity,
      runBudgetMs: Infinity,
    }).collect(tenants);
    expect(second).toMatchObject({ state: 'done', fetched: 12, pending: [] });
    expect(state.calls.slice(0, 8)).toEqual([
      'budget:111111111111-t3',
      'notifications:bedrock-111111111111-t3',
      'alarms:111111111111-t4',
      'budget:111111111111-t4',
      'notifications:bedrock-111111111111-t4',
      'alarms:111111111111-t5',
      'budget:111111111111-t5',
      'notifications:bedrock-111111111111-t5',
    ]);
    expect(state.calls[8]).toBe('governance');
    expect(
      (await store.getSnapshots<any>(SNAPSHOT.run, ['status'])).status,
    ).toMatchObject({ payload: { state: 'done', pending: [] }, error: null });
  });

  it('stops fetching for an account past its time, not for the others', async () => {
    const { status } = await setup(
      { concurrency: 1, accountBudgetMs: 50_000, runBudgetMs: Infinity },
      accountId => (accountId === '111111111111' ? 30 : 1),
    );
    const run = await status.collect([
      testTenant({ tenantId: '111111111111-slow1' }),
      testTenant({ tenantId: '111111111111-slow2' }),
      testTenant({ tenantId: '222222222222-fast1', accountId: '222222222222' }),
      testTenant({ tenantId: '222222222222-fast2', accountId: '222222222222' }),
    ]);
    // the slow account: alarms (0-30 s), budget (30-90 s); then its 50 s are spent
    expect(run.state).toBe('partial');
    expect(run.pending).toEqual([
      'alarms:111111111111-slow2',
      'budget:111111111111-slow2',
      'governance:111111111111/us-east-1',
    ]);
    // slow1's two, both fast tenants' four, the fast account's logging settings, the guardrails
    expect(run.fetched).toBe(8);
  });

  it('leaves the scheduled run record alone on a one-tenant refresh', async () => {
    const { status, store } = await setup({
      concurrency: 1,
      accountBudgetMs: Infinity,
      runBudgetMs: 15_000,
    });
    const tenants = [
      testTenant({ tenantId: '111111111111-a' }),
      testTenant({ tenantId: '111111111111-b' }),
    ];
    const partial = await status.collect(tenants);
    expect(partial.state).toBe('partial');
    await status.collect([tenants[1]], { resumable: false });
    expect(
      (await store.getSnapshots<any>(SNAPSHOT.run, ['status'])).status.payload,
    ).toEqual(partial);
  });
});
