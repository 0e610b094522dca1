/* The cost panel's shapes in the summary API. Amounts are USD; dates are UTC days. */

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
  /** what the figures price */
  includes: string[];
  /** how they price what CloudWatch cannot tell apart (cache TTL, endpoint, service tier) */
  assumptions: string[];
  /** what the figures cannot see */
  excludes: string[];
}
