import type { ResultField } from '@aws-sdk/client-cloudwatch-logs';
import { normalizeModelId } from '@bedrock-tenancy/plugin-bedrock-common';
import { emptyUsageRow, HourlyUsageRow } from '../database/types';
import { floorHour, HOUR_MS, iso } from '../lib/time';
import type { Tenant } from '../tenant';

/** Where a Converse record's usage lists its cache writes by TTL (`[{ ttl, inputTokens }]`). */
const CACHE_DETAILS = 'output.outputBodyJson.usage.cacheDetails';

/** Logs Insights answers at most this many result rows per query. */
export const MAX_RESULT_ROWS = 10_000;
/** Logs Insights rejects longer query strings. */
const MAX_QUERY_CHARS = 10_000;
/** Room kept for the query around the principal list. */
const PRINCIPAL_LIST_BUDGET = 8_000;

/** `arn:aws:sts::A:assumed-role/NAME/SESSION` (or without the session) -> `arn:aws:iam::A:role/NAME`. */
export function roleArnOf(arn: string): string {
  const m =
    /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)(?:\/.+)?$/.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : arn;
}

/** A role ARN without its path (`role/a/b/NAME` -> `role/NAME`): what an assumed-role ARN names. */
const withoutPath = (arn: string) =>
  arn.replace(/^(arn:[^:]+:iam::\d{12}:role\/)(?:[^/]+\/)+([^/]+)$/, '$1$2');

/** The principals of the log records that are a tenant's, as the query names them. */
export function callerArns(tenants: Tenant[]): string[] {
  const out = new Set<string>();
  for (const t of tenants) {
    for (const arn of t.principalArns) {
      out.add(arn);
      const role = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(
        arn,
      );
      if (role)
        out.add(`arn:${role[1]}:sts::${role[2]}:assumed-role/${role[3]}`);
    }
  }
  return [...out].sort();
}

/**
 * The Logs Insights query of one time range: invocations and token sums per caller (an
 * assumed role's session stripped), model, error code and hour. Only the callers of `tenants`
 * when their list fits in the query; otherwise every caller, mapped to tenants afterwards.
 * `[from, to)` is repeated in the query because StartQuery takes whole seconds, both inclusive.
 */
export function identityQuery(o: {
  tenants: Tenant[];
  from: number;
  to: number;
}): string {
  const arns = callerArns(o.tenants);
  // an ARN that cannot be quoted safely (never a valid one) drops the filter, not the tenant
  const quotable = arns.every(a => /^[\w+=,.@:/-]+$/.test(a));
  const list = quotable ? arns.map(a => `"${a}"`).join(', ') : '';
  const query = [
    `filter toMillis(@timestamp) >= ${o.from} and toMillis(@timestamp) < ${o.to}`,
    String.raw`parse identity.arn /^(?<assumedRole>arn:[^:]+:sts::\d{12}:assumed-role\/[^\/]+)\//`,
    'fields @timestamp, modelId, errorCode, input.inputTokenCount, output.outputTokenCount, ' +
      'input.cacheReadInputTokenCount, input.cacheWriteInputTokenCount, ' +
      'coalesce(assumedRole, identity.arn) as principal, ' +
      // cache writes by TTL (Converse usage.cacheDetails, 1h before 5m): grouped on, so each
      // group's sums are of one TTL; "-" where a record has none, or it would leave the stats
      `coalesce(${CACHE_DETAILS}.0.ttl, "-") as ttl0, coalesce(${CACHE_DETAILS}.1.ttl, "-") as ttl1`,
    ...(list && list.length <= PRINCIPAL_LIST_BUDGET
      ? [`filter principal in [${list}]`]
      : []),
    'stats count(*) as calls, sum(input.inputTokenCount) as inputTokens, ' +
      'sum(output.outputTokenCount) as outputTokens, ' +
      'sum(input.cacheReadInputTokenCount) as cacheReadTokens, ' +
      'sum(input.cacheWriteInputTokenCount) as cacheWriteTokens, ' +
      `sum(${CACHE_DETAILS}.0.inputTokens) as ttlTokens0, ` +
      `sum(${CACHE_DETAILS}.1.inputTokens) as ttlTokens1, ` +
      // InvokeModel with Anthropic's Messages API reports 1-hour writes in its own usage shape
      'sum(output.outputBodyJson.usage.cache_creation.ephemeral_1h_input_tokens) as messagesTokens1h ' +
      'by principal, modelId, errorCode, ttl0, ttl1, bin(1h)',
  ].join('\n| ');
  if (query.length > MAX_QUERY_CHARS)
    throw new Error(`identity query of ${query.length} chars is too long`);
  return query;
}

