import { Knex } from 'knex';
import { COUNTER_COLUMNS } from './rows';

/*
 * The daily table: bedrock_usage_hourly summed per UTC day, rewritten from the hourly rows in
 * the transaction that replaces them, so it always equals them. Reads take whole days from it
 * and only the hours of partial days from the hourly table.
 */

export const USAGE = 'bedrock_usage_hourly';
export const DAILY = 'bedrock_usage_daily';
const KEYS = ['tenant_id', 'account_id', 'region', 'model_id'];
export const SUMS = Object.values(COUNTER_COLUMNS);
const DAY_MS = 86_400_000;
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);
const dayStart = (day: string) => `${day}T00:00:00.000Z`;
const floorDay = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;
const ID_CHUNK = 200;

const sums = () => Object.fromEntries(SUMS.map(c => [c, c]));

/**
 * A bucket's latency, kept so that buckets merge exactly as their hours do (LatencyMean): the
 * sum of each hour's average times its weight (its invocations, at least 1) and that weight,
 * over the hours with an average; the largest max and p99.
 */
export const LATENCY_COLUMNS = [
  'latency_sum_ms',
  'latency_weight',
  'latency_max_ms',
  'latency_p99_ms',
  'ttft_sum_ms',
  'ttft_requests',
  'ttft_p99_ms',
];
const WEIGHT =
  'CASE WHEN latency_avg_ms IS NULL THEN 0 WHEN invocations > 1 THEN invocations ELSE 1 END';
/**
 * Time to first token merges the same way, weighted by the hour's streaming requests (the
 * SampleCount of TimeToFirstToken; at least 1 for an hour with an average), so a day's mean is
 * the mean over its requests, never a mean of hourly means.
 */
const TTFT_WEIGHT =
  'CASE WHEN ttft_avg_ms IS NULL THEN 0 WHEN ttft_requests > 1 THEN ttft_requests ELSE 1 END';
const latencyOfHours = (db: Knex) => [
  db.raw(`SUM(latency_avg_ms * (${WEIGHT})) AS latency_sum_ms`),
  db.raw(`SUM(${WEIGHT}) AS latency_weight`),
  db.raw('MAX(latency_max_ms) AS latency_max_ms'),
  db.raw('MAX(latency_p99_ms) AS latency_p99_ms'),
  db.raw(`SUM(ttft_avg_ms * (${TTFT_WEIGHT})) AS ttft_sum_ms`),
  db.raw(`SUM(${TTFT_WEIGHT}) AS ttft_requests`),
  db.raw('MAX(ttft_p99_ms) AS ttft_p99_ms'),
];

/** Recomputes the days that [from, to) touches from the hourly rows (inside `tx`). */
export async function rewriteDays(
  tx: Knex,
  o: {
    tenantIds: string[];
    accountId?: string;
    region?: string;
    from: string;
    to: string;
  },
) {
  if (o.from >= o.to) return;
  const first = o.from.slice(0, 10);
  const after = dayOf(floorDay(Date.parse(o.to) - 1) + DAY_MS);
  const place = (q: Knex.QueryBuilder) =>
    o.accountId ? q.where({ account_id: o.accountId, region: o.region }) : q;
  const chunks: Array<string[] | undefined> = [];
  if (!o.tenantIds.length) chunks.push(undefined);
  for (let i = 0; i < o.tenantIds.length; i += ID_CHUNK)
    chunks.push(o.tenantIds.slice(i, i + ID_CHUNK));
  for (const ids of chunks) {
    const tenants = (q: Knex.QueryBuilder) =>
      ids ? q.whereIn('tenant_id', ids) : q;
    await tenants(place(tx(DAILY)))
      .andWhere('day', '>=', first)
      .andWhere('day', '<', after)
      .delete();
    await tx
      .into(
        tx.raw(
          `?? (${[...KEYS, 'day', ...SUMS, ...LATENCY_COLUMNS]
            .map(() => '??')
            .join(', ')})`,
          [DAILY, ...KEYS, 'day', ...SUMS, ...LATENCY_COLUMNS],
        ),
      )
      .insert(
        tenants(place(tx(USAGE)))
          .select([...KEYS, tx.raw('substr(hour, 1, 10)')])
          .sum(sums())
          .select(latencyOfHours(tx))
          .andWhere('hour', '>=', dayStart(first))
          .andWhere('hour', '<', dayStart(after))
          .groupBy([...KEYS, tx.raw('substr(hour, 1, 10)')]),
      );
  }
}

/**
 * Per tenant, account, region, model and UTC day, without mixing hours on either side of any
 * boundary: whole days not cut by a boundary come from the daily table (their `hour` is the
 * day's first), the rest is summed from hourly rows (`hour` the bucket's first hour).
 */
export async function readBuckets(
  db: Knex,
  o: { tenantIds: string[]; from: string; to: string; boundaries: string[] },
): Promise<any[]> {
  const from = Date.parse(o.from);
  const to = Date.parse(o.to);
  const firstDay = Math.ceil(from / DAY_MS) * DAY_MS;
  const lastEnd = floorDay(to);
  const cut = new Set(
    o.boundaries
      .map(b => Date.parse(b))
      .filter(b => b % DAY_MS !== 0)
      .map(floorDay)
      .filter(d => d >= firstDay && d + DAY_MS <= lastEnd),
  );
  const hourly: Array<[string, string]> = [];
  if (firstDay >= lastEnd) {
    hourly.push([o.from, o.to]);
  } else {
    if (from < firstDay)
      hourly.push([o.from, new Date(firstDay).toISOString()]);
    if (lastEnd < to) hourly.push([new Date(lastEnd).toISOString(), o.to]);
    for (const d of cut)
      hourly.push([
        new Date(d).toISOString(),
        new Date(d + DAY_MS).toISOString(),
      ]);
  }
  const out: any[] = [];
  for (let i = 0; i < o.tenantIds.length; i += ID_CHUNK) {
    const ids = o.tenantIds.slice(i, i + ID_CHUNK);
    const [days, hours] = await Promise.all([
      firstDay < lastEnd
        ? db(DAILY)
            .select([...KEYS, 'day', ...SUMS, ...LATENCY_COLUMNS])
            .whereIn('tenant_id', ids)
            .andWhere('day', '>=', dayOf(firstDay))
            .andWhere('day', '<', dayOf(lastEnd))
            .whereNotIn('day', [...cut].map(dayOf).concat(['']))
        : [],
      hourly.length ? hourlyBuckets(db, ids, hourly, o.boundaries) : [],
    ]);
    for (const d of days) out.push({ ...d, hour: dayStart(d.day) });
    out.push(...hours);
  }
  return out;
}

function hourlyBuckets(
  db: Knex,
  tenantIds: string[],
  ranges: Array<[string, string]>,
  boundaries: string[],
) {
  const sides = boundaries.map(b =>
    db.raw('CASE WHEN hour >= ? THEN 1 ELSE 0 END', [b]),
  );
  return db(USAGE)
    .select(KEYS)
    .min({ hour: 'hour' })
    .sum(sums())
    .select(latencyOfHours(db))
    .whereIn('tenant_id', tenantIds)
    .andWhere(q => {
      for (const [a, b] of ranges)
        q.orWhere(r => r.where('hour', '>=', a).andWhere('hour', '<', b));
    })
    .groupBy([...KEYS, db.raw('substr(hour, 1, 10)'), ...sides]);
}
