/**
 * The increase workflow's edges, with AWS Budgets answered by hand: what an approval writes, what
 * happens when AWS fails half way, when two decide at once, and what an end leaves behind.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  DescribeBudgetCommand,
  UpdateBudgetCommand,
} from '@aws-sdk/client-budgets';
import type { BudgetIncrease } from '@bedrock-tenancy/plugin-bedrock-common';
import type { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { testTenant } from '../__testUtils__/tenants';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { BudgetIncreaseService } from './BudgetIncreaseService';
import { BudgetIncreaseStore } from './BudgetIncreaseStore';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const DAY = 86_400_000;
const tenant = testTenant({ tenantId: 'docs' });
const ALICE = { person: 'user:default/alice' };
const ADMIN = { person: 'user:default/admin' };
const body = { amountUsd: 20.25, endsOn: '2026-11-22', reason: 'launch' };

describe('BudgetIncreaseService', () => {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3', 'POSTGRES_15'],
  });

  async function setup(id: any) {
    const knex = await databases.init(id);
    await DatabaseUsageStore.migrate(knex);
    const store = BudgetIncreaseStore.fromKnex(knex);
    let limit: number | undefined = 100;
    const updates: number[] = [];
    let failUpdate = false;
    /** what else fails: AWS reads, the tenant's binding, the re-collection, the notices */
    const faults = {
      read: false,
      unbound: false,
      refresh: false,
      notices: false,
    };
    const send = jest.fn(async (command: any) => {
      if (command instanceof DescribeBudgetCommand) {
        if (faults.read) throw new Error('ECONNREFUSED budgets');
        if (limit === undefined)
          throw Object.assign(new Error('gone'), { name: 'NotFoundException' });
        return {
          Budget: {
            BudgetName: tenant.budgetName,
            BudgetLimit: { Amount: String(limit), Unit: 'USD' },
            TimeUnit: 'MONTHLY',
            BudgetType: 'COST',
            CalculatedSpend: { ActualSpend: { Amount: '90', Unit: 'USD' } },
          },
        };
      }
      if (command instanceof UpdateBudgetCommand) {
        if (failUpdate) throw new Error('ThrottlingException: slow down');
        // AWS replaces the whole budget: what AWS computes must not be sent back
        const budget = command.input.NewBudget!;
        expect(budget.CalculatedSpend).toBeUndefined();
        expect(budget.TimeUnit).toBe('MONTHLY');
        limit = Number(budget.BudgetLimit?.Amount);
        updates.push(limit);
        return {};
      }
      throw new Error(`unexpected ${command.constructor.name}`);
    });
    const clients = {
      forTarget: async () => ({ budgets: { send } }),
    } as unknown as AwsClientFactory;
    const clock = { now: NOW };
    const logger = mockServices.logger.mock();
    const refreshed: string[] = [];
    const sent: any[] = [];
    const changed: string[] = [];
    const audits: Array<{ event: any; outcome?: any }> = [];
    const service = BudgetIncreaseService.create({
      store,
      clients,
      settings: {
        maxAmountUsd: 100,
        maxDays: 10,
        adminRecipients: ['group:default/platform'],
      },
      notifications: {
        send: async (n: any) => {
          if (faults.notices) throw new Error('notifications backend down');
          sent.push(n);
        },
      } as any,
      auditor: {
        createEvent: async (event: any) => {
          const record: { event: any; outcome?: any } = { event };
          audits.push(record);
          return {
            success: async (o: any) => {
              record.outcome = { success: o?.meta };
            },
            fail: async (o: any) => {
              record.outcome = { fail: o.error.message };
            },
          };
        },
      } as any,
      onChanged: async ref => {
        changed.push(ref);
      },
      tenantOf: async id_ =>
        id_ === tenant.tenantId && !faults.unbound ? tenant : undefined,
      refresh: async t => {
        if (faults.refresh) throw new Error('CloudWatch throttled');
        refreshed.push(t.tenantId);
      },
      logger,
      now: () => clock.now,
    });
    return {
      knex,
      faults,
      logger,
      sent,
      changed,
      audits,
      store,
      service,
      clock,
      updates,
      refreshed,
      setLimit: (v: number | undefined) => {
        limit = v;
      },
      failUpdates: (v: boolean) => {
        failUpdate = v;
      },
    };
  }

  it.each(databases.eachSupportedId())(
    'raises the limit by the amount to the cent on approval and puts it back the day after the last day, on %p',
    async id => {
      const t = await setup(id);
      const asked = await t.service.request(tenant, body, ALICE);
      expect(t.updates).toEqual([]);
      const approved = await t.service.approve(asked.id, ADMIN, 'ok');
      expect(approved).toMatchObject({
        status: 'approved',
        limitBeforeUsd: 100,
        limitDuringUsd: 120.25,
        decidedBy: ADMIN.person,
      });
      expect(t.updates).toEqual([120.25]);
      expect(t.refreshed).toEqual(['docs']);
      // the last day is still in effect; the day after, it ends
      t.clock.now = Date.parse('2026-11-22T23:59:00Z');
      expect(await t.service.sweep()).toEqual([]);
      t.clock.now = Date.parse('2026-11-23T00:01:00Z');
      const [ended] = await t.service.sweep();
      expect(ended).toMatchObject({
        status: 'ended',
        endNote: 'The limit is back to USD 100.00 (from USD 120.25)',
      });
      expect(t.updates).toEqual([120.25, 100]);
      expect(await t.service.sweep()).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps a request pending, and nothing raised, when AWS cannot be written, on %p',
    async id => {
      const t = await setup(id);
      const asked = await t.service.request(tenant, body, ALICE);
      t.failUpdates(true);
      await expect(t.service.approve(asked.id, ADMIN)).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringContaining('ThrottlingException'),
      });
      expect(await t.store.get(asked.id)).toMatchObject({
        status: 'pending',
        decidedBy: null,
        limitDuringUsd: null,
      });
      t.failUpdates(false);
      expect((await t.service.approve(asked.id, ADMIN)).status).toBe(
        'approved',
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'lets one of two concurrent decisions win, and records one open request per tenant even when two arrive at once, on %p',
    async id => {
      const t = await setup(id);
      const both = await Promise.allSettled([
        t.service.request(tenant, body, ALICE),
        t.service.request(tenant, { ...body, amountUsd: 5 }, ALICE),
      ]);
      expect(both.map(r => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const [open] = await t.store.list('docs', 5);
      const decisions = await Promise.allSettled([
        t.service.approve(open.id, ADMIN),
        t.service.decline(open.id, { person: 'user:default/other-admin' }),
      ]);
      expect(decisions.filter(r => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = decisions.find(r => r.status === 'rejected') as any;
      expect(rejected.reason.name).toBe('ConflictError');
      // either request may have been recorded first; at most one raise
      // happened, by the recorded request's amount, and it matches the outcome
      expect([20.25, 5]).toContain(open.amountUsd);
      const final = await t.store.get(open.id);
      expect(t.updates).toEqual(
        final!.status === 'approved' ? [100 + open.amountUsd] : [],
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'checks a request against the day, the limits and the budget before recording it, on %p',
    async id => {
      const t = await setup(id);
      const refused = async (b: typeof body) =>
        (await t.service.request(tenant, b, ALICE).catch(e => e)).message;
      expect(await refused({ ...body, endsOn: '2026-11-19' })).toContain(
        'has passed',
      );
      expect(await refused({ ...body, endsOn: '2026-12-01' })).toContain(
        'until 2026-11-30',
      );
      expect(await refused({ ...body, amountUsd: 100.01 })).toContain(
        'USD 100.00',
      );
      t.setLimit(undefined);
      expect(await refused(body)).toContain('has no AWS Budget');
      t.setLimit(0);
      expect(await refused(body)).toContain('has no AWS Budget');
      expect(await t.store.list('docs', 5)).toEqual([]);
      // today is a valid last day; the largest amount too
      t.setLimit(100);
      expect(
        (
          await t.service.request(
            tenant,
            { ...body, endsOn: '2026-11-20', amountUsd: 100 },
            ALICE,
          )
        ).status,
      ).toBe('pending');
    },
  );

  it.each(databases.eachSupportedId())(
    'ends an increase whose budget is gone without touching AWS, and lapses an undecided one, on %p',
    async id => {
      const t = await setup(id);
      const a = await t.service.request(tenant, body, ALICE);
      await t.service.approve(a.id, ADMIN);
      t.setLimit(undefined);
      t.clock.now += 3 * DAY;
      const [ended] = await t.service.sweep();
      expect(ended.endNote).toBe(
        'The tenant has no AWS Budget any more: nothing to revert',
      );
      t.setLimit(100);
      t.clock.now = NOW;
      const b = await t.service.request(tenant, body, ALICE);
      t.clock.now += 3 * DAY;
      const [lapsed] = await t.service.sweep();
      expect(lapsed).toMatchObject({ id: b.id, status: 'lapsed' });
      expect(t.updates).toEqual([120.25]);
      // an approval after the last day is refused
      await expect(t.service.approve(b.id, ADMIN)).rejects.toMatchObject({
        name: 'ConflictError',
      });
    },
  );

  it('tells each step to the people it concerns, and audits it with the person', async () => {
    const t = await setup('SQLITE_3');
    const link = '/catalog/default/component/docs/bedrock';
    const a = await t.service.request(tenant, body, ALICE);
    await t.service.approve(a.id, ADMIN, 'go');
    t.clock.now += 3 * DAY;
    await t.service.sweep();
    t.clock.now = NOW;
    const b = await t.service.request(tenant, body, ALICE);
    await t.service.decline(b.id, ADMIN);
    const c = await t.service.request(tenant, body, ALICE);
    t.clock.now += 3 * DAY;
    await t.service.sweep();
    expect(
      t.sent.map(n => [
        n.recipients.entityRef,
        n.payload.title,
        n.payload.description,
        n.payload.severity,
      ]),
    ).toEqual([
      [
        ['group:default/platform'],
        `${tenant.entityRef}: budget increase requested`,
        'user:default/alice asks for USD 20.25 more Bedrock budget until 2026-11-22: "launch". Approve or decline it on the tenant\'s Bedrock tab.',
        'normal',
      ],
      [
        [tenant.entityRef, ALICE.person],
        `${tenant.entityRef}: budget increase approved`,
        'user:default/admin approved USD 20.25 more until 2026-11-22: the budget is USD 120.25 (was USD 100.00) and goes back after 2026-11-22. Note: go',
        'normal',
      ],
      [
        [tenant.entityRef],
        `${tenant.entityRef}: temporary budget increase ended`,
        'The increase of USD 20.25 ended after 2026-11-22. The limit is back to USD 100.00 (from USD 120.25).',
        'normal',
      ],
      [
        ['group:default/platform'],
        `${tenant.entityRef}: budget increase requested`,
        expect.any(String),
        'normal',
      ],
      [
        [tenant.entityRef, ALICE.person],
        `${tenant.entityRef}: budget increase declined`,
        'user:default/admin declined USD 20.25 more until 2026-11-22.',
        'normal',
      ],
      [
        ['group:default/platform'],
        `${tenant.entityRef}: budget increase requested`,
        expect.any(String),
        'normal',
      ],
      [
        [ALICE.person],
        `${tenant.entityRef}: budget increase request lapsed`,
        'Its last day, 2026-11-22, passed before a Bedrock admin decided',
        'low',
      ],
    ]);
    // every notice links to the tab and is filed under the tenant's topic
    expect(
      new Set(t.sent.map(n => `${n.payload.link} | ${n.payload.topic}`)),
    ).toEqual(new Set([`${link} | Bedrock: ${tenant.entityRef}`]));
    expect(
      t.audits.map(r => [
        r.event.eventId,
        r.event.severityLevel,
        r.event.meta.step,
        r.event.meta.actor,
        r.event.meta.tenantId,
        r.outcome.success?.status,
      ]),
    ).toEqual([
      ['budget-increase', 'medium', 'request', ALICE.person, 'docs', 'pending'],
      ['budget-increase', 'high', 'approve', ADMIN.person, 'docs', 'approved'],
      ['budget-increase', 'high', 'end', 'system', 'docs', 'ended'],
      ['budget-increase', 'medium', 'request', ALICE.person, 'docs', 'pending'],
      [
        'budget-increase',
        'medium',
        'decline',
        ADMIN.person,
        'docs',
        'declined',
      ],
      ['budget-increase', 'medium', 'request', ALICE.person, 'docs', 'pending'],
      ['budget-increase', 'medium', 'lapse', 'system', 'docs', 'lapsed'],
    ]);
    expect(t.audits[1].outcome.success).toEqual({
      increaseId: a.id,
      status: 'approved',
      amountUsd: 20.25,
      endsOn: '2026-11-22',
      limitBeforeUsd: 100,
      limitDuringUsd: 120.25,
      endNote: null,
    });
    expect(t.audits[1].event.meta.increaseId).toBe(a.id);
    expect(t.audits[6].event.meta.increaseId).toBe(c.id);
    // a refused step is audited as failed
    await expect(t.service.decline(a.id, ADMIN)).rejects.toThrow(
      'is ended (by user:default/admin), not pending',
    );
    expect(t.audits[7].outcome).toEqual({
      fail: expect.stringContaining('not pending'),
    });
    // open pages are told of every change
    expect(t.changed.length).toBeGreaterThanOrEqual(6);
    expect(new Set(t.changed)).toEqual(new Set([tenant.entityRef]));
  });

  it('approves on the last day, not after it even before the sweep; keeps no note when none is given; refuses a tenant no longer bound', async () => {
    const t = await setup('SQLITE_3');
    const a = await t.service.request(tenant, body, ALICE);
    t.clock.now = Date.parse('2026-11-22T23:00:00Z');
    expect(await t.service.approve(a.id, ADMIN)).toMatchObject({
      status: 'approved',
      decisionNote: null,
    });
    t.clock.now = Date.parse('2026-11-23T01:00:00Z');
    await t.service.sweep();
    t.clock.now = NOW;
    const b = await t.service.request(tenant, body, ALICE);
    t.clock.now = Date.parse('2026-11-23T00:30:00Z');
    await expect(t.service.approve(b.id, ADMIN)).rejects.toThrow(
      'ended on 2026-11-22, before it was decided',
    );
    expect((await t.store.get(b.id))!.status).toBe('pending');
    t.clock.now = NOW;
    await t.service.decline(b.id, ADMIN);
    const moved = { ...tenant, entityRef: 'component:default/elsewhere' };
    const c = await t.service.request(moved, body, ALICE);
    await expect(t.service.approve(c.id, ADMIN)).rejects.toThrow(
      'is no longer bound to component:default/elsewhere',
    );
    expect(t.updates).toEqual([120.25, 100]);
  });

  it('leaves the budget alone when an approval never raised it', async () => {
    const t = await setup('SQLITE_3');
    const a = await t.service.request(tenant, body, ALICE);
    // the process stopped between the decision and the write to AWS
    await t.store.transition(a.id, 'pending', { status: 'approved' });
    t.clock.now += 3 * DAY;
    const [ended] = await t.service.sweep();
    expect(ended.endNote).toBe(
      'Its approval never raised the limit: the budget was left as it is',
    );
    expect(t.updates).toEqual([]);
  });

  it('degrades without losing a step: AWS down, a re-collection or a notice failing, a tenant unbound', async () => {
    const t = await setup('SQLITE_3');
    // AWS cannot be read: the request is refused with 503, nothing recorded
    t.faults.read = true;
    await expect(t.service.request(tenant, body, ALICE)).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining('ECONNREFUSED budgets'),
    });
    expect(await t.store.list('docs', 5)).toEqual([]);
    t.faults.read = false;
    // a notice or the re-collection failing does not undo an approval
    t.faults.notices = true;
    t.faults.refresh = true;
    const a = await t.service.request(tenant, body, ALICE);
    expect((await t.service.approve(a.id, ADMIN)).status).toBe('approved');
    expect(t.updates).toEqual([120.25]);
    expect(t.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('the next collection catches up'),
      expect.objectContaining({ error: 'Error: CloudWatch throttled' }),
    );
    expect(t.logger.warn).toHaveBeenCalledWith(
      'Bedrock budget increase notification failed',
      expect.objectContaining({ increaseId: a.id }),
    );
    t.faults.notices = false;
    t.faults.refresh = false;
    // the end fails while AWS is down, stays in force, and ends on the next run
    t.clock.now += 3 * DAY;
    t.faults.read = true;
    expect(await t.service.sweep()).toEqual([]);
    expect((await t.store.get(a.id))!.status).toBe('approved');
    expect(t.logger.warn).toHaveBeenCalledWith(
      'Could not end a Bedrock budget increase',
      expect.objectContaining({ increaseId: a.id, tenantId: 'docs' }),
    );
    t.faults.read = false;
    const [ended] = await t.service.sweep();
    expect(ended.status).toBe('ended');
    expect(t.updates).toEqual([120.25, 100]);
    // a tenant no longer bound when its increase ends: its budget is left alone
    t.clock.now = NOW;
    const b = await t.service.request(tenant, body, ALICE);
    await t.service.approve(b.id, ADMIN);
    t.faults.unbound = true;
    t.clock.now += 3 * DAY;
    const [unbound] = await t.service.sweep();
    expect(unbound.endNote).toBe(
      'The tenant is no longer bound: its budget was left as it is',
    );
    expect(t.updates).toEqual([120.25, 100, 120.25]);
  });

  it('says what is open when asked again, accepts the furthest last day, and records who carried the call', async () => {
    const t = await setup('SQLITE_3');
    const a = await t.service.request(
      tenant,
      { ...body, endsOn: '2026-11-30' },
      { ...ALICE, via: 'plugin:mcp-actions' },
    );
    expect(a.endsOn).toBe('2026-11-30');
    expect(t.audits[0].event.meta.via).toBe('plugin:mcp-actions');
    await expect(t.service.request(tenant, body, ALICE)).rejects.toThrow(
      'Tenant docs already has a budget increase pending (USD 20.25 until 2026-11-30): it must be decided or end first',
    );
    await t.service.approve(a.id, ADMIN);
    await expect(t.service.request(tenant, body, ALICE)).rejects.toThrow(
      'already has a budget increase approved',
    );
    const declinedNoNote = await t.service.request(
      { ...tenant, tenantId: 'other' },
      body,
      ALICE,
    );
    expect(
      (await t.service.decline(declinedNoNote.id, ADMIN)).decisionNote,
    ).toBeNull();
    expect(t.audits.every(r => r.event.meta.via !== undefined)).toBe(true);
    expect(t.audits[1].event.meta.via).toBeNull();
  });

  it('runs the end as one global task every 15 minutes', async () => {
    const t = await setup('SQLITE_3');
    const tasks: any[] = [];
    await t.service.schedule({
      scheduleTask: async (task: any) => {
        tasks.push(task);
      },
    } as any);
    expect(tasks).toEqual([
      expect.objectContaining({
        id: 'bedrock-budget-increases',
        frequency: { minutes: 15 },
        scope: 'global',
      }),
    ]);
    const a = await t.service.request(tenant, body, ALICE);
    t.clock.now += 3 * DAY;
    await tasks[0].fn();
    expect((await t.store.get(a.id))!.status).toBe('lapsed');
  });

  it('reads back what it wrote, to the cent', async () => {
    const t = await setup('SQLITE_3');
    const asked: BudgetIncrease = await t.service.request(
      tenant,
      { ...body, amountUsd: 0.1 + 0.2 },
      ALICE,
    );
    expect((await t.store.get(asked.id))!.amountUsd).toBe(0.3);
  });
});
