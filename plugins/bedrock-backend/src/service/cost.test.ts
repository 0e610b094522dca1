import { DEFAULT_PRICES } from '@bedrock-tenancy/plugin-bedrock-common';
import { HourlyUsageRow } from '../database/types';
import { budgetBlock, costBlock, findAnomaly } from './cost';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-20T12:30:00Z');
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

/** One row per day at 10:00 with `usd` dollars of Claude 3 Haiku input tokens ($0.00025 / 1K). */
function dayRow(daysAgo: number, usd: number, modelId = HAIKU): HourlyUsageRow {
  const d = new Date(NOW - daysAgo * DAY);
  d.setUTCHours(10, 0, 0, 0);
  return {
    tenantId: 't',
    accountId: '123456789012',
    region: 'us-east-1',
    modelId,
    hour: d.toISOString(),
    invocations: 1,
    inputTokens: Math.round((usd / 0.00025) * 1000),
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    clientErrors: 0,
    serverErrors: 0,
    throttles: 0,
    latencyAvgMs: null,
    latencyMaxMs: null,
    latencyP99Ms: null,
  };
}

describe('cost', () => {
  it('projects the month end from the trailing 7-day run rate', () => {
    const history = Array.from({ length: 22 }, (_, i) => dayRow(i, 10));
    const c = costBlock({
      prices: DEFAULT_PRICES,
      history,
      range: { from: NOW - 7 * DAY, to: NOW },
      now: NOW,
      billed: null,
      billedAsOf: null,
    });
    // Nov 1..20 at $10 a day
    expect(c.monthToDateUsd).toBeCloseTo(200, 6);
    // the 7 x 24 h before the end of the current hour hold 7 daily rows (days 0..6 at 10:00)
    expect(c.dailyRunRateUsd).toBeCloseTo(10, 6);
    const remainingDays = (Date.parse('2026-12-01T00:00:00Z') - NOW) / DAY;
    expect(c.projectedMonthEndUsd).toBeCloseTo(200 + 10 * remainingDays, 6);
    expect(c.anomaly).toBeNull();
    expect(c.unpricedModels).toEqual([]);
  });

  it('flags a day more than 3 standard deviations above the trailing 14 days', () => {
    const daily = new Map<string, number>();
    for (let i = 1; i <= 20; i++) {
      daily.set(
        new Date(NOW - i * DAY).toISOString().slice(0, 10),
        10 + (i % 2),
      );
    }
    expect(findAnomaly(daily, NOW)).toBeNull();
    daily.set(new Date(NOW - 3 * DAY).toISOString().slice(0, 10), 40);
    const a = findAnomaly(daily, NOW)!;
    expect(a.date).toBe('2026-11-17');
    expect(a.amountUsd).toBe(40);
    expect(a.baselineUsd).toBeCloseTo(10.5, 6);
    expect(a.score).toBeGreaterThan(3);
  });

  it('does not flag a statistically large but immaterial change', () => {
    const daily = new Map<string, number>();
    for (let i = 1; i <= 20; i++)
      daily.set(new Date(NOW - i * DAY).toISOString().slice(0, 10), 0.1);
    daily.set(new Date(NOW - 2 * DAY).toISOString().slice(0, 10), 0.5);
    expect(findAnomaly(daily, NOW)).toBeNull();
  });

  it('lists unpriced models and never prices them at $0', () => {
    const c = costBlock({
      prices: DEFAULT_PRICES,
      history: [dayRow(1, 5), dayRow(1, 5, 'cohere.command-r-v1:0')],
      range: { from: NOW - 7 * DAY, to: NOW },
      now: NOW,
      billed: { monthToDateUsd: 7, daily: [] },
      billedAsOf: '2026-11-20T00:00:00.000Z',
    });
    expect(c.unpricedModels).toEqual(['cohere.command-r-v1:0']);
    expect(c.rangeEstimatedUsd).toBeCloseTo(5, 6);
    expect(c.billed).toEqual({
      monthToDateUsd: 7,
      gapUsd: expect.closeTo(2, 6),
      asOf: '2026-11-20T00:00:00.000Z',
    });
  });

  it('says what the estimate assumes and what it cannot see', () => {
    const c = costBlock({
      prices: DEFAULT_PRICES,
      history: [dayRow(1, 5)],
      range: { from: NOW - 7 * DAY, to: NOW },
      now: NOW,
      billed: null,
      billedAsOf: null,
    });
    const assumed = c.assumptions.join('\n');
    expect(assumed).toMatch(/5-minute rate \(1\.25x input\)/);
    expect(assumed).toMatch(/1-hour writes \(2x input\)/);
    expect(assumed).toMatch(/global cross-Region profile.*10% higher/);
    expect(assumed).toMatch(/service tier/);
    const unseen = c.excludes.join('\n');
    expect(unseen).toMatch(/OpenAI-compatible bedrock-mantle endpoint/);
    expect(unseen).toMatch(/batch inference/);
    expect(unseen).toMatch(/provisioned throughput/);
  });

  it('computes the budget run-out date and the thresholds crossed', () => {
    const b = budgetBlock(
      {
        name: 'b',
        limitUsd: 300,
        actualSpendUsd: 250,
        forecastedSpendUsd: null,
        notifications: [
          { percent: 100, type: 'FORECASTED' },
          { percent: 80, type: 'ACTUAL' },
        ],
      },
      10,
      NOW,
    );
    expect(b.usedFraction).toBeCloseTo(250 / 300, 9);
    expect(b.runsOutOn).toBe('2026-11-25');
    expect(b.thresholds).toEqual([
      { percent: 80, type: 'ACTUAL', crossed: true },
      { percent: 100, type: 'FORECASTED', crossed: true },
    ]);
    expect(
      budgetBlock(
        {
          ...b,
          name: 'b',
          notifications: [],
          limitUsd: 1000,
          actualSpendUsd: 100,
          forecastedSpendUsd: null,
        },
        10,
        NOW,
      ).runsOutOn,
    ).toBeNull();
  });
});
