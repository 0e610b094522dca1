import { z } from 'zod';

/**
 * A tenant's opt-in to budget enforcement: suspend the tenant when its spend reaches 100% of its
 * monthly budget. `basis: 'actual'` reads the actual spend its AWS Budget reports; `'estimate'`
 * the suite's own estimate from CloudWatch token counts (sooner, but an estimate). With
 * `autoResume`, a tenant that enforcement suspended is resumed when the next budget period (the
 * next calendar month, UTC) starts; a tenant a person suspended never is.
 *
 * @public
 */
export const budgetEnforcementSchema = z
  .object({
    action: z.literal('suspend'),
    basis: z.enum(['actual', 'estimate']).default('actual'),
    autoResume: z.boolean().default(false),
  })
  .strict();
/** @public */
export type BudgetEnforcement = z.output<typeof budgetEnforcementSchema>;

/**
 * What enforcement decides for a tenant now (the plan of a dry run, or what a run did).
 *
 * @public
 */
export type EnforcementDecision = 'suspend' | 'resume' | 'none' | 'blocked';

/**
 * A tenant's budget enforcement as the tab and the dry-run plan show it.
 *
 * @public
 */
export interface EnforcementInfo {
  tenantId: string;
  entityRef: string;
  setting: BudgetEnforcement;
  /** the budget period, `YYYY-MM` */
  period: string;
  /** spend / limit on the chosen basis; null without a budget or figure */
  usedFraction: number | null;
  spendUsd: number | null;
  limitUsd: number | null;
  /** suspended now (the role's record), and by whom: `budget:<period>` or a person's entity ref */
  suspended: boolean;
  suspendedBy: string | null;
  /** `budget` when enforcement suspended the tenant, `person` when someone did by hand */
  suspendedFor: 'budget' | 'person' | null;
  /** ISO date (YYYY-MM-DD) enforcement suspended the tenant; null otherwise */
  suspendedOn: string | null;
  /** who can resume the tenant, in words */
  resumableBy: string | null;
  /** ISO date of the automatic resume; null without autoResume or when not budget-suspended */
  resumesOn: string | null;
  decision: EnforcementDecision;
  /** why: one sentence */
  reason: string;
  /** when this was decided, ISO */
  checkedAt: string;
}

/**
 * Answer of GET /enforcement/plan: what enforcement would do for each opted-in tenant now.
 *
 * @public
 */
export interface EnforcementPlan {
  dryRun: boolean;
  enabled: boolean;
  generatedAt: string;
  /** the opted-in tenants, each with its decision */
  tenants: EnforcementInfo[];
  /** how many bound tenants did not opt in: enforcement never touches them */
  notOptedIn?: number;
}

/**
 * Tag on the tenant's IAM role recording its opt-in (written by the create/update actions beside
 * the binding, so a binding rebuilt from AWS tags keeps it). Values: `suspend actual`,
 * `suspend estimate`, each optionally followed by ` auto-resume`.
 *
 * @public
 */
export const TAG_BUDGET_ENFORCEMENT = 'bedrock-tenancy:budget-enforcement';

/**
 * The role tag value of an opt-in.
 *
 * @public
 */
export function budgetEnforcementTag(e: BudgetEnforcement): string {
  return [e.action, e.basis, ...(e.autoResume ? ['auto-resume'] : [])].join(
    ' ',
  );
}

/**
 * The opt-in a role tag value records; null for a value this suite does not write.
 *
 * @public
 */
export function parseBudgetEnforcementTag(
  value: string | undefined,
): BudgetEnforcement | null {
  const m = /^suspend (actual|estimate)( auto-resume)?$/.exec(value ?? '');
  return m
    ? {
        action: 'suspend',
        basis: m[1] as 'actual' | 'estimate',
        autoResume: Boolean(m[2]),
      }
    : null;
}
