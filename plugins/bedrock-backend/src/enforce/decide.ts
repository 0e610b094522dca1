import type {
  BudgetEnforcement,
  BudgetIncrease,
  EnforcementInfo,
  EntitySummary,
} from '@bedrock-tenancy/plugin-bedrock-common';
import {
  budgetPeriodOf,
  type SuspensionRecord,
} from '@bedrock-tenancy/plugin-bedrock-node';
import type { Tenant } from '../tenant';

/** Who can resume a suspended tenant, in the words the tab shows. */
export const RESUMABLE_BY =
  "the tenant's owners or a Bedrock admin, with the Resume step of the bedrock-tenant-lifecycle template";

/** The first day (ISO date) of the period after `period` (`YYYY-MM`). */
export function nextPeriodStart(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

const usd = (v: number) => `USD ${v.toFixed(2)}`;
const pct = (f: number) => `${Math.round(f * 1000) / 10}%`;

/** What decide() needs to know about one opted-in tenant now. */
export interface EnforcementFacts {
  tenant: Tenant;
  setting: BudgetEnforcement;
  /** the current budget period, `YYYY-MM` */
  period: string;
  now: number;
  summary: Pick<EntitySummary, 'budget' | 'cost'>;
  /**
   * The role's suspension record: undefined when not suspended; `'no-role'` when the suite's
   * role of the tenant does not exist (or is not the suite's)
   */
  suspension: SuspensionRecord | undefined | 'no-role';
  /** enforcement already suspended the tenant in this period (the ledger says so) */
  enforcedThisPeriod: boolean;
  /** what the previous run recorded, to keep the date of a suspension */
  previous?: EnforcementInfo | null;
  /**
   * The tenant's temporary budget increase in effect (`approved`), or the one that ended this
   * period (`ended`); absent without one. Its raised limit is already the budget's limit.
   */
  increase?: BudgetIncrease | null;
}

/**
 * The ledger subject of an enforcement suspension in `period`. Each limit a period has is its own
 * round: enforcement suspends at most once per round, so a tenant someone resumed is not
 * suspended again at the same limit, but one given a temporary increase is at the raised limit,
 * and again at the old limit once the increase ended.
 */
export function enforcementRound(
  period: string,
  increase: BudgetIncrease | null | undefined,
): string {
  if (!increase) return `enforce:${period}`;
  return `enforce:${period}:${
    increase.status === 'approved' ? 'increase' : 'after'
  }:${increase.id}`;
}

/**
 * The decision for one tenant: pure, so the dry-run plan and the enforcing run are the same
 * logic. Never suspends twice in a period (a person may have resumed it since), never resumes
 * what a person suspended.
 */
export function decide(f: EnforcementFacts): EnforcementInfo {
  const { tenant, setting, period } = f;
  const budget =
    f.summary.budget.status === 'ok' ? f.summary.budget.data : null;
  const limitUsd = budget && budget.limitUsd > 0 ? budget.limitUsd : null;
  const estimate =
    f.summary.cost.status === 'ok' ? f.summary.cost.data.monthToDateUsd : null;
  const spendUsd =
    setting.basis === 'actual' ? budget?.actualSpendUsd ?? null : estimate;
  const usedFraction =
    limitUsd !== null && spendUsd !== null ? spendUsd / limitUsd : null;
  const base = {
    tenantId: tenant.tenantId,
    entityRef: tenant.entityRef,
    setting,
    period,
    usedFraction,
    spendUsd,
    limitUsd,
    checkedAt: new Date(f.now).toISOString(),
  };
  const basis =
    setting.basis === 'actual'
      ? 'actual spend (AWS Budgets)'
      : "the suite's estimate";
  const result = (
    decision: EnforcementInfo['decision'],
    reason: string,
    more: Partial<EnforcementInfo> = {},
  ): EnforcementInfo => ({
    ...base,
    suspended: false,
    suspendedBy: null,
    suspendedFor: null,
    suspendedOn: null,
    resumableBy: null,
    resumesOn: null,
    decision,
    reason,
    ...more,
  });

  if (f.suspension === 'no-role') {
    return result(
      'blocked',
      `No role bedrock-tenant-${tenant.tenantId} made by this suite in ${tenant.accountId}: only a tenant the suite provisioned can be suspended`,
    );
  }
  if (f.suspension) {
    const by = f.suspension.suspendedBy;
    const byBudget = budgetPeriodOf(by);
    const suspended = {
      suspended: true,
      suspendedBy: by,
      resumableBy: RESUMABLE_BY,
    };
    if (!byBudget) {
      return result(
        'none',
        `Suspended by hand (${
          by ?? 'no record of who'
        }): budget enforcement never resumes it`,
        { ...suspended, suspendedFor: 'person' },
      );
    }
    const suspendedOn =
      f.previous?.suspendedBy === by ? f.previous.suspendedOn : null;
    const budgetSuspended = {
      ...suspended,
      suspendedFor: 'budget' as const,
      suspendedOn: suspendedOn ?? null,
      resumesOn: setting.autoResume ? nextPeriodStart(byBudget) : null,
    };
    const raised = f.increase?.status === 'approved' ? f.increase : null;
    if (
      byBudget === period &&
      raised &&
      usedFraction !== null &&
      usedFraction < 1
    ) {
      return result(
        'resume',
        `A temporary budget increase of ${usd(raised.amountUsd)} until ${
          raised.endsOn
        } (approved by ${raised.decidedBy}) raised the limit to ${usd(
          limitUsd!,
        )}; ${pct(usedFraction)} used (${basis}): resume it`,
        budgetSuspended,
      );
    }
    if (byBudget < period && setting.autoResume) {
      return result(
        'resume',
        `Budget period ${period} has started and the tenant was suspended for ${byBudget}'s budget: resume it`,
        budgetSuspended,
      );
    }
    return result(
      'none',
      `Suspended: budget reached in ${byBudget}${
        setting.autoResume
          ? `; resumes automatically on ${nextPeriodStart(byBudget)}`
          : '; automatic resume is off'
      }`,
      budgetSuspended,
    );
  }
  if (limitUsd === null) {
    return result(
      'blocked',
      budget
        ? `Budget ${budget.name} has no limit`
        : `No budget figures for the tenant yet (${
            f.summary.budget.status === 'ok'
              ? 'it has no AWS Budget'
              : f.summary.budget.message
          })`,
    );
  }
  if (spendUsd === null) {
    return result(
      'blocked',
      `No ${basis} figure yet: the cost could not be computed`,
    );
  }
  if (usedFraction! < 1) {
    return result(
      'none',
      `${pct(usedFraction!)} of ${usd(
        limitUsd,
      )} used (${basis}): suspends at 100%`,
    );
  }
  if (f.enforcedThisPeriod) {
    return result(
      'none',
      `Past 100% (${usd(spendUsd)} of ${usd(
        limitUsd,
      )}), but enforcement already suspended it in ${period} and someone resumed it: it never suspends twice in a period`,
    );
  }
  return result(
    'suspend',
    `${usd(spendUsd)} of ${usd(limitUsd)} (${pct(
      usedFraction!,
    )}, ${basis}): the budget is reached`,
  );
}

/** The record of a tenant whose facts could not be read (AWS or the store failed): never acted on. */
export function unassessed(
  tenant: Tenant,
  setting: BudgetEnforcement,
  now: number,
  error: string,
  previous?: EnforcementInfo | null,
): EnforcementInfo {
  const reason = `Could not be checked now: ${error}`;
  const checkedAt = new Date(now).toISOString();
  // what was known stays shown (a suspended tenant stays shown suspended)
  if (previous)
    return { ...previous, setting, decision: 'blocked', reason, checkedAt };
  return {
    tenantId: tenant.tenantId,
    entityRef: tenant.entityRef,
    setting,
    period: new Date(now).toISOString().slice(0, 7),
    usedFraction: null,
    spendUsd: null,
    limitUsd: null,
    suspended: false,
    suspendedBy: null,
    suspendedFor: null,
    suspendedOn: null,
    resumableBy: null,
    resumesOn: null,
    decision: 'blocked',
    reason,
    checkedAt,
  };
}
