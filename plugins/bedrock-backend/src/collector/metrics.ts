import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import {
  addCounters,
  LatencyMean,
  maxLatency,
  normalizeModelId,
  splitServiceTier,
  UsageCounter,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { emptyUsageRow, HourlyUsageRow } from '../database/types';
import { floorHour, iso } from '../lib/time';
import type { Tenant } from '../tenant';

export const NAMESPACE = 'AWS/Bedrock';
export const DIMENSION = 'ModelId';
export const MAX_QUERIES_PER_CALL = 500;
/**
 * One hour: a multiple of 60, 300 and 3600, so it is valid for every CloudWatch retention tier
 * (StartTime older than 15 days needs a multiple of 300, older than 63 days a multiple of 3600);
 * the collector never reaches back further than the 455 days hourly data is kept.
 */
export const PERIOD = 3600;

export type Field =
  | UsageCounter
  | 'latencyAvgMs'
  | 'latencyMaxMs'
  | 'latencyP99Ms'
  | 'ttftAvgMs'
  | 'ttftRequests'
  | 'ttftP99Ms';

/** CloudWatch metric -> the statistics we read and the field each one fills. */
export const METRICS: Record<string, Array<{ stat: string; field: Field }>> = {
  Invocations: [{ stat: 'Sum', field: 'invocations' }],
  InputTokenCount: [{ stat: 'Sum', field: 'inputTokens' }],
  OutputTokenCount: [{ stat: 'Sum', field: 'outputTokens' }],
  CacheReadInputTokenCount: [{ stat: 'Sum', field: 'cacheReadTokens' }],
  CacheWriteInputTokenCount: [{ stat: 'Sum', field: 'cacheWriteTokens' }],
  InvocationClientErrors: [{ stat: 'Sum', field: 'clientErrors' }],
  InvocationServerErrors: [{ stat: 'Sum', field: 'serverErrors' }],
  InvocationThrottles: [{ stat: 'Sum', field: 'throttles' }],
  InvocationLatency: [
    { stat: 'Average', field: 'latencyAvgMs' },
    { stat: 'Maximum', field: 'latencyMaxMs' },
  ],
  // streaming requests only (ConverseStream, InvokeModelWithResponseStream), one sample per
  // request: SampleCount is the number of streaming requests, the weight of the Average
  TimeToFirstToken: [
    { stat: 'Average', field: 'ttftAvgMs' },
    { stat: 'SampleCount', field: 'ttftRequests' },
  ],
};
/** Extended statistics, read in a separate call that may fail (then reported as not available). */
export const PERCENTILES: Array<{
  metric: string;
  stat: string;
  field: Field;
}> = [
  { metric: 'InvocationLatency', stat: 'p99', field: 'latencyP99Ms' },
  { metric: 'TimeToFirstToken', stat: 'p99', field: 'ttftP99Ms' },
];

/** The metrics present for one ModelId dimension value. */
export interface Series {
  dimension: string;
  metrics: Set<string>;
}

export interface QueryMeta {
  dimension: string;
  field: Field;
}

/** MetricDataQueries for the series, in batches of at most 500, with what each id means. */
export function buildQueries(series: Series[], percentile: boolean) {
  const queries: MetricDataQuery[] = [];
  const meta = new Map<string, QueryMeta>();
  for (const s of series) {
    const specs = percentile
      ? PERCENTILES.filter(p => s.metrics.has(p.metric))
      : [...s.metrics].flatMap(m =>
          (METRICS[m] ?? []).map(x => ({ metric: m, ...x })),
        );
    for (const spec of specs) {
      const id = `q${queries.length}`;
      meta.set(id, { dimension: s.dimension, field: spec.field });
      queries.push({
        Id: id,
        ReturnData: true,
        MetricStat: {
          Metric: {
            Namespace: NAMESPACE,
            MetricName: spec.metric,
            Dimensions: [{ Name: DIMENSION, Value: s.dimension }],
          },
          Period: PERIOD,
          Stat: spec.stat,
        },
      });
    }
  }
  const batches: MetricDataQuery[][] = [];
  for (let i = 0; i < queries.length; i += MAX_QUERIES_PER_CALL) {
    batches.push(queries.slice(i, i + MAX_QUERIES_PER_CALL));
  }
  return { batches, meta };
}

export type HourValues = Partial<Record<Field, number>>;
/** dimension -> hour (ISO) -> values */
export type SeriesValues = Map<string, Map<string, HourValues>>;

export function addResult(
  into: SeriesValues,
  meta: QueryMeta | undefined,
  timestamps: Date[],
  values: number[],
) {
  if (!meta) return;
  let byHour = into.get(meta.dimension);
  if (!byHour) into.set(meta.dimension, (byHour = new Map()));
  timestamps.forEach((ts, i) => {
    const hour = iso(floorHour(new Date(ts).getTime()));
    const v = byHour!.get(hour) ?? {};
    const value = values[i];
    if (typeof value === 'number' && Number.isFinite(value)) {
      v[meta.field] = (v[meta.field] ?? 0) + value;
    }
    byHour!.set(hour, v);
  });
}

/**
 * The ModelId dimension values that belong to a tenant: a profile tenant's profiles, on every
 * service tier (`<profile>+flex` and `<profile>+priority` are the same profile's Flex and
 * Priority traffic).
 */
export function tenantDimensions(
  tenant: Tenant,
  dimensions: string[],
): string[] {
  if (tenant.attribution === 'account') return dimensions;
  if (tenant.attribution === 'inference-profile') {
    const ids = new Set(Object.keys(tenant.inferenceProfiles));
    return dimensions.filter(d => {
      const { model } = splitServiceTier(d);
      return ids.has(model) || ids.has(model.split('/').pop() ?? '');
    });
  }
  return [];
}

/**
 * Hourly rows of one tenant: its series' values summed per normalized model and hour;
 * latency averaged weighted by invocations, time to first token weighted by streaming
 * requests (their counts add up), maximum and p99 as the largest of the series.
 */
export function tenantRows(options: {
  tenant: Tenant;
  accountId: string;
  region: string;
  dimensions: string[];
  values: SeriesValues;
}): HourlyUsageRow[] {
  const { tenant, accountId, region } = options;
  const rows = new Map<
    string,
    { row: HourlyUsageRow; latency: LatencyMean; ttft: LatencyMean }
  >();
  for (const dimension of options.dimensions) {
    const modelId = normalizeModelId(dimension, tenant.inferenceProfiles);
    for (const [hour, v] of options.values.get(dimension) ?? []) {
      const key = `${modelId}|${hour}`;
      let entry = rows.get(key);
      if (!entry) {
        const row = emptyUsageRow({
          tenantId: tenant.tenantId,
          accountId,
          region,
          modelId,
          hour,
        });
        const empty = { latency: new LatencyMean(), ttft: new LatencyMean() };
        rows.set(key, (entry = { row, ...empty }));
      }
      const { row, latency, ttft } = entry;
      addCounters(row, v);
      latency.add(v.latencyAvgMs, v.invocations);
      row.latencyAvgMs = latency.value;
      row.latencyMaxMs = maxLatency(row.latencyMaxMs, v.latencyMaxMs);
      row.latencyP99Ms = maxLatency(row.latencyP99Ms, v.latencyP99Ms);
      if (v.ttftAvgMs !== undefined) {
        ttft.add(v.ttftAvgMs, v.ttftRequests);
        row.ttftAvgMs = ttft.value;
        row.ttftRequests += Math.max(v.ttftRequests ?? 0, 1);
      }
      row.ttftP99Ms = maxLatency(row.ttftP99Ms, v.ttftP99Ms);
    }
  }
  return [...rows.values()].map(e => e.row);
}
