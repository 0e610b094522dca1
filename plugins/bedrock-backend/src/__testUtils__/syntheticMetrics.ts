/* TEST-ONLY: CloudWatch answers for a tenant's AWS/Bedrock series, the same on every call. */
import {
  GetMetricDataCommandInput,
  ListMetricsCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import { HOUR_MS } from '../lib/time';
import { Tenant } from '../tenant';

const METRICS = ['Invocations', 'InputTokenCount', 'OutputTokenCount'];

/** ListMetrics: invocations and tokens of each of the tenant's inference profiles. */
export function listedMetrics(
  tenant: Pick<Tenant, 'inferenceProfiles'>,
): Pick<ListMetricsCommandOutput, 'Metrics'> {
  return {
    Metrics: Object.keys(tenant.inferenceProfiles).flatMap(d =>
      METRICS.map(MetricName => ({
        Namespace: 'AWS/Bedrock',
        MetricName,
        Dimensions: [{ Name: 'ModelId', Value: d }],
      })),
    ),
  };
}

/**
 * GetMetricData: a datapoint for every hour of [StartTime, EndTime) of every query, its value a
 * function of the metric, dimension, statistic and hour only, so two collections of the same
 * hours (whatever their windows, retries or order) store the same rows.
 */
export function syntheticDatapoints(input: GetMetricDataCommandInput) {
  const from = new Date(input.StartTime!).getTime();
  const to = new Date(input.EndTime!).getTime();
  return {
    MetricDataResults: input.MetricDataQueries!.map(q => {
      const stat = q.MetricStat!;
      const key = `${stat.Metric!.MetricName}|${
        stat.Metric!.Dimensions![0].Value
      }|${stat.Stat}`;
      const seed = [...key].reduce((n, c) => n + c.charCodeAt(0), 0);
      const hours = Array.from(
        { length: Math.max(0, Math.ceil((to - from) / HOUR_MS)) },
        (_, i) => from + i * HOUR_MS,
      );
      return {
        Id: q.Id,
        StatusCode: 'Complete' as const,
        Timestamps: hours.map(h => new Date(h)),
        Values: hours.map(h => ((Math.floor(h / HOUR_MS) + seed) % 17) + 1),
      };
    }),
  };
}
