import {
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateRoleCommand,
  GetRolePolicyCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
} from '@aws-sdk/client-iam';
import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  EMULATOR_CREDENTIALS,
  MotoServer,
  startMoto,
} from '@bedrock-tenancy/demo';
import {
  BudgetEnforcement,
  EntitySummary,
  MANAGED_BY_VALUE,
  TAG_MANAGED_BY,
  TAG_TENANT,
  tenantAlarmNames,
} from '@bedrock-tenancy/plugin-bedrock-common';
import {
  AwsCallInfo,
  AwsClientFactory,
  readSuspensionTarget,
  resumeTenant,
  setAlarmActions,
  suspendTenant,
} from '@bedrock-tenancy/plugin-bedrock-node';
import { DatabaseBindingStore } from '../bindings/DatabaseBindingStore';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { NotificationLedger } from '../notify/NotificationLedger';
import { BudgetIncreaseStore } from '../increases/BudgetIncreaseStore';
import { testTenant } from '../__testUtils__/tenants';
import { BudgetEnforcer, ENFORCEMENT_SNAPSHOT } from './BudgetEnforcer';

jest.setTimeout(120_000);

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const NOV = Date.parse('2026-11-20T12:00:00.000Z');
const DEC = Date.parse('2026-12-01T09:00:00.000Z');

const tenantFor = (tenantId: string) =>
  testTenant({ tenantId, accountId: ACCOUNT, regions: [REGION] });

/** The summary fields enforcement reads: an AWS Budget at `actual` of `limit`, the estimate at `estimate`. */
const summaryAt = (actual: number, limit = 100, estimate = actual) =>
  ({
    budget: {
      status: 'ok',
      data: {
        name: 'b',
        limitUsd: limit,
        actualSpendUsd: actual,
        forecastedSpendUsd: null,
        usedFraction: actual / limit,
        runsOutOn: null,
        thresholds: [],
      },
    },
    cost: { status: 'ok', data: { monthToDateUsd: estimate } },
  } as unknown as EntitySummary);

