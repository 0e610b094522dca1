/* The cost panel's shapes in the summary API. Amounts are USD; dates are UTC days. */
import type { BillingReconciliation } from './reconciliation';

/** @public */
export interface DailyCost {
  date: string; // YYYY-MM-DD
  estimatedUsd: number;
  billedUsd: number | null;
}

/** @public */
export interface CostAnomaly {
  date: string;
  amountUsd: number;
  baselineUsd: number;
  /** how many standard deviations above the trailing 14-day mean */
  score: number;
}

/** @public */
export interface CostBlock {
  currency: 'USD';
  /** estimated cost of the selected range (priced models only) */
  rangeEstimatedUsd: number;
  monthToDateUsd: number;
  /** from the trailing 7-day daily run rate */
  projectedMonthEndUsd: number;
  dailyRunRateUsd: number;
  unpricedModels: string[];
  daily: DailyCost[];
  anomaly: CostAnomaly | null;
  billed: { monthToDateUsd: number; gapUsd: number; asOf: string } | null;
  /**
   * the month's estimate against the bill over the days the bill is complete for; null without
   * billed figures (Cost Explorer off or not fetched yet); absent in answers of older backends
   */
  reconciliation?: BillingReconciliation | null;
  /** what the figures price */
  includes: string[];
  /** how they price what CloudWatch cannot tell apart (cache TTL, endpoint, service tier) */
  assumptions: string[];
  /** what the figures cannot see */
  excludes: string[];
}
