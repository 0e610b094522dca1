import {
  addCounters,
  ERROR_COUNTERS,
  type SeriesPoint,
} from '@bedrock-tenancy/plugin-bedrock-common';

type ErrorCounter = (typeof ERROR_COUNTERS)[number];

/** One row per bucket, one key per model: what recharts wants for stacked series. */
export type PivotRow = { timestamp: string } & Record<
  string,
  number | string | null
>;

export function pivotByModel(
  series: SeriesPoint[],
  value: (p: SeriesPoint) => number | null,
): PivotRow[] {
  const rows = new Map<string, PivotRow>();
  for (const point of series) {
    const row = rows.get(point.timestamp) ?? { timestamp: point.timestamp };
    const v = value(point);
    const prev = row[point.modelId];
    row[point.modelId] =
      v === null ? prev ?? null : (typeof prev === 'number' ? prev : 0) + v;
    rows.set(point.timestamp, row);
  }
  return [...rows.values()].sort((a, b) =>
    a.timestamp.localeCompare(b.timestamp),
  );
}

/** Errors and throttles summed over models, per bucket. */
export function errorRows(series: SeriesPoint[]) {
  type Row = { timestamp: string } & Record<ErrorCounter, number>;
  const rows = new Map<string, Row>();
  for (const p of series) {
    const row = rows.get(p.timestamp) ?? {
      timestamp: p.timestamp,
      clientErrors: 0,
      serverErrors: 0,
      throttles: 0,
    };
    addCounters(row, p, ERROR_COUNTERS);
    rows.set(p.timestamp, row);
  }
  return [...rows.values()].sort((a, b) =>
    a.timestamp.localeCompare(b.timestamp),
  );
}
