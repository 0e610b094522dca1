import {
  CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
  MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import {
  addResult,
  DIMENSION,
  METRICS,
  NAMESPACE,
  QueryMeta,
  Series,
  SeriesValues,
} from './metrics';

/**
 * The `AWS/Bedrock` series of one account and region, from ListMetrics (free of charge). It
 * lists only metrics with datapoints in the last two weeks, so a series idle that long is
 * never requested from GetMetricData (which is billed per metric requested).
 */
export async function listSeries(cw: CloudWatchClient): Promise<Series[]> {
  const byDimension = new Map<string, Set<string>>();
  let NextToken: string | undefined;
  do {
    const page = await cw.send(
      new ListMetricsCommand({ Namespace: NAMESPACE, NextToken }),
    );
    for (const m of page?.Metrics ?? []) {
      if (m.Namespace && m.Namespace !== NAMESPACE) continue;
      const dims = m.Dimensions ?? [];
      if (dims.length !== 1 || dims[0].Name !== DIMENSION || !dims[0].Value)
        continue;
      if (!m.MetricName || !METRICS[m.MetricName]) continue;
      const set = byDimension.get(dims[0].Value) ?? new Set<string>();
      set.add(m.MetricName);
      byDimension.set(dims[0].Value, set);
    }
    NextToken = page?.NextToken;
  } while (NextToken);
  return [...byDimension].map(([dimension, metrics]) => ({
    dimension,
    metrics,
  }));
}

/** What a collection sent to GetMetricData: calls (failed ones included) and metrics billed. */
export interface FetchCounter {
  calls: number;
  /** metric data queries sent: what CloudWatch bills (USD 0.01 per 1,000) */
  metrics: number;
}

/** Runs one batch of queries over [from, to), all pages, adding the values to `into`. */
export async function fetchBatch(options: {
  cw: CloudWatchClient;
  queries: MetricDataQuery[];
  meta: Map<string, QueryMeta>;
  from: number;
  to: number;
  into: SeriesValues;
  counter: FetchCounter;
}): Promise<void> {
  const { cw, queries, meta, from, to, into, counter } = options;
  let NextToken: string | undefined;
  do {
    counter.calls++;
    counter.metrics += queries.length;
    const page = await cw.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: new Date(from),
        EndTime: new Date(to),
        ScanBy: 'TimestampAscending',
        NextToken,
      }),
    );
    for (const r of page?.MetricDataResults ?? []) {
      addResult(into, meta.get(r.Id ?? ''), r.Timestamps ?? [], r.Values ?? []);
    }
    NextToken = page?.NextToken;
  } while (NextToken);
}
