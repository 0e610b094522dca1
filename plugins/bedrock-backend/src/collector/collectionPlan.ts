import { DAY_MS, floorHour, HOUR_MS } from '../lib/time';

export interface PlanOptions {
  backfillDays: number;
  refetchHours: number;
  windowHours: number;
  fetchEveryHours: number;
  /** the furthest back a fetch may start */
  maxLookbackMs: number;
}

/** Fetches of one account and region: each cohort's tenants are fetched over [start, end). */
export interface Cohort<T> {
  start: number;
  tenants: T[];
}

/**
 * The last boundary of the `fetchEveryHours` grid at or before `end` (hours counted from the
 * epoch, so every account-region and every replica agrees on it).
 */
export function fetchCutoff(end: number, fetchEveryHours: number): number {
  const every = Math.max(1, Math.round(fetchEveryHours)) * HOUR_MS;
  return Math.floor(end / every) * every;
}

/**
 * Which tenants of one account and region to fetch now, and from where.
 *
 * A tenant is due once a boundary of the fetch grid has passed its watermark (or it has none):
 * closed hours are fetched once when they close, and again once within the `refetchHours`
 * after, for late datapoints, since a fetch starts `refetchHours` before the watermark.
 * Due tenants whose fetch fits one time window share one cohort (one set of GetMetricData
 * calls: the price is per metric requested, not per hour); a tenant further behind (a backfill)
 * gets its own, so a new tenant never makes its neighbours re-fetch weeks.
 */
export function planCohorts<T extends { tenantId: string }>(o: {
  tenants: T[];
  /** watermark (ISO) per tenant id */
  watermarks: Record<string, string | null | undefined>;
  /** end of the newest closed hour */
  end: number;
  options: PlanOptions;
  /** fetch whether or not a boundary passed (the refresh route) */
  force?: boolean;
}): Cohort<T>[] {
  const { end, options } = o;
  const cutoff = fetchCutoff(end, options.fetchEveryHours);
  const floor = end - options.maxLookbackMs;
  const recent = end - options.windowHours * HOUR_MS;
  const steady: Cohort<T> = { start: end, tenants: [] };
  const behind = new Map<number, T[]>();
  for (const t of o.tenants) {
    const mark = o.watermarks[t.tenantId];
    const wm = mark ? Date.parse(mark) : undefined;
    if (!o.force && wm !== undefined && wm >= cutoff) continue;
    const from =
      wm !== undefined
        ? wm - options.refetchHours * HOUR_MS
        : end - options.backfillDays * DAY_MS;
    const start = Math.max(floor, floorHour(Math.min(from, end - HOUR_MS)));
    if (start >= recent) {
      steady.tenants.push(t);
      steady.start = Math.min(steady.start, start);
    } else {
      behind.set(start, [...(behind.get(start) ?? []), t]);
    }
  }
  return [
    ...(steady.tenants.length ? [steady] : []),
    ...[...behind].map(([start, tenants]) => ({ start, tenants })),
  ];
}
