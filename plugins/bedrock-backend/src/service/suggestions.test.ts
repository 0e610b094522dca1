import {
  DEFAULT_PRICES,
  ModelUsage,
  PriceRow,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { suggestionsFor } from './suggestions';

const NOVA_PRO = 'amazon.nova-pro-v1:0';
// an operator's Flex row for Nova Pro: half the Standard USD 0.0008 / 0.0032 per 1K tokens
const FLEX: PriceRow = {
  model: NOVA_PRO,
  region: '*',
  tier: 'flex',
  inputPer1k: 0.0004,
  outputPer1k: 0.0016,
  effectiveFrom: '2026-01-01',
  source: 'test',
};
const PRICES = [...DEFAULT_PRICES, FLEX];

function model(over: Partial<ModelUsage> = {}): ModelUsage {
  return {
    modelId: NOVA_PRO,
    displayName: 'Nova Pro',
    invocations: 1000,
    inputTokens: 10_000_000,
    outputTokens: 1_000_000,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    clientErrors: 0,
    serverErrors: 0,
    throttles: 0,
    errorRate: 0,
    latencyAvgMs: null,
    latencyMaxMs: null,
    latencyP99Ms: null,
    streamingRequests: 100,
    ttftAvgMs: null,
    ttftP99Ms: null,
    estimatedCostUsd: 11.2,
    priced: true,
    costShare: 0.1,
    ...over,
  };
}

const flexAdvice = (
  models: ModelUsage[],
  o: { prices?: PriceRow[]; streamingMeasured?: boolean } = {},
) =>
  suggestionsFor({
    idle: { idle: false, lastInvocationAt: null, thresholdDays: 14 },
    totals: model(),
    models,
    prices: o.prices ?? PRICES,
    region: 'us-east-1',
    today: '2026-11-20',
    streamingMeasured: o.streamingMeasured ?? true,
  }).filter(s => s.kind === 'flex-tier');

describe('the Flex suggestion', () => {
  it('says what Flex would have saved on mostly non-streaming Standard traffic, to the cent', () => {
    // Standard: 10,000 x 0.0008 + 1,000 x 0.0032 = 8.00 + 3.20 = 11.20
    // Flex:     10,000 x 0.0004 + 1,000 x 0.0016 = 4.00 + 1.60 =  5.60
    const [advice, ...rest] = flexAdvice([model()]);
    expect(rest).toEqual([]);
    expect(advice.message).toBe(
      'Nova Pro: 90% of calls do not stream. If they tolerate longer latency, the Flex tier would have cost USD 5.60 instead of USD 11.20 for this range (USD 5.60 less, at today\'s prices). Send them with service_tier "flex".',
    );
  });

  it('says nothing for interactive (streaming) traffic, traffic already on Flex, a model without a Flex price, a saving under USD 1, or a tenant whose streaming is not measured', () => {
    // 30% of calls stream: interactive
    expect(flexAdvice([model({ streamingRequests: 300 })])).toEqual([]);
    // exactly 80% do not stream: suggested
    expect(flexAdvice([model({ streamingRequests: 200 })])).toHaveLength(1);
    expect(
      flexAdvice([
        model({ modelId: `${NOVA_PRO}+flex`, streamingRequests: 0 }),
      ]),
    ).toEqual([]);
    expect(flexAdvice([model()], { prices: DEFAULT_PRICES })).toEqual([]);
    // 1,000 x 0.0004 + 100 x 0.0016 = USD 0.56 saved: too little to mention
    expect(
      flexAdvice([model({ inputTokens: 1_000_000, outputTokens: 100_000 })]),
    ).toEqual([]);
    // invocation-log tenants report no streaming: every call would look latency-tolerant
    expect(flexAdvice([model()], { streamingMeasured: false })).toEqual([]);
  });
});
