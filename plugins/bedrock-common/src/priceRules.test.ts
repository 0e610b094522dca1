import { modelDisplayName, normalizeModelId } from './models';
import {
  CACHE_WRITE_ASSUMPTION,
  DEFAULT_PRICES,
  findPrice,
  priceTokens,
  TokenCounts,
} from './prices';

/**
 * One test per pricing rule. Every expected figure is worked out by hand from the public list
 * prices (USD per million tokens), never by the functions under test.
 */
const M = 1_000_000;

/** Cost of `tokens` used through the model identifier `raw` (as CloudWatch or a log reports it). */
function cost(
  raw: string,
  tokens: Partial<TokenCounts>,
  options: {
    region?: string;
    day?: string;
    profiles?: Record<string, string>;
  } = {},
): number | undefined {
  const price = findPrice(
    DEFAULT_PRICES,
    normalizeModelId(raw, options.profiles),
    options.region ?? 'us-east-1',
    options.day ?? '2026-11-20',
  );
  return price
    ? priceTokens(price, { inputTokens: 0, outputTokens: 0, ...tokens })
    : undefined;
}

const SONNET_45 = 'anthropic.claude-sonnet-4-5-20250929-v1:0';

describe('price rules', () => {
  it('prices Claude Sonnet 4.5 through the global profile at list price and regional or geo use 10% higher', () => {
    const tokens = { inputTokens: M, outputTokens: 200_000 };
    // global: 1M x $3/M + 0.2M x $15/M = 3.00 + 3.00
    expect(cost(`global.${SONNET_45}`, tokens)).toBeCloseTo(6.0, 9);
    expect(
      cost(
        `arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.${SONNET_45}`,
        tokens,
      ),
    ).toBeCloseTo(6.0, 9);
    // an application profile copied from the global profile keeps its scope
    expect(
      cost('a1b2c3d4e5f6', tokens, {
        profiles: { a1b2c3d4e5f6: `global.${SONNET_45}` },
      }),
    ).toBeCloseTo(6.0, 9);
    // regional and geo: 1M x $3.30/M + 0.2M x $16.50/M = 3.30 + 3.30
    expect(cost(SONNET_45, tokens)).toBeCloseTo(6.6, 9);
    expect(cost(`us.${SONNET_45}`, tokens)).toBeCloseTo(6.6, 9);
    expect(
      cost(`eu.${SONNET_45}`, tokens, { region: 'eu-west-1' }),
    ).toBeCloseTo(6.6, 9);
    // the two are different rows, so usage keeps them apart
    expect(normalizeModelId(`us.${SONNET_45}`)).toBe(SONNET_45);
    expect(normalizeModelId(`global.${SONNET_45}`)).toBe(`global.${SONNET_45}`);
  });

  it('applies the regional premium to the models released after Sonnet 4.5', () => {
    // Haiku 4.5, 1M input: $1.00 global, $1.10 geo
    const haiku = 'anthropic.claude-haiku-4-5-20251001-v1:0';
    expect(cost(`global.${haiku}`, { inputTokens: M })).toBeCloseTo(1.0, 9);
    expect(cost(`us.${haiku}`, { inputTokens: M })).toBeCloseTo(1.1, 9);
    // Sonnet 4.6, 1M output: $15.00 global, $16.50 in-Region
    expect(
      cost('global.anthropic.claude-sonnet-4-6', { outputTokens: M }),
    ).toBeCloseTo(15.0, 9);
    expect(
      cost('anthropic.claude-sonnet-4-6', { outputTokens: M }),
    ).toBeCloseTo(16.5, 9);
    // Opus 4.5, 1M input: $5.00 global, $5.50 geo
    const opus45 = 'anthropic.claude-opus-4-5-20251101-v1:0';
    expect(cost(`global.${opus45}`, { inputTokens: M })).toBeCloseTo(5.0, 9);
    expect(cost(`us.${opus45}`, { inputTokens: M })).toBeCloseTo(5.5, 9);
  });

  it('keeps one price for models before Sonnet 4.5, whatever the endpoint', () => {
    // Sonnet 4, 1M input: $3.00 through the global profile, a geo profile or in-Region
    const sonnet4 = 'anthropic.claude-sonnet-4-20250514-v1:0';
    expect(cost(`global.${sonnet4}`, { inputTokens: M })).toBeCloseTo(3.0, 9);
    expect(cost(`us.${sonnet4}`, { inputTokens: M })).toBeCloseTo(3.0, 9);
    expect(cost(sonnet4, { inputTokens: M })).toBeCloseTo(3.0, 9);
    // Claude 3 Haiku through the us. profile: 1M input x $0.25/M
    expect(
      cost('us.anthropic.claude-3-haiku-20240307-v1:0', { inputTokens: M }),
    ).toBeCloseTo(0.25, 9);
  });

  it('never prices global traffic with a regional row', () => {
    // Nova Pro has a regional row only: its global traffic is unpriced, not guessed
    expect(cost('amazon.nova-pro-v1:0', { inputTokens: M })).toBeCloseTo(
      0.8,
      9,
    );
    expect(
      cost('global.amazon.nova-pro-v1:0', { inputTokens: M }),
    ).toBeUndefined();
  });

  it('matches Claude Opus 4.6 and later', () => {
    // Opus 4.6, 1M input + 1M output: 5.50 + 27.50 regional, 5.00 + 25.00 global
    const opus46 = 'anthropic.claude-opus-4-6-v1';
    const tokens = { inputTokens: M, outputTokens: M };
    expect(cost(opus46, tokens)).toBeCloseTo(33.0, 9);
    expect(cost(`us.${opus46}`, tokens)).toBeCloseTo(33.0, 9);
    expect(cost(`global.${opus46}`, tokens)).toBeCloseTo(30.0, 9);
    expect(
      cost('global.anthropic.claude-opus-4-7', { inputTokens: M }),
    ).toBeCloseTo(5.0, 9);
    expect(cost('anthropic.claude-opus-4-8', { outputTokens: M })).toBeCloseTo(
      27.5,
      9,
    );
    // Opus 4.1 keeps its own price: 1M input x $15/M
    expect(
      cost('anthropic.claude-opus-4-1-20250805-v1:0', { inputTokens: M }),
    ).toBeCloseTo(15.0, 9);
    expect(modelDisplayName(`global.${opus46}`)).toBe(
      'Claude Opus 4.6 (global)',
    );
    expect(modelDisplayName(opus46)).toBe('Claude Opus 4.6');
  });

  it('prices a 1-hour cache write at 2x input and a 5-minute write at 1.25x', () => {
    // Sonnet 4.5 global, input $3/M: 5-minute write $3.75/M, 1-hour $6/M, read $0.30/M
    expect(cost(`global.${SONNET_45}`, { cacheWriteTokens: M })).toBeCloseTo(
      3.75,
      9,
    );
    expect(cost(`global.${SONNET_45}`, { cacheWrite1hTokens: M })).toBeCloseTo(
      6.0,
      9,
    );
    expect(cost(`global.${SONNET_45}`, { cacheReadTokens: M })).toBeCloseTo(
      0.3,
      9,
    );
    // regional, input $3.30/M: 5-minute $4.125/M, 1-hour $6.60/M, read $0.33/M
    expect(cost(`us.${SONNET_45}`, { cacheWriteTokens: M })).toBeCloseTo(
      4.125,
      9,
    );
    expect(cost(`us.${SONNET_45}`, { cacheWrite1hTokens: M })).toBeCloseTo(
      6.6,
      9,
    );
    expect(cost(`us.${SONNET_45}`, { cacheReadTokens: M })).toBeCloseTo(
      0.33,
      9,
    );
    // Claude 3 Haiku, input $0.25/M: 0.5M 5-minute + 0.5M 1-hour = 0.15625 + 0.25
    expect(
      cost('anthropic.claude-3-haiku-20240307-v1:0', {
        cacheWriteTokens: 500_000,
        cacheWrite1hTokens: 500_000,
      }),
    ).toBeCloseTo(0.40625, 9);
    // CloudWatch counts writes without their TTL: the estimate says it assumes 5 minutes
    expect(CACHE_WRITE_ASSUMPTION).toMatch(/5-minute rate \(1\.25x input\)/);
    expect(CACHE_WRITE_ASSUMPTION).toMatch(/1-hour writes \(2x input\)/);
  });

  it('applies the endpoint rows from the day Sonnet 4.5 reached Bedrock, and every row names its source', () => {
    expect(
      cost(`global.${SONNET_45}`, { inputTokens: M }, { day: '2025-09-28' }),
    ).toBeUndefined();
    expect(
      cost(`global.${SONNET_45}`, { inputTokens: M }, { day: '2025-09-29' }),
    ).toBeCloseTo(3.0, 9);
    for (const row of DEFAULT_PRICES) {
      expect(row.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(row.source).toMatch(/\w+\.\w+/);
    }
    const sources = DEFAULT_PRICES.filter(
      r => r.model.startsWith('global.anthropic.claude-sonnet-4-5') && !r.tier,
    ).map(r => r.source);
    expect(sources).toEqual([
      expect.stringContaining('global-cross-region-inference'),
    ]);
  });
});
