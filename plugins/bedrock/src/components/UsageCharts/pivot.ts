import type { SeriesPoint } from '@bedrock-tenancy/plugin-bedrock-common';

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
  const rows = new Map<
    string,
    {
      timestamp: string;
      clientErrors: number;
      serverErrors: number;
      throttles: number;
    }
  >();
  for (const p of series) {
    const row = rows.get(p.timestamp) ?? {
      timestamp: p.timestamp,
      clientErrors: 0,
      serverErrors: 0,
      throttles: 0,
    };
    row.clientErrors += p.clientErrors;
    row.serverErrors += p.serverErrors;
    row.throttles += p.throttles;
    rows.set(p.timestamp, row);
  }
  return [...rows.values()].sort((a, b) =>
    a.timestamp.localeCompare(b.timestamp),
  );
}
