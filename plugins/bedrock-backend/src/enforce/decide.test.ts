import type {
  BudgetIncrease,
  EntitySummary,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { testTenant } from '../__testUtils__/tenants';
import {
  decide,
  enforcementRound,
  EnforcementFacts,
  nextPeriodStart,
} from './decide';

const tenant = testTenant({ tenantId: 'docs' });
const summary = (actual: number | null, limit = 100, estimate = 0) =>
  ({
    budget:
      actual === null
        ? { status: 'ok', data: null }
        : {
            status: 'ok',
            data: { name: 'b', limitUsd: limit, actualSpendUsd: actual },
          },
    cost: { status: 'ok', data: { monthToDateUsd: estimate } },
  } as unknown as EntitySummary);

const facts = (over: Partial<EnforcementFacts>): EnforcementFacts => ({
  tenant,
  setting: { action: 'suspend', basis: 'actual', autoResume: false },
  period: '2026-11',
  now: Date.parse('2026-11-20T12:00:00Z'),
  summary: summary(50),
  suspension: undefined,
  enforcedThisPeriod: false,
  ...over,
});

describe('decide', () => {
  it.each<[string, Partial<EnforcementFacts>, string, RegExp]>([
    ['below 100%', {}, 'none', /^50% of USD 100.00 used/],
    [
      'at exactly 100%',
      { summary: summary(100) },
      'suspend',
      /budget is reached/,
    ],
    [
      'past 100%, already enforced this period',
      { summary: summary(150), enforcedThisPeriod: true },
      'none',
      /never suspends twice/,
    ],
    [
      'the estimate past 100% while the budget lags',
      {
        summary: summary(10, 100, 120),
        setting: { action: 'suspend', basis: 'estimate', autoResume: false },
      },
      'suspend',
      /the suite's estimate/,
    ],
    ['no budget', { summary: summary(null) }, 'blocked', /no AWS Budget/],
    [
      'no role',
      { suspension: 'no-role' },
      'blocked',
      /only a tenant the suite provisioned/,
    ],
    [
      'suspended by a person, even a month later with auto-resume',
      {
        period: '2026-12',
        suspension: { alarmKinds: [], suspendedBy: 'user:default/jane' },
        setting: { action: 'suspend', basis: 'actual', autoResume: true },
      },
      'none',
      /by hand \(user:default\/jane\)/,
    ],
    [
      'suspended with no record of who',
      { suspension: { alarmKinds: [], suspendedBy: null } },
      'none',
      /by hand/,
    ],
    [
      "suspended by this period's budget",
      { suspension: { alarmKinds: [], suspendedBy: 'budget:2026-11' } },
      'none',
      /automatic resume is off/,
    ],
    [
      "suspended by last period's budget, auto-resume on",
      {
        period: '2026-12',
        suspension: { alarmKinds: [], suspendedBy: 'budget:2026-11' },
        setting: { action: 'suspend', basis: 'actual', autoResume: true },
      },
      'resume',
      /2026-12 has started/,
    ],
    [
      "suspended by last period's budget, auto-resume off",
      {
        period: '2026-12',
        suspension: { alarmKinds: [], suspendedBy: 'budget:2026-11' },
      },
      'none',
      /automatic resume is off/,
    ],
  ])('%s', (_what, over, decision, reason) => {
    const d = decide(facts(over));
    expect(d.decision).toBe(decision);
    expect(d.reason).toMatch(reason);
  });

  it('says who can resume a budget suspension and when it resumes by itself', () => {
    const d = decide(
      facts({
        suspension: { alarmKinds: ['tokens'], suspendedBy: 'budget:2026-11' },
        setting: { action: 'suspend', basis: 'actual', autoResume: true },
        previous: {
          suspendedBy: 'budget:2026-11',
          suspendedOn: '2026-11-18',
        } as any,
      }),
    );
    expect(d).toMatchObject({
      suspended: true,
      suspendedFor: 'budget',
      suspendedOn: '2026-11-18',
      resumesOn: '2026-12-01',
      resumableBy: expect.stringContaining('Bedrock admin'),
    });
  });

  it('knows the first day of the next period, across a year', () => {
    expect(nextPeriodStart('2026-11')).toBe('2026-12-01');
    expect(nextPeriodStart('2026-12')).toBe('2027-01-01');
  });

  describe('with a temporary budget increase', () => {
    const increase = (status: 'approved' | 'ended'): BudgetIncrease => ({
      id: 'inc-1',
      tenantId: 'docs',
      entityRef: tenant.entityRef,
      amountUsd: 50,
      endsOn: '2026-11-25',
      reason: 'launch',
      status,
      requestedBy: 'user:default/alice',
      requestedAt: '2026-11-19T10:00:00Z',
      decidedBy: 'user:default/admin',
      decidedAt: '2026-11-19T11:00:00Z',
      decisionNote: null,
      limitBeforeUsd: 100,
      limitDuringUsd: 150,
      endedAt: status === 'ended' ? '2026-11-26T00:10:00Z' : null,
      endNote: null,
    });
    const budgetSuspended = {
      suspension: { alarmKinds: [], suspendedBy: 'budget:2026-11' },
    };

    it('resumes a tenant it suspended this period once the raised limit is above the spend', () => {
      const d = decide(
        facts({
          ...budgetSuspended,
          summary: summary(120, 150),
          increase: increase('approved'),
        }),
      );
      expect(d.decision).toBe('resume');
      expect(d.reason).toBe(
        'A temporary budget increase of USD 50.00 until 2026-11-25 (approved by user:default/admin) raised the limit to USD 150.00; 80% used (actual spend (AWS Budgets)): resume it',
      );
    });

    it.each<[string, Partial<EnforcementFacts>]>([
      [
        'the raised limit is still reached',
        { summary: summary(150, 150), increase: increase('approved') },
      ],
      [
        'the increase ended',
        { summary: summary(120, 150), increase: increase('ended') },
      ],
      [
        'a person suspended it',
        {
          suspension: { alarmKinds: [], suspendedBy: 'user:default/jane' },
          summary: summary(120, 150),
          increase: increase('approved'),
        },
      ],
      ['no increase', { summary: summary(120, 150) }],
    ])('keeps it suspended when %s', (_what, over) => {
      expect(decide(facts({ ...budgetSuspended, ...over })).decision).toBe(
        'none',
      );
    });

    it('suspends once per limit of a period: the usual one, the raised one, and the usual one after', () => {
      expect(enforcementRound('2026-11', undefined)).toBe('enforce:2026-11');
      expect(enforcementRound('2026-11', increase('approved'))).toBe(
        'enforce:2026-11:increase:inc-1',
      );
      expect(enforcementRound('2026-11', increase('ended'))).toBe(
        'enforce:2026-11:after:inc-1',
      );
    });
  });
});
