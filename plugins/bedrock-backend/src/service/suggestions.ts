import {
  findPrice,
  IdleStatus,
  ModelUsage,
  PriceRow,
  priceTokens,
  splitServiceTier,
  Suggestion,
  UsageTotals,
} from '@bedrock-tenancy/plugin-bedrock-common';

/** A model is "expensive" from this output price (USD per 1K tokens): Sonnet, Opus, Mistral Large. */
export const EXPENSIVE_OUTPUT_PER_1K = 0.01;
export const MODEL_MIX_MIN_SHARE = 0.4;
export const SHORT_OUTPUT_TOKENS = 500;
export const THROTTLE_RATE = 0.01;
export const ERROR_RATE = 0.02;

/**
 * Flex is suggested for a model whose calls mostly do not stream (background work that may
 * tolerate Flex's longer latency), and only when the range would have cost at least this much less.
 */
export const FLEX_MIN_NON_STREAMING = 0.8;
export const FLEX_MIN_SAVING_USD = 1;

const pct = (v: number) => `${Math.round(v * 100)}%`;
const usd = (v: number) => `USD ${v.toFixed(2)}`;

export function suggestionsFor(options: {
  idle: IdleStatus;
  totals: UsageTotals;
  models: ModelUsage[];
  prices: PriceRow[];
  region: string;
  today: string;
  /** streaming is measured (CloudWatch); invocation logs carry none, so no Flex advice there */
  streamingMeasured: boolean;
}): Suggestion[] {
  const { idle, totals, models } = options;
  const out: Suggestion[] = [];
  if (options.streamingMeasured) out.push(...flexSuggestions(options));
  if (idle.idle) {
    out.push({
      kind: 'suspend-idle',
      message: idle.lastInvocationAt
        ? `No invocations since ${idle.lastInvocationAt.slice(0, 10)} (over ${
            idle.thresholdDays
          } days): consider suspending this tenant and removing its inference profiles.`
        : `No invocations recorded in the last ${idle.thresholdDays} days: consider suspending this tenant.`,
    });
  }
  for (const m of models) {
    const price = findPrice(
      options.prices,
      m.modelId,
      options.region,
      options.today,
    );
    if (!price || price.outputPer1k < EXPENSIVE_OUTPUT_PER_1K || !m.invocations)
      continue;
    const avgOut = m.outputTokens / m.invocations;
    if (
      (m.costShare ?? 0) >= MODEL_MIX_MIN_SHARE &&
      avgOut < SHORT_OUTPUT_TOKENS
    ) {
      out.push({
        kind: 'model-mix',
        message: `${m.displayName} carries ${pct(
          m.costShare!,
        )} of the estimated cost with short outputs (${Math.round(
          avgOut,
        )} tokens per call on average): a smaller model (e.g. Claude 3.5 Haiku or Nova Lite) may serve these calls for a fraction of the price.`,
      });
    }
  }
  const attempts = totals.invocations + totals.throttles;
  if (attempts > 0 && totals.throttles / attempts > THROTTLE_RATE) {
    out.push({
      kind: 'throttling',
      message: `${pct(
        totals.throttles / attempts,
      )} of calls were throttled: request a quota increase, retry with backoff, or use a cross-region inference profile.`,
    });
  }
  if (totals.errorRate !== null && totals.errorRate > ERROR_RATE) {
    out.push({
      kind: 'errors',
      message: `${pct(totals.errorRate)} of calls failed (${
        totals.clientErrors
      } client, ${
        totals.serverErrors
      } server errors): check the alarms and the callers' request validation.`,
    });
  }
  return out;
}

/**
 * What Flex would have saved: a Standard-tier model with a Flex price whose calls mostly do not
 * stream, its range's tokens priced at today's Standard and Flex rows.
 */
function flexSuggestions(options: {
  models: ModelUsage[];
  prices: PriceRow[];
  region: string;
  today: string;
}): Suggestion[] {
  const out: Suggestion[] = [];
  for (const m of options.models) {
    const { tier } = splitServiceTier(m.modelId);
    if (tier !== 'standard' || !m.invocations) continue;
    const at = (id: string) =>
      findPrice(options.prices, id, options.region, options.today);
    const standard = at(m.modelId);
    const flex = at(`${m.modelId}+flex`);
    if (!standard || !flex) continue;
    const nonStreaming =
      1 - Math.min(m.streamingRequests, m.invocations) / m.invocations;
    if (nonStreaming < FLEX_MIN_NON_STREAMING) continue;
    const now = priceTokens(standard, m);
    const onFlex = priceTokens(flex, m);
    if (now - onFlex < FLEX_MIN_SAVING_USD) continue;
    out.push({
      kind: 'flex-tier',
      message: `${m.displayName}: ${pct(
        nonStreaming,
      )} of calls do not stream. If they tolerate longer latency, the Flex tier would have cost ${usd(
        onFlex,
      )} instead of ${usd(now)} for this range (${usd(
        now - onFlex,
      )} less, at today's prices). Send them with service_tier "flex".`,
    });
  }
  return out;
}
