import { HourlyUsageRow } from './types';

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
    invocations: r.invocations,
    input_tokens: r.inputTokens,
    output_tokens: r.outputTokens,
    cache_read_tokens: r.cacheReadTokens,
    cache_write_tokens: r.cacheWriteTokens,
    client_errors: r.clientErrors,
    server_errors: r.serverErrors,
    throttles: r.throttles,
    latency_avg_ms: r.latencyAvgMs,
    latency_max_ms: r.latencyMaxMs,
    latency_p99_ms: r.latencyP99Ms,
  };
}

export function fromDb(r: any): HourlyUsageRow {
  return {
    tenantId: r.tenant_id,
    accountId: r.account_id,
    region: r.region,
    modelId: r.model_id,
    hour: r.hour,
    invocations: num(r.invocations),
    inputTokens: num(r.input_tokens),
    outputTokens: num(r.output_tokens),
    cacheReadTokens: num(r.cache_read_tokens),
    cacheWriteTokens: num(r.cache_write_tokens),
    clientErrors: num(r.client_errors),
    serverErrors: num(r.server_errors),
    throttles: num(r.throttles),
    latencyAvgMs: optNum(r.latency_avg_ms),
    latencyMaxMs: optNum(r.latency_max_ms),
    latencyP99Ms: optNum(r.latency_p99_ms),
  };
}
