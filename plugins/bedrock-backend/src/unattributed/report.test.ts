/**
 * The admin report and the export's rows priced by hand: Claude 3 Haiku USD 0.00025 / 0.00125 and
 * Nova Pro USD 0.0008 / 0.0032 per 1K input / output tokens; the orphan profile unpriced.
 */
import type { PriceRow } from '@bedrock-tenancy/plugin-bedrock-common';
import {
  accountUsageRow,
  ACCOUNT,
  HAIKU,
  NOVA_PRO,
  REGION,
} from '../__testUtils__/accountUsage';
import { chargebackUnattributed, unattributedReport } from './report';

const PRICES: PriceRow[] = [
  {
    model: HAIKU,
    region: '*',
    inputPer1k: 0.00025,
    outputPer1k: 0.00125,
    effectiveFrom: '2025-01-01',
    source: 'test',
  },
  {
    model: NOVA_PRO,
    region: '*',
    inputPer1k: 0.0008,
    outputPer1k: 0.0032,
    effectiveFrom: '2025-01-01',
    source: 'test',
  },
];
const DAY = '2026-12-01T00:00:00.000Z';

/** The day of attribution.test.ts's hour. */
const ROWS = [
  accountUsageRow({
    modelId: HAIKU,
    hour: DAY,
    account: { invocations: 18, inputTokens: 1_800_000, outputTokens: 360_000 },
    attributed: { invocations: 9, inputTokens: 900_000, outputTokens: 210_000 },
    unattributed: {
      invocations: 9,
      inputTokens: 900_000,
      outputTokens: 150_000,
    },
  }),
  accountUsageRow({
    modelId: 'aiporphan',
    hour: DAY,
    account: { invocations: 7, inputTokens: 700_000, outputTokens: 70_000 },
    unattributed: {
      invocations: 7,
      inputTokens: 700_000,
      outputTokens: 70_000,
    },
  }),
  accountUsageRow({
    modelId: NOVA_PRO,
    hour: DAY,
    account: { invocations: 4, inputTokens: 400_000, outputTokens: 40_000 },
    attributed: { invocations: 5, inputTokens: 500_000, outputTokens: 10_000 },
    unattributed: { outputTokens: 30_000 },
  }),
];

const report = () =>
  unattributedReport({
    rows: ROWS,
    states: [
      {
        accountId: ACCOUNT,
        region: REGION,
        watermark: '2026-12-02T00:00:00.000Z',
        lastCollectedAt: '2026-12-02T00:05:00.000Z',
        lastError: null,
      },
    ],
    prices: PRICES,
    range: {
      from: Date.parse(DAY),
      to: Date.parse('2026-12-02T00:00:00.000Z'),
    },
  });

describe('unattributedReport', () => {
  it('prices each side with the tenants pricing: hand-written dollars', () => {
    const [p] = report().accountRegions;
    expect(p).toMatchObject({
      accountId: ACCOUNT,
      region: REGION,
      collectedTo: '2026-12-02T00:00:00.000Z',
      partial: true,
      unpricedModels: ['aiporphan'],
      overAttributedTokens: 100_000,
    });
    // Haiku 1,800 x 0.00025 + 360 x 0.00125 = 0.90; Nova Pro 400 x 0.0008 + 40 x 0.0032 = 0.448
    expect(p.account.estimatedCostUsd).toBeCloseTo(1.348, 10);
    // Haiku 900 x 0.00025 + 210 x 0.00125 = 0.4875; Nova Pro 500 x 0.0008 + 10 x 0.0032 = 0.432
    expect(p.attributed.estimatedCostUsd).toBeCloseTo(0.9195, 10);
    // Haiku 900 x 0.00025 + 150 x 0.00125 = 0.4125; Nova Pro 30 x 0.0032 = 0.096
    expect(p.unattributed.estimatedCostUsd).toBeCloseTo(0.5085, 10);
    expect(p.unattributed).toMatchObject({
      invocations: 16,
      inputTokens: 1_600_000,
      outputTokens: 250_000,
    });
    // the clamp is the whole difference: 100,000 Nova Pro input tokens, USD 0.08
    expect(
      p.attributed.estimatedCostUsd +
        p.unattributed.estimatedCostUsd -
        p.account.estimatedCostUsd,
    ).toBeCloseTo(0.08, 10);
    const orphan = p.models.find(m => m.modelId === 'aiporphan')!;
    expect(orphan.priced).toBe(false);
    expect(orphan.unattributed.estimatedCostUsd).toBe(0);
    // the most unattributed cost first
    expect(p.models.map(m => m.modelId)).toEqual([
      HAIKU,
      NOVA_PRO,
      'aiporphan',
    ]);
  });

  it('lists an account-region collected but without usage, with zeros', () => {
    const r = unattributedReport({
      rows: [],
      states: [
        {
          accountId: ACCOUNT,
          region: 'eu-west-1',
          watermark: null,
          lastCollectedAt: null,
          lastError: 'AccessDenied: no',
        },
      ],
      prices: PRICES,
      range: { from: 0, to: 3_600_000 },
    });
    expect(r.accountRegions).toEqual([
      expect.objectContaining({
        region: 'eu-west-1',
        lastError: 'AccessDenied: no',
        partial: false,
        models: [],
      }),
    ]);
  });
});

describe('chargebackUnattributed', () => {
  it('gives one row per account-region: unattributed usage, its priced part, unpriced models as null', () => {
    const [u] = chargebackUnattributed(report());
    expect(u).toMatchObject({
      accountId: ACCOUNT,
      region: REGION,
      invocations: 16,
      inputTokens: 1_600_000,
      outputTokens: 250_000,
      costComplete: false,
      overAttributedTokens: 100_000,
      account: {
        invocations: 29,
        inputTokens: 2_900_000,
        outputTokens: 470_000,
      },
    });
    expect(u.estimatedCostUsd).toBeCloseTo(0.5085, 10);
    expect(u.account.estimatedCostUsd).toBeCloseTo(1.348, 10);
    expect(u.models).toEqual([
      expect.objectContaining({ modelId: HAIKU, estimatedCostUsd: 0.4125 }),
      expect.objectContaining({
        modelId: NOVA_PRO,
        inputTokens: 0,
        outputTokens: 30_000,
      }),
      expect.objectContaining({ modelId: 'aiporphan', estimatedCostUsd: null }),
    ]);
    expect(u.models[1].estimatedCostUsd).toBeCloseTo(0.096, 10);
  });
});
