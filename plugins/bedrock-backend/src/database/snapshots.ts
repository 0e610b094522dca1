/*
 * What the collectors store as snapshots and the read side reads back: the kinds, keys and
 * payload shapes, shared by collector/ and service/ through here.
 */

/** What the status collector stores about a tenant's AWS Budget. */
export interface BudgetSnapshot {
  name: string;
  limitUsd: number;
  actualSpendUsd: number;
  forecastedSpendUsd: number | null;
  notifications: Array<{ percent: number; type: 'ACTUAL' | 'FORECASTED' }>;
}

export interface BilledSnapshot {
  monthToDateUsd: number;
  daily: Array<{ date: string; usd: number }>;
}

export const SNAPSHOT = {
  alarms: 'alarms',
  budget: 'budget',
  governance: 'governance',
  billed: 'billed',
  /** the last scheduled status run (StatusRunRecord) */
  run: 'status-run',
} as const;

/** Snapshot kind of a tenant's guardrail in one region; key `<tenant id>/<region>`. */
export const GUARDRAIL_SNAPSHOT = 'guardrail';
export const guardrailSnapshotKey = (tenantId: string, region: string) =>
  `${tenantId}/${region}`;
