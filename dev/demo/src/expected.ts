import { normalizeModelId } from '@bedrock-tenancy/plugin-bedrock-common';
import { IDENTITY_LOG_DAYS } from './seed';
import type { DemoModel, DemoTenant } from './tenants';
import { hourlyUsage, HourUsage } from './traffic';

export interface SeededTotals {
  invocations: number;
  inputTokens: number;
  outputTokens: number;
  clientErrors: number;
  serverErrors: number;
  throttles: number;
}

const HOUR = 3_600_000;

/**
 * The hours of a model's traffic that the seed made visible to a collector between `from`
 * (inclusive) and `to` (exclusive): identity-attributed traffic exists only as invocation logs,
 * which cover the last IDENTITY_LOG_DAYS days and carry no error or throttle counts.
 */
export function seededHours(
  tenant: DemoTenant,
  model: DemoModel,
  anchor: Date,
  from: Date,
  to: Date,
): HourUsage[] {
  const logsFrom = anchor.getTime() - IDENTITY_LOG_DAYS * 24 * HOUR;
  return hourlyUsage(tenant, model, anchor)
    .filter(h => h.time >= from && h.time < to)
    .filter(
      h => tenant.attribution !== 'identity' || h.time.getTime() >= logsFrom,
    )
    .map(h =>
      tenant.attribution === 'identity'
        ? { ...h, clientErrors: 0, serverErrors: 0, throttles: 0 }
        : h,
    );
}

/** What the seed wrote for a tenant in [from, to), per base model id. For tests that check exact figures. */
export function seededTotalsByModel(
  tenant: DemoTenant,
  anchor: Date,
  from: Date,
  to: Date,
): Record<string, SeededTotals> {
  const out: Record<string, SeededTotals> = {};
  for (const model of tenant.models) {
    const sum = (out[normalizeModelId(model.modelId)] ??= {
      invocations: 0,
      inputTokens: 0,
      outputTokens: 0,
      clientErrors: 0,
      serverErrors: 0,
      throttles: 0,
    });
    for (const h of seededHours(tenant, model, anchor, from, to)) {
      for (const key of Object.keys(sum) as Array<keyof SeededTotals>)
        sum[key] += h[key];
    }
  }
  return out;
}

/** The seeded time to first token of a model in [from, to): by-hand figures for tests. */
export interface SeededTtft {
  /** streaming requests: the SampleCount of TimeToFirstToken */
  streamingRequests: number;
  /** mean over those requests (each hour weighted by its requests); null without any */
  ttftAvgMs: number | null;
}

/**
 * What the seed wrote as `TimeToFirstToken` for a tenant in [from, to), per base model id.
 * Identity-attributed tenants have none: invocation logs carry no time to first token.
 */
export function seededTtftByModel(
  tenant: DemoTenant,
  anchor: Date,
  from: Date,
  to: Date,
): Record<string, SeededTtft> {
  const sums: Record<string, { requests: number; ms: number }> = {};
  for (const model of tenant.models) {
    const sum = (sums[normalizeModelId(model.modelId)] ??= {
      requests: 0,
      ms: 0,
    });
    if (tenant.attribution === 'identity') continue;
    for (const h of seededHours(tenant, model, anchor, from, to)) {
      sum.requests += h.streamingRequests;
      sum.ms += h.streamingRequests * h.ttftMs;
    }
  }
  return Object.fromEntries(
    Object.entries(sums).map(([model, s]) => [
      model,
      {
        streamingRequests: s.requests,
        ttftAvgMs: s.requests ? s.ms / s.requests : null,
      },
    ]),
  );
}
