import {
  findPrice,
  IdleStatus,
  ModelUsage,
  PriceRow,
  Suggestion,
  UsageTotals,
} from '@bedrock-tenancy/plugin-bedrock-common';

/** A model is "expensive" from this output price (USD per 1K tokens): Sonnet, Opus, Mistral Large. */
export const EXPENSIVE_OUTPUT_PER_1K = 0.01;
export const MODEL_MIX_MIN_SHARE = 0.4;
export const SHORT_OUTPUT_TOKENS = 500;
export const THROTTLE_RATE = 0.01;
export const ERROR_RATE = 0.02;

const pct = (v: number) => `${Math.round(v * 100)}%`;

export function suggestionsFor(options: {
  idle: IdleStatus;
  totals: UsageTotals;
  models: ModelUsage[];
  prices: PriceRow[];
  region: string;
  today: string;
}): Suggestion[] {
  const { idle, totals, models } = options;
  const out: Suggestion[] = [];
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
