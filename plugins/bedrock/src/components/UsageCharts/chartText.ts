import { formatDateTime } from '../../lib/format';

/** One drawn series: its key in the rows and the name its legend shows. */
export interface ChartSeries {
  key: string;
  name: string;
}

/** A chart's points as a table: one row per time bucket, one column per series. */
export interface ChartTable {
  columns: string[];
  rows: string[][];
}

type Row = { timestamp: string } & Record<string, unknown>;

const valueOf = (row: Row, key: string) => {
  const v = row[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

/**
 * The sentence a screen reader hears for a chart: what it covers, each series' total (or, for a
 * chart of averages, its mean), largest first, and the peak. Derived from the same rows the
 * chart draws, so it cannot say something the chart does not show.
 *
 * `sum`: the series stack, so the peak is the bucket where they together were highest;
 * `mean`: the series are averages that do not add up, so the peak is the highest single point.
 */
export function describeChart(
  rows: Row[],
  series: ChartSeries[],
  format: (v: number) => string,
  aggregate: 'sum' | 'mean' = 'sum',
): string {
  const stats = series
    .map(s => {
      const points = rows
        .map(r => valueOf(r, s.key))
        .filter((v): v is number => v !== null);
      const total = points.reduce((n, v) => n + v, 0);
      return {
        name: s.name,
        points: points.length,
        value: aggregate === 'sum' ? total : total / (points.length || 1),
      };
    })
    .filter(s => s.points > 0)
    .sort((a, b) => b.value - a.value || a.name.localeCompare(b.name));
  if (rows.length === 0 || stats.length === 0) return 'No data in this range.';
  let peak: { timestamp: string; value: number; name?: string } | undefined;
  for (const r of rows) {
    if (aggregate === 'sum') {
      const value = series.reduce((n, s) => n + (valueOf(r, s.key) ?? 0), 0);
      if (!peak || value > peak.value) peak = { timestamp: r.timestamp, value };
    } else {
      for (const s of series) {
        const value = valueOf(r, s.key);
        if (value !== null && (!peak || value > peak.value))
          peak = { timestamp: r.timestamp, value, name: s.name };
      }
    }
  }
  const first = formatDateTime(rows[0].timestamp);
  const last = formatDateTime(rows[rows.length - 1].timestamp);
  const parts = stats.map(t => `${t.name} ${format(t.value)}`).join(', ');
  const peakOf = peak!.name ? ` (${peak!.name})` : '';
  return (
    `${rows.length} points from ${first} to ${last}. ` +
    `${aggregate === 'sum' ? 'Totals' : 'Averages'}: ${parts}. ` +
    `Peak ${format(peak!.value)}${peakOf} at ${formatDateTime(
      peak!.timestamp,
    )}.`
  );
}

/** The chart's points as a table, empty cells where a series has no point. */
export function chartTable(
  rows: Row[],
  series: ChartSeries[],
  format: (v: number) => string,
): ChartTable {
  return {
    columns: ['Time (UTC)', ...series.map(s => s.name)],
    rows: rows.map(r => [
      formatDateTime(r.timestamp),
      ...series.map(s => {
        const v = valueOf(r, s.key);
        return v === null ? '' : format(v);
      }),
    ]),
  };
}
