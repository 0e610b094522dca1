/*
 * Temporary budget increases (`/entity/:kind/:namespace/:name/budget-increases`,
 * `/budget-increases/:id/{approve,decline}`): a tenant's owner asks for more budget until a
 * date, a Bedrock admin approves or declines, and an approved increase reverts by itself after
 * its last day.
 */
import { z } from 'zod';

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD')
  .refine(
    d => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && isRealDay(d),
    'not a calendar date',
  );

function isRealDay(d: string) {
  return new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;
}

/**
 * Body of POST `/entity/:kind/:namespace/:name/budget-increases`: the amount added to the
 * tenant's monthly budget, the last day (UTC) it applies, and why.
 *
 * @public
 */
export const budgetIncreaseRequestSchema = z
  .object({
    amountUsd: z
      .number()
      .positive('a positive amount')
      .max(1_000_000_000)
      .refine(
        v => Math.abs(Math.round(v * 100) - v * 100) < 1e-6,
        'whole cents',
      ),
    endsOn: isoDay,
    reason: z.string().trim().min(1, 'say why').max(500),
  })
  .strict();
/** @public */
export type BudgetIncreaseRequest = z.infer<typeof budgetIncreaseRequestSchema>;

/**
 * Body of POST `/budget-increases/:id/approve` and `/decline`: an optional note to the requester.
 *
 * @public
 */
export const budgetIncreaseDecisionSchema = z
  .object({ note: z.string().trim().max(500).optional() })
  .strict();
/** @public */
export type BudgetIncreaseDecision = z.infer<
  typeof budgetIncreaseDecisionSchema
>;

/**
 * Where a request stands: waiting for an admin, approved (the budget is raised until `endsOn`),
 * declined, ended (an approved increase past its last day, reverted), or lapsed (its last day
 * passed before anyone decided).
 *
 * @public
 */
export type BudgetIncreaseStatus =
  | 'pending'
  | 'approved'
  | 'declined'
  | 'ended'
  | 'lapsed';

/**
 * One request for a temporary budget increase, with each step's who and when.
 *
 * @public
 */
export interface BudgetIncrease {
  id: string;
  tenantId: string;
  entityRef: string;
  amountUsd: number;
  /** the last day (UTC, inclusive) the increase applies; it reverts the day after */
  endsOn: string;
  reason: string;
  status: BudgetIncreaseStatus;
  /** user entity ref of the member who asked */
  requestedBy: string;
  requestedAt: string;
  /** the admin who approved or declined */
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  /** the budget's limit before and while the increase applied (set on approval) */
  limitBeforeUsd: number | null;
  limitDuringUsd: number | null;
  /** when it ended or lapsed, and what the revert did, in words */
  endedAt: string | null;
  endNote: string | null;
}

/**
 * Answer of GET `/entity/:kind/:namespace/:name/budget-increases`: the tenant's requests, newest
 * first, and what the caller may do.
 *
 * @public
 */
export interface BudgetIncreaseList {
  increases: BudgetIncrease[];
  /** the caller may ask (the tenant's owners and Bedrock admins) */
  canRequest: boolean;
  /** the caller may approve or decline (Bedrock admins) */
  canDecide: boolean;
  /** the largest amount and the furthest last day a request may have now */
  limits: { maxAmountUsd: number; latestEndsOn: string };
}
