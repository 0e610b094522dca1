import { DEFAULT_PRICES } from '@bedrock-tenancy/plugin-bedrock-common';
import { emptyUsageRow, HourlyUsageRow } from '../database/types';
import { regionsOf } from './regions';

// By hand, USD per 1K tokens: Claude 3 Haiku $0.00025 in / $0.00125 out everywhere; Nova Pro
// $0.0008 in / $0.0032 out, and in this test's table $0.001 in / $0.004 out in us-west-2.
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA_PRO = 'amazon.nova-pro-v1:0';
const UNPRICED = 'cohere.command-r-v1:0';
const PRICES = [
  ...DEFAULT_PRICES,
  {
    model: NOVA_PRO,
    region: 'us-west-2',
    inputPer1k: 0.001,
    outputPer1k: 0.004,
    effectiveFrom: '2025-01-01',
    source: 'test: a dearer region',
  },
];

const row = (
  region: string,
  hour: string,
  modelId: string,
  counts: Partial<HourlyUsageRow>,
): HourlyUsageRow => ({
  ...emptyUsageRow({
    tenantId: 't',
    accountId: '123456789012',
    region,
    modelId,
    hour,
  }),
  ...counts,
});

describe('regionsOf', () => {
  it('sums each region and each model in it, priced at that region', () => {
    const regions = regionsOf(PRICES, [
      // us-east-1: haiku 1,000,000 in + 200,000 out = $0.25 + $0.25; nova 100,000 in = $0.08
      row('us-east-1', '2026-11-20T10:00:00.000Z', HAIKU, {
        invocations: 40,
        inputTokens: 600_000,
        outputTokens: 200_000,
        clientErrors: 2,
      }),
      row('us-east-1', '2026-11-20T11:00:00.000Z', HAIKU, {
        invocations: 60,
        inputTokens: 400_000,
        throttles: 3,
      }),
      row('us-east-1', '2026-11-20T10:00:00.000Z', NOVA_PRO, {
        invocations: 10,
        inputTokens: 100_000,
      }),
      // us-west-2: nova 100,000 in + 50,000 out = $0.10 + $0.20 (the dearer region)
      row('us-west-2', '2026-11-20T10:00:00.000Z', NOVA_PRO, {
        invocations: 7,
        inputTokens: 100_000,
        outputTokens: 50_000,
        serverErrors: 1,
      }),
    ]);
    expect(regions).toEqual([
      {
        region: 'us-east-1',
        invocations: 110,
        inputTokens: 1_100_000,
        outputTokens: 200_000,
        clientErrors: 2,
        serverErrors: 0,
        throttles: 3,
        estimatedCostUsd: expect.closeTo(0.58, 9),
        models: [
          {
            modelId: HAIKU,
            invocations: 100,
            inputTokens: 1_000_000,
            outputTokens: 200_000,
            estimatedCostUsd: expect.closeTo(0.5, 9),
          },
          {
            modelId: NOVA_PRO,
            invocations: 10,
            inputTokens: 100_000,
            outputTokens: 0,
            estimatedCostUsd: expect.closeTo(0.08, 9),
          },
        ],
      },
      {
        region: 'us-west-2',
        invocations: 7,
        inputTokens: 100_000,
        outputTokens: 50_000,
        clientErrors: 0,
        serverErrors: 1,
        throttles: 0,
        estimatedCostUsd: expect.closeTo(0.3, 9),
        models: [
          {
            modelId: NOVA_PRO,
            invocations: 7,
            inputTokens: 100_000,
            outputTokens: 50_000,
            estimatedCostUsd: expect.closeTo(0.3, 9),
          },
        ],
      },
    ]);
  });

  it('marks a region with unpriced traffic unpriced (null, never $0), its priced models still priced', () => {
    const [west] = regionsOf(PRICES, [
      row('us-west-2', '2026-11-20T10:00:00.000Z', HAIKU, {
        invocations: 1,
        outputTokens: 1_000, // $0.00125
      }),
      row('us-west-2', '2026-11-20T10:00:00.000Z', UNPRICED, {
        invocations: 3,
        inputTokens: 500,
      }),
    ]);
    expect(west.estimatedCostUsd).toBeNull();
    expect(west.models.map(m => [m.modelId, m.estimatedCostUsd])).toEqual([
      [HAIKU, expect.closeTo(0.00125, 12)],
      [UNPRICED, null],
    ]);
  });

  it('is empty without rows', () => {
    expect(regionsOf(PRICES, [])).toEqual([]);
  });
});
