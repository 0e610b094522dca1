import { DAY_MS, floorHour, HOUR_MS, iso } from '../lib/time';
import { monthStart, RUN_RATE_DAYS } from './cost';
import { TimeRange } from './range';

/** Days before now that the cost panel needs (run rate + anomaly baseline). */
const HISTORY_DAYS = 22;

const ceilHour = (t: number) => Math.ceil(t / HOUR_MS) * HOUR_MS;

/**
 * The usage the cost panel needs (the range, the month so far, the run-rate window and the
 * anomaly baseline), as per-day buckets split at the range and run-rate boundaries. Rows start
 * on the hour, so boundaries rounded up to the hour select the same rows (and make stable keys).
 */
export function historyWindow(
  tenantIds: string[],
  range: TimeRange,
  now: number,
) {
  const end = floorHour(now) + HOUR_MS;
  const from = Math.min(
    range.from,
    monthStart(now),
    floorHour(now) - HISTORY_DAYS * DAY_MS,
  );
  return {
    tenantIds,
    from: iso(ceilHour(from)),
    to: iso(ceilHour(Math.max(range.to, end))),
    boundaries: [range.from, range.to, end - RUN_RATE_DAYS * DAY_MS, end].map(
      t => iso(ceilHour(t)),
    ),
  };
}
