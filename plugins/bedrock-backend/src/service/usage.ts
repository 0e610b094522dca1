import {
  addCounters,
  emptyCounters,
  errorRate,
  hasTraffic,
  LatencyMean,
  maxLatency,
  modelDisplayName,
  ModelUsage,
  PriceRow,
  SERIES_COUNTERS,
  SeriesPoint,
  UsageTotals,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { DAY_MS, HOUR_MS } from '../lib/time';
import { HourlyUsageRow } from '../database/types';
import { rowCost } from './cost';
import { pricesUsed } from './pricesUsed';

/**
 * Sums rows; latency averaged weighted by invocations, time to first token weighted by
 * streaming requests (`ttftRequests`: an hour's SampleCount, a bucket's summed weight), p99s as
 * the largest (an upper bound of the range's p99); cost null if any traffic is unpriced.
 */
export function totalsOf(
  prices: PriceRow[],
  rows: HourlyUsageRow[],
): UsageTotals {
  const counters = emptyCounters();
  const latency = new LatencyMean();
  let latencyMaxMs: number | null = null;
  let latencyP99Ms: number | null = null;
  const ttft = new LatencyMean();
  let streamingRequests = 0;
  let ttftP99Ms: number | null = null;
  let cost = 0;
  let unpriced = false;
  for (const r of rows) {
    addCounters(counters, r);
    latency.add(r.latencyAvgMs, r.latencyWeight ?? r.invocations);
    latencyMaxMs = maxLatency(latencyMaxMs, r.latencyMaxMs);
    latencyP99Ms = maxLatency(latencyP99Ms, r.latencyP99Ms);
    if (r.ttftAvgMs !== null) {
      ttft.add(r.ttftAvgMs, r.ttftRequests);
      streamingRequests += Math.max(r.ttftRequests, 1);
    }
    ttftP99Ms = maxLatency(ttftP99Ms, r.ttftP99Ms);
    const c = rowCost(prices, r);
    if (c !== null) cost += c;
    else if (hasTraffic(r)) unpriced = true;
  }
  return {
    ...counters,
    errorRate: errorRate(counters),
    latencyAvgMs: latency.value,
    latencyMaxMs,
    latencyP99Ms,
    streamingRequests,
    ttftAvgMs: ttft.value,
    ttftP99Ms,
    estimatedCostUsd: unpriced ? null : cost,
  };
}

export function modelsOf(
  prices: PriceRow[],
  rows: HourlyUsageRow[],
): ModelUsage[] {
  const byModel = new Map<string, HourlyUsageRow[]>();
  for (const r of rows) {
    const list = byModel.get(r.modelId);
    if (list) list.push(r);
    else byModel.set(r.modelId, [r]);
  }
  const models = [...byModel].map(([modelId, rs]) => {
    const totals = totalsOf(prices, rs);
    return {
      ...totals,
      modelId,
      displayName: modelDisplayName(modelId),
      priced: rs.every(r => rowCost(prices, r) !== null),
      costShare: null as number | null,
      prices: pricesUsed(prices, rs),
    };
  });
  const pricedTotal = models.reduce((s, m) => s + (m.estimatedCostUsd ?? 0), 0);
  for (const m of models) {
    m.costShare =
      m.priced && pricedTotal > 0
        ? (m.estimatedCostUsd ?? 0) / pricedTotal
        : null;
  }
  return models.sort(
    (a, b) => (b.estimatedCostUsd ?? -1) - (a.estimatedCostUsd ?? -1),
  );
}

/** The chart's buckets: hourly up to two days, daily beyond. */
export const granularityOf = (range: {
  from: number;
  to: number;
}): 'hour' | 'day' => (range.to - range.from <= 2 * DAY_MS ? 'hour' : 'day');

/** Chart points per bucket and model (granularityOf the range). */
export function seriesOf(
  prices: PriceRow[],
  rows: HourlyUsageRow[],
  range: { from: number; to: number },
): { granularity: 'hour' | 'day'; points: SeriesPoint[] } {
  const granularity = granularityOf(range);
  const size = granularity === 'hour' ? HOUR_MS : DAY_MS;
  const points = new Map<
    string,
    { point: SeriesPoint; latency: LatencyMean }
  >();
  for (const r of rows) {
    const bucket = new Date(
      Math.floor(Date.parse(r.hour) / size) * size,
    ).toISOString();
    const key = `${bucket}|${r.modelId}`;
    let entry = points.get(key);
    if (!entry) {
      const point: SeriesPoint = {
        timestamp: bucket,
        modelId: r.modelId,
        invocations: 0,
        inputTokens: 0,
        outputTokens: 0,
        clientErrors: 0,
        serverErrors: 0,
        throttles: 0,
        latencyAvgMs: null,
        estimatedCostUsd: 0,
      };
      points.set(key, (entry = { point, latency: new LatencyMean() }));
    }
    const { point: p, latency } = entry;
    addCounters(p, r, SERIES_COUNTERS);
    latency.add(r.latencyAvgMs, r.latencyWeight ?? r.invocations);
    p.latencyAvgMs = latency.value;
    const c = rowCost(prices, r);
    p.estimatedCostUsd =
      c === null || p.estimatedCostUsd === null ? null : p.estimatedCostUsd + c;
  }
  return {
    granularity,
    points: [...points.values()]
      .map(e => e.point)
      .sort(
        (a, b) =>
          a.timestamp.localeCompare(b.timestamp) ||
          a.modelId.localeCompare(b.modelId),
      ),
  };
}
