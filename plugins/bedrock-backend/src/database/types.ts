import {
  emptyCounters,
  UsageCounters,
} from '@bedrock-tenancy/plugin-bedrock-common';

/** One hour of one model's usage of one tenant in one account and region. */
export interface HourlyUsageRow extends UsageCounters {
  tenantId: string;
  accountId: string;
  region: string;
  /** normalized base model id */
  modelId: string;
  /** start of the UTC hour, ISO 8601 (`2026-11-23T09:00:00.000Z`) */
  hour: string;
  latencyAvgMs: number | null;
  /**
   * A row summing several hours (getUsageBuckets): what its average weighs when merged, so that
   * merging buckets equals merging their hours (LatencyMean). Absent on an hourly row, whose
   * average weighs its invocations.
   */
  latencyWeight?: number;
  latencyMaxMs: number | null;
  latencyP99Ms: number | null;
  /** mean time to first token of the hour's streaming requests (CloudWatch `TimeToFirstToken`) */
  ttftAvgMs: number | null;
  /**
   * What `ttftAvgMs` weighs when merged (LatencyMean): on an hourly row the hour's streaming
   * requests (the SampleCount of `TimeToFirstToken`), on a bucket of hours the sum of its hours'
   * weights, so that merging buckets equals merging their hours.
   */
  ttftRequests: number;
  /** the hour's p99 time to first token; null when percentiles are not served */
  ttftP99Ms: number | null;
}

/** A row with every count at zero and no latency, for collectors to add to. */
export function emptyUsageRow(
  key: Pick<
    HourlyUsageRow,
    'tenantId' | 'accountId' | 'region' | 'modelId' | 'hour'
  >,
): HourlyUsageRow {
  return {
    ...key,
    ...emptyCounters(),
    latencyAvgMs: null,
    latencyMaxMs: null,
    latencyP99Ms: null,
    ttftAvgMs: null,
    ttftRequests: 0,
    ttftP99Ms: null,
  };
}

export interface TenantState {
  tenantId: string;
  entityRef: string | null;
  /** end of the newest collected hour, ISO 8601 */
  watermark: string | null;
  lastCollectedAt: string | null;
  lastError: string | null;
}

export interface Snapshot<T = unknown> {
  kind: string;
  key: string;
  payload: T | null;
  error: string | null;
  fetchedAt: string;
}

/**
 * Which rows a window replacement owns: `metrics` (default) the rows of CloudWatch and the
 * invocation logs, `batch` those of batch inference jobs (model ids ending `+batch`). Each
 * collector replaces its own and never deletes the other's.
 */
export type UsageScope = 'metrics' | 'batch';

/** The model-id suffix of batch inference usage (see splitServiceTier). */
export const BATCH_SUFFIX = '+batch';

export const inScope = (modelId: string, scope: UsageScope = 'metrics') =>
  modelId.endsWith(BATCH_SUFFIX) === (scope === 'batch');

/** Where the collector writes and the routes read. */
export interface UsageStore {
  /**
   * Replaces the tenant's rows of [from, to) in one account and region with `rows`:
   * re-fetching a window never double-counts.
   */
  replaceWindow(options: {
    tenantId: string;
    accountId: string;
    region: string;
    from: string;
    to: string;
    rows: HourlyUsageRow[];
    scope?: UsageScope;
  }): Promise<void>;
  /**
   * {@link UsageStore.replaceWindow} for many tenants of one account and region at once, in one
   * transaction: `rows` holds every tenant's rows.
   */
  replaceWindows(options: {
    tenantIds: string[];
    accountId: string;
    region: string;
    from: string;
    to: string;
    rows: HourlyUsageRow[];
    scope?: UsageScope;
  }): Promise<void>;
  /** Rows of the tenants with from <= hour < to. */
  getUsage(options: {
    tenantIds: string[];
    from: string;
    to: string;
  }): Promise<HourlyUsageRow[]>;
  /**
   * Rows of the tenants with from <= hour < to, summed in the database per tenant, account,
   * region, model and UTC day, without mixing hours on either side of any of `boundaries`
   * (ISO instants): sums over windows that start and end on those boundaries, or on days, stay
   * exact. Each bucket's `hour` is its first hour; its latency merges like its
   * hours' (`latencyWeight`).
   */
  getUsageBuckets(options: {
    tenantIds: string[];
    from: string;
    to: string;
    boundaries: string[];
  }): Promise<HourlyUsageRow[]>;
  /** Start of the newest hour with invocations, per tenant. */
  getLastInvocation(tenantIds: string[]): Promise<Record<string, string>>;
  getStates(tenantIds: string[]): Promise<Record<string, TenantState>>;
  /**
   * What changes whenever any tenant's data does: the latest collection, watermark and snapshot
   * of all tenants, three index lookups whatever their number. A key for results computed from
   * the store: coarser than one tenant's (another tenant's collection moves it too) but never
   * stale, and as cheap for a roll-up of 2,000 tenants as for one summary.
   */
  getVersion(): Promise<string>;
  /** Moves the watermark forward (never back) and records a successful collection. */
  markCollected(options: {
    tenantId: string;
    entityRef?: string;
    watermark: string;
    at: string;
  }): Promise<void>;
  /** {@link UsageStore.markCollected} for many tenants, in a few statements. */
  markCollectedMany(options: {
    tenants: Array<{ tenantId: string; entityRef: string }>;
    watermark: string;
    at: string;
  }): Promise<void>;
  /**
   * Watermarks of the tenants in one account and region (end of the newest collected hour);
   * tenants never collected there are absent.
   */
  getWatermarks(options: {
    accountId: string;
    region: string;
    tenantIds: string[];
  }): Promise<Record<string, string>>;
  /** Moves the tenants' watermarks in one account and region forward (never back). */
  advanceWatermarks(options: {
    accountId: string;
    region: string;
    tenantIds: string[];
    watermark: string;
  }): Promise<void>;
  markFailed(options: {
    tenantId: string;
    entityRef?: string;
    error: string;
  }): Promise<void>;
  putSnapshot(snapshot: Snapshot): Promise<void>;
  getSnapshots<T>(
    kind: string,
    keys: string[],
  ): Promise<Record<string, Snapshot<T>>>;
  /** Snapshots of several kinds in one query: per kind, by key. */
  getSnapshotsOfKinds(
    wanted: Record<string, string[]>,
  ): Promise<Record<string, Record<string, Snapshot>>>;
  /** Deletes rows older than `before`; returns how many. */
  prune(before: string): Promise<number>;
}
