import {
  modelDisplayName,
  ModelUsage,
  PriceRow,
  SeriesPoint,
  UsageTotals,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { DAY_MS, HOUR_MS } from '../lib/time';
import { HourlyUsageRow } from '../database/types';
import { rowCost } from './cost';

/** Sums rows; latency averaged weighted by invocations; cost null if any traffic is unpriced. */
export function totalsOf(
  prices: PriceRow[],
  rows: HourlyUsageRow[],
): UsageTotals {
  const t: UsageTotals = {
    invocations: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    clientErrors: 0,
    serverErrors: 0,
    throttles: 0,
    errorRate: null,
    latencyAvgMs: null,
    latencyMaxMs: null,
    latencyP99Ms: null,
    estimatedCostUsd: 0,
  };
  let latSum = 0;
  let latWeight = 0;
  let unpriced = false;
  for (const r of rows) {
    t.invocations += r.invocations;
    t.inputTokens += r.inputTokens;
    t.outputTokens += r.outputTokens;
    t.cacheReadTokens += r.cacheReadTokens;
    t.cacheWriteTokens += r.cacheWriteTokens;
    t.clientErrors += r.clientErrors;
    t.serverErrors += r.serverErrors;
    t.throttles += r.throttles;
    if (r.latencyAvgMs !== null) {
      const w = Math.max(r.invocations, 1);
      latSum += r.latencyAvgMs * w;
      latWeight += w;
    }
    if (r.latencyMaxMs !== null)
      t.latencyMaxMs = Math.max(t.latencyMaxMs ?? 0, r.latencyMaxMs);
    if (r.latencyP99Ms !== null)
      t.latencyP99Ms = Math.max(t.latencyP99Ms ?? 0, r.latencyP99Ms);
    const c = rowCost(prices, r);
    if (c === null) {
      if (r.invocations + r.inputTokens + r.outputTokens > 0) unpriced = true;
    } else t.estimatedCostUsd! += c;
  }
  const errors = t.clientErrors + t.serverErrors;
  t.errorRate =
    t.invocations + errors > 0 ? errors / (t.invocations + errors) : null;
  t.latencyAvgMs = latWeight ? latSum / latWeight : null;
  if (unpriced) t.estimatedCostUsd = null;
  return t;
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

/** Chart points per bucket and model: hourly up to two days, daily beyond. */
export function seriesOf(
  prices: PriceRow[],
  rows: HourlyUsageRow[],
  range: { from: number; to: number },
): { granularity: 'hour' | 'day'; points: SeriesPoint[] } {
  const granularity = range.to - range.from <= 2 * DAY_MS ? 'hour' : 'day';
  const size = granularity === 'hour' ? HOUR_MS : DAY_MS;
  const points = new Map<
    string,
    SeriesPoint & { latSum: number; latW: number }
  >();
  for (const r of rows) {
    const bucket = new Date(
      Math.floor(Date.parse(r.hour) / size) * size,
    ).toISOString();
    const key = `${bucket}|${r.modelId}`;
    const p = points.get(key) ?? {
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
      latSum: 0,
      latW: 0,
    };
    p.invocations += r.invocations;
    p.inputTokens += r.inputTokens;
    p.outputTokens += r.outputTokens;
    p.clientErrors += r.clientErrors;
    p.serverErrors += r.serverErrors;
    p.throttles += r.throttles;
    if (r.latencyAvgMs !== null) {
      const w = Math.max(r.invocations, 1);
      p.latSum += r.latencyAvgMs * w;
      p.latW += w;
      p.latencyAvgMs = p.latSum / p.latW;
    }
    const c = rowCost(prices, r);
    p.estimatedCostUsd =
      c === null || p.estimatedCostUsd === null ? null : p.estimatedCostUsd + c;
    points.set(key, p);
  }
  return {
    granularity,
    points: [...points.values()]
      .map(({ latSum: _s, latW: _w, ...p }) => p)
      .sort(
        (a, b) =>
          a.timestamp.localeCompare(b.timestamp) ||
          a.modelId.localeCompare(b.modelId),
      ),
  };
}
