import type { AttributionMode } from './annotations';
import type { CostBlock } from './cost';
import type { BillingReconciliation } from './reconciliation';
import type { GuardrailInfo } from './guardrails';
import type { ModelUsage, SeriesPoint, UsageTotals } from './usage';
import type { EnforcementInfo } from './enforcement';

/*
 * The HTTP API of the bedrock backend plugin (routes under /api/bedrock), shared by the
 * backend, which produces these shapes, and the frontend, which renders them.
 * Amounts are USD; timestamps are ISO 8601 UTC strings.
 */

/**
 * A panel that can fail on its own: a failed panel never takes the page down.
 *
 * @public
 */
export type Section<T> =
  | { status: 'ok'; data: T }
  | { status: 'error'; message: string }
  | { status: 'unavailable'; message: string };

/** @public */
export interface BudgetBlock {
  name: string;
  limitUsd: number;
  actualSpendUsd: number;
  forecastedSpendUsd: number | null;
  usedFraction: number;
  /** date the budget runs out at the current run rate; null if it does not this month */
  runsOutOn: string | null;
  thresholds: Array<{
    percent: number;
    type: 'ACTUAL' | 'FORECASTED';
    crossed: boolean;
  }>;
}

/** @public */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
/** @public */
export interface AlarmInfo {
  name: string;
  state: AlarmState;
  reason: string;
  updatedAt: string | null;
  metricName: string | null;
  threshold: number | null;
  region: string;
  consoleUrl: string;
  /** whether the alarm's actions are on (the suspend action turns them off); absent in old snapshots */
  actionsEnabled?: boolean;
}

/** @public */
export interface GovernanceInfo {
  region: string;
  loggingEnabled: boolean;
  cloudWatchLogGroup: string | null;
  s3Bucket: string | null;
  /** prompts and responses are written to the logs */
  promptsLogged: boolean;
  deliveryFailures: { cloudWatch: number; s3: number } | null;
}

/** @public */
export interface IdleStatus {
  idle: boolean;
  lastInvocationAt: string | null;
  thresholdDays: number;
}

/** @public */
export interface Suggestion {
  kind: 'suspend-idle' | 'model-mix' | 'flex-tier' | 'throttling' | 'errors';
  message: string;
}

/** @public */
export interface Freshness {
  /** end of the newest collected hour */
  dataUntil: string | null;
  lastCollectedAt: string | null;
  stale: boolean;
}

/** @public */
export interface TenantInfo {
  entityRef: string;
  tenantId: string;
  accountId: string;
  regions: string[];
  attribution: AttributionMode;
}

/**
 * One model's usage in one region (counts and cost only: a small payload).
 *
 * @public
 */
export interface RegionModelUsage {
  modelId: string;
  invocations: number;
  inputTokens: number;
  outputTokens: number;
  /** null when the model is unpriced (in this region): never shown as $0 */
  estimatedCostUsd: number | null;
}

/**
 * A tenant's usage in one of its regions, priced at that region's rates.
 *
 * @public
 */
export interface RegionUsage {
  region: string;
  invocations: number;
  inputTokens: number;
  outputTokens: number;
  clientErrors: number;
  serverErrors: number;
  throttles: number;
  /** null when some of the region's traffic is unpriced */
  estimatedCostUsd: number | null;
  /** by cost, unpriced last */
  models: RegionModelUsage[];
}

/** @public */
export interface EntitySummary {
  tenant: TenantInfo;
  range: { from: string; to: string; granularity: 'hour' | 'day' };
  totals: UsageTotals;
  models: ModelUsage[];
  /** the same usage by region, then by model (absent from servers before it existed) */
  byRegion?: RegionUsage[];
  series: SeriesPoint[];
  cost: Section<CostBlock>;
  budget: Section<BudgetBlock | null>;
  alarms: Section<AlarmInfo[]>;
  governance: Section<GovernanceInfo[]>;
  /** the tenant's guardrails, one per region that has one; shown in the governance panel */
  guardrails: Section<GuardrailInfo[]>;
  idle: IdleStatus;
  suggestions: Suggestion[];
  freshness: Freshness;
  /**
   * The tenant's budget enforcement (opted in through its binding) and its last decision; null
   * when the tenant has not opted in, absent from older backends.
   */
  enforcement?: EnforcementInfo | null;
}

