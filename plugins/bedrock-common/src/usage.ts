import type { PriceUsed } from './prices';

/*
 * Usage arithmetic, written once: the counters a usage row, total or chart point carries, how they
 * add up, how latency averages merge, and what counts as traffic. The collector, the backend's
 * read side and the frontend's charts all use these.
 */

/**
 * The additive counters of Bedrock usage, in the order the API and the store list them. Prompt
 * cache writes are in two disjoint counters: `cacheWrite1hTokens` those known to have the 1-hour
 * TTL (invocation logs' `cacheDetails`), `cacheWriteTokens` the others (5-minute TTL, or a TTL
 * CloudWatch does not tell); their sum is every cache write.
 *
 * @public
 */
export const USAGE_COUNTERS = [
  'invocations',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'cacheWrite1hTokens',
  'clientErrors',
  'serverErrors',
  'throttles',
] as const;

/** @public */
export type UsageCounter = (typeof USAGE_COUNTERS)[number];

/**
 * Counters whose sum is the tenant's traffic: a row with any of these is billable.
 *
 * @public
 */
export const TRAFFIC_COUNTERS = [
  'invocations',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'cacheWrite1hTokens',
] as const satisfies ReadonlyArray<UsageCounter>;

/**
 * The failure counters the error chart stacks.
 *
 * @public
 */
export const ERROR_COUNTERS = [
  'clientErrors',
  'serverErrors',
  'throttles',
] as const satisfies ReadonlyArray<UsageCounter>;

/** @public */
export type UsageCounters = Record<UsageCounter, number>;

/**
 * Every counter at zero.
 *
 * @public
 */
export function emptyCounters(): UsageCounters {
  return {
    invocations: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    clientErrors: 0,
    serverErrors: 0,
    throttles: 0,
  };
}

/**
 * Adds `from`'s counters into `into` (a missing counter adds nothing): every counter, or only
 * the `fields` given.
 *
 * @public
 */
export function addCounters(
  into: UsageCounters,
  from: Partial<Record<UsageCounter, number | undefined>>,
): void;
/** @public */
export function addCounters<K extends UsageCounter>(
  into: Record<K, number>,
  from: Partial<Record<K, number | undefined>>,
  fields: ReadonlyArray<K>,
): void;
export function addCounters(
  into: Record<string, number>,
  from: Partial<Record<string, number | undefined>>,
  fields: ReadonlyArray<string> = USAGE_COUNTERS,
): void {
  for (const f of fields) into[f] += from[f] ?? 0;
}

/**
 * Whether a row, total or point has any traffic: an invocation or any token, cache tokens
 * included (a cache read costs money even when the hour's other counters are zero). The one
 * definition used for "unpriced traffic", "idle" and "active".
 *
 * @public
 */
export function hasTraffic(
  c: Partial<Record<UsageCounter, number | undefined>>,
): boolean {
  return TRAFFIC_COUNTERS.some(f => (c[f] ?? 0) > 0);
}

/**
 * (client + server errors) / (invocations + errors), or null without any.
 *
 * @public
 */
export function errorRate(
  c: Pick<UsageCounters, 'invocations' | 'clientErrors' | 'serverErrors'>,
): number | null {
  const errors = c.clientErrors + c.serverErrors;
  const all = c.invocations + errors;
  return all > 0 ? errors / all : null;
}

/**
 * Merges average latencies weighted by the invocations behind each (at least 1, so an hour of
 * errors only still counts), which is how CloudWatch's own Average over a longer period behaves.
 *
 * @public
 */
export class LatencyMean {
  #sum = 0;
  #weight = 0;

  /** adds one average; a missing average (no latency that hour) adds nothing */
  add(averageMs: number | null | undefined, invocations: number | undefined) {
    if (averageMs === null || averageMs === undefined) return;
    const w = Math.max(invocations ?? 0, 1);
    this.#sum += averageMs * w;
    this.#weight += w;
  }

  /** the merged average, or null when nothing with a latency was added */
  get value(): number | null {
    return this.#weight ? this.#sum / this.#weight : null;
  }
}

/**
 * The larger of two latency maxima or percentiles, either of which may be missing.
 *
 * @public
 */
export function maxLatency(
  a: number | null | undefined,
  b: number | null | undefined,
): number | null {
  if (a === null || a === undefined) return b ?? null;
  if (b === null || b === undefined) return a;
  return Math.max(a, b);
}

/**
 * A range's usage in the summary API: the counters plus derived figures.
 *
 * @public
 */
export interface UsageTotals extends UsageCounters {
  /** (client + server errors) / (invocations + errors); null without traffic */
  errorRate: number | null;
  latencyAvgMs: number | null;
  latencyMaxMs: number | null;
  /** null when the endpoint does not serve percentiles: show "not available" */
  latencyP99Ms: number | null;
  /**
   * Streaming requests (ConverseStream, InvokeModelWithResponseStream) behind the time to first
   * token figures: the SampleCount of CloudWatch's `TimeToFirstToken`. 0 without streaming
   * traffic, and for identity-attributed tenants (invocation logs carry no time to first token).
   */
  streamingRequests: number;
  /**
   * Mean time to first token of the streaming requests, weighted by their number in each hour
   * (never an average of averages); null without streaming traffic: show "not available".
   */
  ttftAvgMs: number | null;
  /**
   * The largest hourly p99 time to first token in the range: an upper bound of the range's p99
   * (each hour has at most 1% of its requests above its own p99). Null when the endpoint does
   * not serve percentiles or without streaming traffic: show "not available".
   */
  ttftP99Ms: number | null;
  /** null when some traffic is unpriced: never shown as $0 */
  estimatedCostUsd: number | null;
}

/** @public */
export interface ModelUsage extends UsageTotals {
  modelId: string;
  displayName: string;
  priced: boolean;
  /** this model's share of the tenant's priced cost in the range, 0..1 */
  costShare: number | null;
  /**
   * The price rows that priced this model's traffic in the range (more than one when a price
   * changed in the range or regions differ), oldest first; empty when unpriced. Absent from
   * older backends.
   */
  prices?: PriceUsed[];
}

/**
 * The counters a chart point carries: what the charts draw, no more (cache tokens are in the
 * totals and the model table).
 *
 * @public
 */
export const SERIES_COUNTERS = [
  'invocations',
  'inputTokens',
  'outputTokens',
  'clientErrors',
  'serverErrors',
  'throttles',
] as const satisfies ReadonlyArray<UsageCounter>;

/** @public */
export interface SeriesPoint
  extends Pick<UsageCounters, (typeof SERIES_COUNTERS)[number]> {
  /** start of the bucket */
  timestamp: string;
  modelId: string;
  latencyAvgMs: number | null;
  estimatedCostUsd: number | null;
}
