import type {
  UsageCounter,
  UsageCounters,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { HourlyUsageRow } from './types';

/** The usage tables' column of each counter (bedrock_usage_hourly and bedrock_usage_daily). */
export const COUNTER_COLUMNS: Record<UsageCounter, string> = {
  invocations: 'invocations',
  inputTokens: 'input_tokens',
  outputTokens: 'output_tokens',
  cacheReadTokens: 'cache_read_tokens',
  cacheWriteTokens: 'cache_write_tokens',
  cacheWrite1hTokens: 'cache_write_1h_tokens',
  clientErrors: 'client_errors',
  serverErrors: 'server_errors',
  throttles: 'throttles',
};
const COUNTER_ENTRIES = Object.entries(COUNTER_COLUMNS) as Array<
  [UsageCounter, string]
>;

/** Column <-> field mapping of bedrock_usage_hourly (numbers come back as strings from PostgreSQL). */
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const optNum = (v: unknown) =>
  v === null || v === undefined ? null : Number(v);

export function toDb(r: HourlyUsageRow) {
  return {
    tenant_id: r.tenantId,
    account_id: r.accountId,
    region: r.region,
    model_id: r.modelId,
    hour: r.hour,
    ...Object.fromEntries(COUNTER_ENTRIES.map(([f, col]) => [col, r[f]])),
    latency_avg_ms: r.latencyAvgMs,
    latency_max_ms: r.latencyMaxMs,
    latency_p99_ms: r.latencyP99Ms,
    ttft_avg_ms: r.ttftAvgMs,
    ttft_requests: r.ttftRequests,
    ttft_p99_ms: r.ttftP99Ms,
  };
}

/** A bucket of hours (getUsageBuckets): its latency average and the weight it stands for. */
export function fromBucket(r: any): HourlyUsageRow {
  const weight = num(r.latency_weight);
  const ttftWeight = num(r.ttft_requests);
  return {
    ...fromDb({ ...r, latency_avg_ms: null }),
    latencyAvgMs: weight > 0 ? num(r.latency_sum_ms) / weight : null,
    latencyWeight: weight,
    latencyMaxMs: optNum(r.latency_max_ms),
    latencyP99Ms: optNum(r.latency_p99_ms),
    // the daily table keeps a sum and its weight (ttft_requests), like latency
    ttftAvgMs: ttftWeight > 0 ? num(r.ttft_sum_ms) / ttftWeight : null,
    ttftRequests: ttftWeight,
    ttftP99Ms: optNum(r.ttft_p99_ms),
  };
}

export function fromDb(r: any): HourlyUsageRow {
  return {
    tenantId: r.tenant_id,
    accountId: r.account_id,
    region: r.region,
    modelId: r.model_id,
    hour: r.hour,
    ...(Object.fromEntries(
      COUNTER_ENTRIES.map(([f, col]) => [f, num(r[col])]),
    ) as UsageCounters),
    latencyAvgMs: optNum(r.latency_avg_ms),
    latencyMaxMs: optNum(r.latency_max_ms),
    latencyP99Ms: optNum(r.latency_p99_ms),
    ttftAvgMs: optNum(r.ttft_avg_ms),
    ttftRequests: num(r.ttft_requests),
    ttftP99Ms: optNum(r.ttft_p99_ms),
  };
}