/** @public */
export interface GroupTenantRow {
  entityRef: string;
  title: string;
  tenantId: string;
  /** full entity ref of the owner, e.g. `group:default/team-checkout` */
  owner: string;
  invocations: number;
  inputTokens: number;
  outputTokens: number;
  estimatedCostUsd: number | null;
  monthToDateUsd: number | null;
  projectedMonthEndUsd: number | null;
  budgetLimitUsd: number | null;
  budgetUsedFraction: number | null;
  alarmsInAlarm: number;
  /**
   * the month's estimate against the bill (Cost Explorer); null without billed figures or for a
   * range across months; absent in answers of older backends
   */
  reconciliation?: BillingReconciliation | null;
}

/**
 * Estimate vs bill of a Group's tenants that have billed figures.
 *
 * @public
 */
export interface GroupReconciliation {
  /** tenants with billed figures, counted here */
  tenants: number;
  billedUsd: number;
  estimatedUsd: number;
  varianceUsd: number;
  /** varianceUsd as a percentage of billedUsd; null when billedUsd is 0 */
  variancePercent: number | null;
  /** the earliest last complete day of the counted tenants' bills */
  comparedThrough: string | null;
  /** the lag stated for people, e.g. "billed figures lag 24-48 h; last complete day 2026-11-18" */
  lagNote: string;
}

/** @public */
export interface GroupRollup {
  groupRef: string;
  includeChildren: boolean;
  range: { from: string; to: string };
  totals: {
    tenants: number;
    invocations: number;
    inputTokens: number;
    outputTokens: number;
    estimatedCostUsd: number;
    monthToDateUsd: number;
    projectedMonthEndUsd: number;
    budgetLimitUsd: number;
    alarmsInAlarm: number;
    unpricedTenants: number;
    /**
     * True when `estimatedCostUsd` (and the month-to-date and projection sums) cover only part of
     * the traffic: some tenant uses a model without a price, or its cost could not be computed.
     * Absent in answers of older backends.
     */
    partial?: boolean;
    /** why the cost totals are partial; null when they are complete */
    partialReason?: string | null;
    /**
     * estimate vs bill summed over the tenants that have billed figures (each over its own
     * compared days); null when none has; absent in answers of older backends
     */
    reconciliation?: GroupReconciliation | null;
  };
  /** the groups whose tenants are counted: the group, and its descendants when includeChildren */
  groups?: string[];
  /**
   * entities the group owns that claim a tenant the caller may not read: left out of the list
   * and the totals, only counted here
   */
  unreadableTenants?: number;
  /** the most expensive tenants first, at most the request's `limit` of them (50 by default) */
  tenants: GroupTenantRow[];
  /** how many tenants the totals count; absent in answers of older backends */
  tenantCount?: number;
  /** true when `tenants` leaves some of the counted tenants out (see `limit`) */
  truncated?: boolean;
  /**
   * entities the group owns that carry no (or malformed) tenant annotations, by ref, at most the
   * request's `limit` of them
   */
  unannotated: Array<{ entityRef: string; title: string; kind: string }>;
  /** how many entities lack the annotations (`unannotated` lists the first); absent in older answers */
  unannotatedCount?: number;
  /**
   * entities the group owns whose tenant annotations no binding confirms (copied, unbound or
   * out of date): never counted in the totals
   */
  unverified: Array<{
    entityRef: string;
    title: string;
    kind: string;
    reason: string;
  }>;
  /** how many tenants are unverified (`unverified` lists the first); absent in older answers */
  unverifiedCount?: number;
}

/**
 * Error name of the 4xx answered for an entity whose tenant annotations no binding confirms.
 *
 * @public
 */
export const UNVERIFIED_TENANT_ERROR = 'UnverifiedTenantError';

/**
 * Answer of POST /entity/:kind/:namespace/:name/refresh.
 *
 * @public
 */
export interface RefreshResult {
  entityRef: string;
  tenantId: string;
  collectedAt: string;
}