describe('BudgetEnforcer against moto', () => {
  let moto: MotoServer;
  const databases = TestDatabases.create({
    ids: ['POSTGRES_15', 'SQLITE_3'],
  });
  const calls: AwsCallInfo[] = [];
  let clients: AwsClientFactory;

  beforeAll(async () => {
    moto = await startMoto();
    clients = AwsClientFactory.create({
      credentials: async () => async () => EMULATOR_CREDENTIALS,
      endpoint: moto.endpoint,
      maxAttempts: 1,
      onCall: c => {
        calls.push(c);
      },
    });
  });
  afterAll(async () => moto?.stop());

  /** A tenant as the suite provisions it: its role and two alarms, tagged for it, actions on. */
  async function provision(tenantId: string) {
    const aws = await clients.forTarget(ACCOUNT, REGION);
    const Tags = [
      { Key: TAG_TENANT, Value: tenantId },
      { Key: TAG_MANAGED_BY, Value: MANAGED_BY_VALUE },
    ];
    await aws.iam.send(
      new CreateRoleCommand({
        RoleName: `bedrock-tenant-${tenantId}`,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [],
        }),
        Tags,
      }),
    );
    for (const kind of ['tokens', 'errors']) {
      await aws.cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: `bedrock-${tenantId}-${kind}`,
          ActionsEnabled: true,
          AlarmActions: [
            `arn:aws:sns:${REGION}:${ACCOUNT}:bedrock-${tenantId}-alerts`,
          ],
          MetricName: 'InputTokenCount',
          Namespace: 'AWS/Bedrock',
          Statistic: 'Sum',
          Period: 3600,
          EvaluationPeriods: 1,
          Threshold: 10,
          ComparisonOperator: 'GreaterThanThreshold',
          Tags,
        }),
      );
    }
    return aws;
  }

  /** What AWS says of the tenant's suspension. */
  async function awsState(tenantId: string) {
    const aws = await clients.forTarget(ACCOUNT, REGION);
    const RoleName = `bedrock-tenant-${tenantId}`;
    const tags = Object.fromEntries(
      (
        (await aws.iam.send(new ListRoleTagsCommand({ RoleName }))).Tags ?? []
      ).map(t => [t.Key, t.Value]),
    );
    const policies =
      (await aws.iam.send(new ListRolePoliciesCommand({ RoleName })))
        .PolicyNames ?? [];
    const alarms =
      (
        await aws.cloudwatch.send(
          new DescribeAlarmsCommand({
            AlarmNamePrefix: `bedrock-${tenantId}-`,
          }),
        )
      ).MetricAlarms ?? [];
    return {
      suspendedBy: tags['bedrock-tenancy:suspended-by'],
      suspendedAlarms: tags['bedrock-tenancy:suspended-alarms'],
      policies,
      actionsEnabled: alarms.map(a => a.ActionsEnabled),
    };
  }

  /** An enforcer replica over `knex`, with recording auditor and notifications. */
  function replica(
    knex: any,
    o: {
      now: number;
      spend: number;
      estimate?: number;
      dryRun?: boolean;
      /** the AWS Budget's limit (100 unless an increase raised it) */
      limit?: number;
    },
  ) {
    const audits: Array<{ meta: any; outcome?: string }> = [];
    const sent: any[] = [];
    const enforcer = BudgetEnforcer.create({
      settings: { enabled: true, dryRun: o.dryRun ?? false },
      bindings: DatabaseBindingStore.fromKnex(knex),
      store: DatabaseUsageStore.fromKnex(knex),
      clients,
      ledger: new NotificationLedger(knex, () => o.now),
      summarize: async () => summaryAt(o.spend, o.limit ?? 100, o.estimate),
      notifications: {
        send: async (n: any) => {
          sent.push(n);
        },
      } as any,
      auditor: {
        createEvent: async (e: any) => {
          const record: { meta: any; outcome?: string } = { meta: e.meta };
          audits.push(record);
          return {
            success: async () => {
              record.outcome = 'succeeded';
            },
            fail: async () => {
              record.outcome = 'failed';
            },
          };
        },
      },
      logger: mockServices.logger.mock(),
      increases: BudgetIncreaseStore.fromKnex(knex),
      now: () => o.now,
    });
    return { enforcer, audits, sent };
  }

  async function databaseWith(
    id: TestDatabaseId,
    tenantId: string,
    setting: BudgetEnforcement,
  ) {
    const knex = await databases.init(id);
    await DatabaseUsageStore.migrate(knex);
    const t = tenantFor(tenantId);
    await DatabaseBindingStore.fromKnex(knex).put({
      ...t,
      source: 'provisioning',
      updatedAt: new Date(NOV).toISOString(),
      updatedBy: 'plugin:scaffolder',
      budgetEnforcement: setting,
    });
    return knex;
  }

  it.each(databases.eachSupportedId())(
    'crossing 100%% suspends once, with two enforcers on one database (%p), audited and told',
    async id => {
      const tenantId = `over-${id === 'SQLITE_3' ? 'lite' : 'pg'}`;
      await provision(tenantId);
      const knex = await databaseWith(id, tenantId, {
        action: 'suspend',
        basis: 'actual',
        autoResume: false,
      });
      const a = replica(knex, { now: NOV, spend: 100.01 });
      const b = replica(knex, { now: NOV, spend: 100.01 });
      calls.length = 0;
      const [ra, rb] = await Promise.all([
        a.enforcer.enforce([tenantFor(tenantId)]),
        b.enforcer.enforce([tenantFor(tenantId)]),
      ]);
      // one replica suspended; the other found the period claimed
      expect([ra[0].decision, rb[0].decision].sort()).toEqual([
        'none',
        'suspend',
      ]);
      expect(calls.filter(c => c.command === 'PutRolePolicy')).toHaveLength(1);
      expect(await awsState(tenantId)).toEqual({
        suspendedBy: 'budget:2026-11',
        suspendedAlarms: 'tokens errors',
        policies: ['bedrock-tenancy-suspended'],
        actionsEnabled: [false, false],
      });
      const deny = await (
        await clients.forTarget(ACCOUNT, REGION)
      ).iam.send(
        new GetRolePolicyCommand({
          RoleName: `bedrock-tenant-${tenantId}`,
          PolicyName: 'bedrock-tenancy-suspended',
        }),
      );
      expect(JSON.parse(decodeURIComponent(deny.PolicyDocument!))).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'TenantSuspended',
            Effect: 'Deny',
            Action: 'bedrock:*',
            Resource: '*',
          },
        ],
      });
      // audited once, with reason "budget"; the owners told once, high severity
      const audits = [...a.audits, ...b.audits];
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({
        outcome: 'succeeded',
        meta: {
          reason: 'budget',
          action: 'suspend',
          tenantId,
          period: '2026-11',
          spendUsd: 100.01,
          limitUsd: 100,
        },
      });
      const sent = [...a.sent, ...b.sent];
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        recipients: {
          type: 'entity',
          entityRef: `component:default/${tenantId}`,
        },
        payload: {
          severity: 'high',
          topic: `Bedrock: component:default/${tenantId}`,
        },
      });
      // the tab's record
      const snap = await DatabaseUsageStore.fromKnex(knex).getSnapshots<any>(
        ENFORCEMENT_SNAPSHOT,
        [tenantId],
      );
      expect(snap[tenantId].payload).toMatchObject({
        suspended: true,
        suspendedFor: 'budget',
        suspendedOn: '2026-11-20',
        resumableBy: expect.stringContaining('Resume step'),
      });

      // later runs and a restart (a new replica) change nothing
      calls.length = 0;
      const c = replica(knex, { now: NOV + 3_600_000, spend: 130 });
      const [again] = await c.enforcer.enforce([tenantFor(tenantId)]);
      expect(again.decision).toBe('none');
      expect(calls.filter(x => x.mutating)).toEqual([]);
      expect(c.audits).toEqual([]);
      expect(c.sent).toEqual([]);
    },
  );

  it('resumes a budget suspension when the next period starts, and never suspends twice in a period', async () => {
    const tenantId = 'auto-resume';
    await provision(tenantId);
    const knex = await databaseWith('SQLITE_3', tenantId, {
      action: 'suspend',
      basis: 'estimate',
      autoResume: true,
    });
    // the estimate decides: the AWS Budget lags at 40%
    const nov = replica(knex, { now: NOV, spend: 40, estimate: 101 });
    expect(
      (await nov.enforcer.enforce([tenantFor(tenantId)]))[0],
    ).toMatchObject({
      decision: 'suspend',
      resumesOn: '2026-12-01',
    });
    expect((await awsState(tenantId)).suspendedBy).toBe('budget:2026-11');

    const dec = replica(knex, { now: DEC, spend: 0, estimate: 0 });
    const plan = await dec.enforcer.plan([tenantFor(tenantId)]);
    expect(plan.tenants[0].decision).toBe('resume');
    const [resumed] = await dec.enforcer.enforce([tenantFor(tenantId)]);
    expect(resumed).toMatchObject({ decision: 'resume', suspended: false });
    expect(await awsState(tenantId)).toEqual({
      suspendedBy: undefined,
      suspendedAlarms: undefined,
      policies: [],
      actionsEnabled: [true, true],
    });
    expect(dec.audits).toEqual([
      expect.objectContaining({
        outcome: 'succeeded',
        meta: expect.objectContaining({ reason: 'budget', action: 'resume' }),
      }),
    ]);
    expect(dec.sent).toHaveLength(1);

    // over again in December: suspended for December's budget
    const over = replica(knex, {
      now: DEC + 3_600_000,
      spend: 0,
      estimate: 150,
    });
    expect(
      (await over.enforcer.enforce([tenantFor(tenantId)]))[0].decision,
    ).toBe('suspend');
    // a person resumes it the same month: enforcement does not suspend it twice
    const aws = await clients.forTarget(ACCOUNT, REGION);
    const target = (await readSuspensionTarget(aws, {
      roleName: `bedrock-tenant-${tenantId}`,
      alarmPrefix: `bedrock-${tenantId}-`,
      alarmNames: tenantAlarmNames(`bedrock-${tenantId}-`),
      isOwn: t => t[TAG_TENANT] === tenantId,
    }))!;
    await resumeTenant(aws, target);
    const later = replica(knex, {
      now: DEC + 7_200_000,
      spend: 0,
      estimate: 160,
    });
    const [decision] = await later.enforcer.enforce([tenantFor(tenantId)]);
    expect(decision.decision).toBe('none');
    expect(decision.reason).toMatch(/never suspends twice/);
    expect((await awsState(tenantId)).policies).toEqual([]);
  });

  it('never resumes a tenant a person suspended by hand', async () => {
    const tenantId = 'hand-held';
    const aws = await provision(tenantId);
    const knex = await databaseWith('SQLITE_3', tenantId, {
      action: 'suspend',
      basis: 'actual',
      autoResume: true,
    });
    // the suspend action's path, by a person
    const target = (await readSuspensionTarget(aws, {
      roleName: `bedrock-tenant-${tenantId}`,
      alarmPrefix: `bedrock-${tenantId}-`,
      alarmNames: tenantAlarmNames(`bedrock-${tenantId}-`),
      isOwn: t => t[TAG_TENANT] === tenantId,
    }))!;
    await suspendTenant(aws, target, { by: 'user:default/jane' });
    for (const now of [NOV, DEC]) {
      const r = replica(knex, { now, spend: now === NOV ? 120 : 0 });
      const [d] = await r.enforcer.enforce([tenantFor(tenantId)]);
      expect(d).toMatchObject({
        decision: 'none',
        suspended: true,
        suspendedBy: 'user:default/jane',
        suspendedFor: 'person',
      });
      expect(r.audits).toEqual([]);
    }
    expect(await awsState(tenantId)).toMatchObject({
      suspendedBy: 'user:default/jane',
      policies: ['bedrock-tenancy-suspended'],
      actionsEnabled: [false, false],
    });
  });

  it('in dry-run mode decides and records, and changes nothing in AWS', async () => {
    const tenantId = 'dry-run';
    await provision(tenantId);
    const knex = await databaseWith('SQLITE_3', tenantId, {
      action: 'suspend',
      basis: 'actual',
      autoResume: false,
    });
    const r = replica(knex, { now: NOV, spend: 500, dryRun: true });
    calls.length = 0;
    const [d] = await r.enforcer.enforce([tenantFor(tenantId)]);
    expect(d.decision).toBe('suspend');
    expect(d.reason).toMatch(
      /^Dry run \(bedrock.enforcement.dryRun\), would suspend: /,
    );
    expect(calls.filter(c => c.mutating)).toEqual([]);
    expect((await awsState(tenantId)).policies).toEqual([]);
    // a tenant without the suite's role is reported, not touched
    const plan = await r.enforcer.plan([
      tenantFor(tenantId),
      tenantFor('never-made'),
    ]);
    expect(plan.tenants.map(t => [t.tenantId, t.decision])).toEqual([
      [tenantId, 'suspend'],
    ]);
    expect(plan.notOptedIn).toBe(1); // no binding, no opt-in
  });
  it("suspends and resumes tenant checkout's alarms by their exact names, never checkout-assistant's", async () => {
    // checkout's alarm prefix `bedrock-checkout-` also starts checkout-assistant's alarm names
    await provision('checkout-assistant');
    const aws = await provision('checkout');
    // an operator muted one of checkout-assistant's alarms: resuming checkout leaves it muted
    await setAlarmActions(
      aws,
      (
        await aws.cloudwatch.send(
          new DescribeAlarmsCommand({
            AlarmNames: ['bedrock-checkout-assistant-errors'],
          }),
        )
      ).MetricAlarms!,
      false,
    );
    const actionsEnabled = async () =>
      Object.fromEntries(
        (
          (
            await aws.cloudwatch.send(
              new DescribeAlarmsCommand({
                AlarmNamePrefix: 'bedrock-checkout-',
              }),
            )
          ).MetricAlarms ?? []
        ).map(a => [a.AlarmName, a.ActionsEnabled]),
      );
    const knex = await databaseWith('SQLITE_3', 'checkout', {
      action: 'suspend',
      basis: 'actual',
      autoResume: true,
    });

    calls.length = 0;
    const nov = replica(knex, { now: NOV, spend: 120 });
    const [suspended] = await nov.enforcer.enforce([tenantFor('checkout')]);
    expect(suspended.decision).toBe('suspend');
    // read by name: the tags of no alarm but checkout's two were read
    expect(
      calls.filter(
        c => c.service === 'cloudwatch' && c.command === 'ListTagsForResource',
      ),
    ).toHaveLength(2);
    expect(await actionsEnabled()).toEqual({
      'bedrock-checkout-tokens': false,
      'bedrock-checkout-errors': false,
      'bedrock-checkout-assistant-tokens': true,
      'bedrock-checkout-assistant-errors': false,
    });
    expect((await awsState('checkout')).suspendedAlarms).toBe('tokens errors');
    expect(nov.audits[0].meta).toMatchObject({ tenantId: 'checkout' });

    const dec = replica(knex, { now: DEC, spend: 0 });
    const [resumed] = await dec.enforcer.enforce([tenantFor('checkout')]);
    expect(resumed.decision).toBe('resume');
    expect(await actionsEnabled()).toEqual({
      'bedrock-checkout-tokens': true,
      'bedrock-checkout-errors': true,
      'bedrock-checkout-assistant-tokens': true,
      'bedrock-checkout-assistant-errors': false,
    });
    // checkout-assistant was never suspended
    expect(await awsState('checkout-assistant')).toMatchObject({
      suspendedBy: undefined,
      policies: [],
    });
  });

  it('a temporary increase resumes a tenant it suspended this month, which is suspended again at the raised limit, and at the usual one once the increase ended', async () => {
    const tenantId = 'raised';
    await provision(tenantId);
    const knex = await databaseWith('SQLITE_3', tenantId, {
      action: 'suspend',
      basis: 'actual',
      autoResume: false,
    });
    const t = tenantFor(tenantId);
    const run = async (o: { now: number; spend: number; limit?: number }) => {
      const r = replica(knex, o);
      const [d] = await r.enforcer.enforce([t]);
      return { d, sent: r.sent };
    };
    expect((await run({ now: NOV, spend: 100.01 })).d.decision).toBe('suspend');
    // an admin approves 50 USD more until the 25th: the budget's limit is now 150
    const increases = BudgetIncreaseStore.fromKnex(knex);
    await increases.insert({
      id: '00000000-0000-4000-8000-000000000001',
      tenantId,
      entityRef: t.entityRef,
      amountUsd: 50,
      endsOn: '2026-11-25',
      reason: 'launch',
      status: 'approved',
      requestedBy: 'user:default/alice',
      requestedAt: new Date(NOV).toISOString(),
      decidedBy: 'user:default/admin',
      decidedAt: new Date(NOV).toISOString(),
      decisionNote: null,
      limitBeforeUsd: 100,
      limitDuringUsd: 150,
      endedAt: null,
      endNote: null,
    });
    const resumed = await run({ now: NOV + 60_000, spend: 100.01, limit: 150 });
    expect(resumed.d.decision).toBe('resume');
    expect(await awsState(tenantId)).toMatchObject({
      suspendedBy: undefined,
      policies: [],
      actionsEnabled: [true, true],
    });
    expect(resumed.sent[0].payload.title).toBe(
      `${t.entityRef}: Bedrock tenant resumed, budget increased`,
    );
    // spending the increase too: suspended again, once
    expect(
      (await run({ now: NOV + 120_000, spend: 150, limit: 150 })).d.decision,
    ).toBe('suspend');
    expect((await awsState(tenantId)).suspendedBy).toBe('budget:2026-11');
    // a person resumes it; the increase ends; at the usual limit it is suspended once more
    const aws = await clients.forTarget(ACCOUNT, REGION);
    await resumeTenant(
      aws,
      (await readSuspensionTarget(aws, {
        roleName: `bedrock-tenant-${tenantId}`,
        alarmPrefix: `bedrock-${tenantId}-`,
        alarmNames: tenantAlarmNames(`bedrock-${tenantId}-`),
        isOwn: tags => tags[TAG_TENANT] === tenantId,
      }))!,
    );
    const inRound = await run({ now: NOV + 180_000, spend: 151, limit: 150 });
    expect(inRound.d.reason).toMatch(/never suspends twice/);
    await increases.transition(
      '00000000-0000-4000-8000-000000000001',
      'approved',
      {
        status: 'ended',
        endedAt: '2026-11-26T00:05:00.000Z',
      },
    );
    const after = Date.parse('2026-11-26T01:00:00Z');
    expect((await run({ now: after, spend: 151 })).d.decision).toBe('suspend');
    expect((await run({ now: after + 60_000, spend: 151 })).d.decision).toBe(
      'none',
    );
  });
});
