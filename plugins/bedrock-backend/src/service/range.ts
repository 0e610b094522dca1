import { InputError } from '@backstage/errors';
import {
  RangeQuery,
  rangeQuerySchema,
} from '@bedrock-tenancy/plugin-bedrock-common';
import {
  DAY_MS,
  floorHour,
  HOUR_MS,
  CLOUDWATCH_HOURLY_RETENTION_DAYS,
} from '../lib/time';
import { monthStart } from './cost';

/** The longest range a query may ask for: as far back as CloudWatch keeps hourly data. */
export const MAX_RANGE_DAYS = CLOUDWATCH_HOURLY_RETENTION_DAYS;
export const DEFAULT_RANGE = '30d';

export interface TimeRange {
  from: number;
  to: number;
}

const PRESET_DAYS = { '24h': 1, '7d': 7, '30d': 30 } as const;

/** Parses and validates `range` or `from`/`to` into whole hours [from, to). */
export function resolveRange(query: unknown, now: number): TimeRange {
  const parsed = rangeQuerySchema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    throw new InputError(
      `invalid range query: ${where}${issue.message}; use range=24h|7d|30d|mtd or from=<ISO 8601>&to=<ISO 8601>`,
    );
  }
  return toRange(parsed.data, now);
}

function toRange(q: RangeQuery, now: number): TimeRange {
  const end = floorHour(now) + HOUR_MS;
  if (q.from) {
    const from = floorHour(Date.parse(q.from));
    const to = q.to ? Math.ceil(Date.parse(q.to) / HOUR_MS) * HOUR_MS : end;
    if (to <= from)
      throw new InputError('invalid range query: from must be before to');
    if (to - from > MAX_RANGE_DAYS * DAY_MS) {
      throw new InputError(
        `invalid range query: at most ${MAX_RANGE_DAYS} days`,
      );
    }
    return { from, to };
  }
  const preset = q.range ?? DEFAULT_RANGE;
  if (preset === 'mtd') return { from: monthStart(now), to: end };
  return { from: end - PRESET_DAYS[preset] * DAY_MS, to: end };
}
