/*
 * What the collectors store as snapshots and the read side reads back: the kinds, keys and
 * payload shapes, shared by collector/ and service/ through here.
 */
import type { BillingSource } from '@bedrock-tenancy/plugin-bedrock-common';

/** What the status collector stores about a tenant's AWS Budget. */
export interface BudgetSnapshot {
  name: string;
  limitUsd: number;
  actualSpendUsd: number;
  forecastedSpendUsd: number | null;
  notifications: Array<{ percent: number; type: 'ACTUAL' | 'FORECASTED' }>;
}

/**
 * What the billed-cost task stores per tenant from Cost Explorer (reconcile/CostExplorerBilling):
 * the days of the previous and the current month (UTC).
 */
export interface BilledSnapshot {
  /** the current month's days */
  monthToDateUsd: number;
  daily: Array<{ date: string; usd: number }>;
  /** where the figures come from; absent in snapshots written before reconciliation */
  source?: BillingSource;
  /** hours the figures lag usage at most (24 tags and accounts, 48 IAM principals) */
  lagHours?: number;
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
