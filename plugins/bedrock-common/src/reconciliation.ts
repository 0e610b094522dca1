/*
 * Estimate vs bill: a tenant's estimated cost compared with what AWS billed it (Cost Explorer),
 * per calendar month, over the days the bill is complete for. Amounts are USD; dates UTC days.
 */

/**
 * Where a tenant's billed figure comes from, by attribution mode:
 * - `cost-allocation-tag`: inference-profile tenants, the suite's tenant tag on their profiles
 *   (a cost allocation tag once activated; up to 24 h late, not retroactive)
 * - `iam-principal-tag`: identity tenants, the tenant tag on their IAM principals as
 *   `iamPrincipal/<key>` (IAM-principal cost allocation; 24-48 h late)
 * - `linked-account`: account tenants, the account's whole Bedrock bill (up to 24 h late)
 *
 * @public
 */
export type BillingSource =
  | 'cost-allocation-tag'
  | 'iam-principal-tag'
  | 'linked-account';

/**
 * One tenant's estimate against its bill for one month, over the same days.
 *
 * @public
 */
export interface BillingReconciliation {
  /** `YYYY-MM` */
  month: string;
  source: BillingSource;
  /** hours the billed figures lag usage at most: 24 (tags, accounts) or 48 (IAM principals) */
  lagHours: number;
  /**
   * the last day of the month compared: the bill was complete through it when fetched; null when
   * no day of the month was complete yet (nothing compared, all figures 0)
   */
  comparedThrough: string | null;
  /** true when every day of the month is compared */
  monthComplete: boolean;
  /** billed cost of the compared days (Cost Explorer, unblended) */
  billedUsd: number;
  /** estimated cost of the same days (priced traffic only; see `estimateComplete`) */
  estimatedUsd: number;
  /** billedUsd − estimatedUsd: positive when the bill is higher than the estimate */
  varianceUsd: number;
  /** varianceUsd as a percentage of billedUsd; null when billedUsd is 0 */
  variancePercent: number | null;
  /** false when some of the compared traffic is unpriced (the estimate then counts only its priced part) */
  estimateComplete: boolean;
  /** when the billed figures were fetched */
  asOf: string;
  /** the lag stated for people, e.g. "billed figures lag 24-48 h; last complete day 2026-11-18" */
  lagNote: string;
}