const THROTTLING = /throttl/i;
const SERVER =
  /(InternalServer|ServiceUnavailable|ModelError|ModelNotReady|ModelTimeout)/i;

export type ErrorClass =
  | 'invocations'
  | 'throttles'
  | 'serverErrors'
  | 'clientErrors';

/** Success (no code), throttles, server errors or client errors, as the metrics count them. */
export function errorClassOf(code: string | undefined): ErrorClass {
  if (!code) return 'invocations';
  if (THROTTLING.test(code)) return 'throttles';
  if (SERVER.test(code)) return 'serverErrors';
  return 'clientErrors';
}

/** `2026-11-20 10:00:00.000` (UTC, as bin() answers) -> epoch ms. */
function binTime(value: string | undefined): number {
  if (!value) return NaN;
  const t = value.includes('T') ? value : `${value.replace(' ', 'T')}Z`;
  return Date.parse(t);
}

const num = (v: string | undefined) => {
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
};

/**
 * A result row's cache writes split by TTL: the 1-hour ones its `cacheDetails` (or Anthropic's
 * `cache_creation`) name, the rest of `cacheWriteInputTokenCount` at 5 minutes (also when a
 * record says nothing of its TTL). The two never add up to more than the writes counted.
 */
export function cacheWritesByTtl(f: Record<string, string | undefined>): {
  fiveMinute: number;
  oneHour: number;
} {
  const hour = (ttl: string | undefined, tokens: string | undefined) =>
    ttl === '1h' ? num(tokens) : 0;
  const oneHour =
    hour(f.ttl0, f.ttlTokens0) +
    hour(f.ttl1, f.ttlTokens1) +
    num(f.messagesTokens1h);
  const total = Math.max(num(f.cacheWriteTokens), oneHour);
  return { fiveMinute: total - oneHour, oneHour };
}

/**
 * Adds the result rows of one query into `rows` (keyed tenant|model|hour): callers are mapped
 * to tenants through their role, rows of other callers or outside `[from, to)` are dropped.
 * Sums add up, so the rows of several queries over parts of one window merge exactly.
 */
export function addResultRows(o: {
  results: ResultField[][];
  tenants: Tenant[];
  accountId: string;
  region: string;
  from: number;
  to: number;
  rows: Map<string, HourlyUsageRow>;
}): void {
  const byArn = new Map<string, Tenant>();
  for (const t of o.tenants)
    for (const arn of t.principalArns) byArn.set(withoutPath(arn), t);
  for (const fields of o.results) {
    const f: Record<string, string | undefined> = {};
    for (const x of fields) if (x.field) f[x.field] = x.value;
    if (f.calls === undefined) {
      // e.g. moto, which answers the matching events instead: never store that as no usage
      throw new Error(
        "Logs Insights answered rows without the query's stats (calls): the endpoint does not evaluate stats; in front of moto, use the Logs Insights stand-in of @bedrock-tenancy/aws-emulator",
      );
    }
    const tenant = f.principal ? byArn.get(roleArnOf(f.principal)) : undefined;
    const time = binTime(f['bin(1h)']);
    if (!tenant || !f.modelId || !Number.isFinite(time)) continue;
    const hour = floorHour(time);
    if (hour + HOUR_MS <= o.from || hour >= o.to) continue;
    const modelId = normalizeModelId(f.modelId, tenant.inferenceProfiles);
    const key = `${tenant.tenantId}|${modelId}|${iso(hour)}`;
    const row =
      o.rows.get(key) ??
      emptyUsageRow({
        tenantId: tenant.tenantId,
        accountId: o.accountId,
        region: o.region,
        modelId,
        hour: iso(hour),
      });
    row[errorClassOf(f.errorCode)] += num(f.calls);
    row.inputTokens += num(f.inputTokens);
    row.outputTokens += num(f.outputTokens);
    row.cacheReadTokens += num(f.cacheReadTokens);
    const { fiveMinute, oneHour } = cacheWritesByTtl(f);
    row.cacheWriteTokens += fiveMinute;
    row.cacheWrite1hTokens += oneHour;
    o.rows.set(key, row);
  }
}
