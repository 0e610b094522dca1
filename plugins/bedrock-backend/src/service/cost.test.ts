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
    cacheWrite1hTokens: 0,
    clientErrors: 0,
    serverErrors: 0,
    throttles: 0,
    latencyAvgMs: null,
    latencyMaxMs: null,
    latencyP99Ms: null,
    ttftAvgMs: null,
    ttftRequests: 0,
    ttftP99Ms: null,
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

describe('costBlock, every figure by hand', () => {
  // Claude 3 Haiku: $0.00025 in, $0.00125 out, $0.000025 cache read, $0.0003125 cache write
  // per 1K tokens; Amazon Nova Pro: $0.0008 in, $0.0032 out.
  const row = (
    hour: string,
    counts: Partial<HourlyUsageRow>,
    modelId = HAIKU,
  ): HourlyUsageRow => ({
    ...dayRow(0, 0, modelId),
    hour,
    invocations: 1,
    inputTokens: 0,
    ...counts,
  });
  const history = [
    row('2026-10-31T23:00:00.000Z', { inputTokens: 4_000_000 }), // $1, last month
    row('2026-11-01T00:00:00.000Z', { outputTokens: 800_000 }), // $1, first hour of the month
    row('2026-11-13T12:00:00.000Z', { inputTokens: 4_000_000 }), // $1, just before the run-rate week
    row('2026-11-13T13:00:00.000Z', { inputTokens: 8_000_000 }), // $2, first hour of the run-rate week
    row(
      '2026-11-19T12:00:00.000Z',
      { outputTokens: 312_500 },
      'amazon.nova-pro-v1:0',
    ), // $1, just before the range
    row('2026-11-19T13:00:00.000Z', { cacheReadTokens: 40_000_000 }), // $1, first hour of the range
    row('2026-11-20T11:00:00.000Z', { cacheWriteTokens: 3_200_000 }), // $1, last hour of the range
    row('2026-11-20T12:00:00.000Z', { inputTokens: 4_000_000 }), // $1, the range's end (excluded)
    // unpriced traffic in the range, unpriced traffic before it, an unpriced model without traffic
    row('2026-11-20T10:00:00.000Z', {}, 'cohere.command-r-v1:0'),
    // unpriced rows with a single kind of token are traffic too
    row(
      '2026-11-20T09:00:00.000Z',
      { invocations: 0, outputTokens: 1 },
      'x.out-v1:0',
    ),
    row(
      '2026-11-20T09:00:00.000Z',
      { invocations: 0, cacheReadTokens: 1 },
      'x.read-v1:0',
    ),
    row(
      '2026-11-20T09:00:00.000Z',
      { invocations: 0, cacheWriteTokens: 1 },
      'x.write-v1:0',
    ),
    row(
      '2026-11-20T09:00:00.000Z',
      { invocations: 0, inputTokens: 1 },
      'a.in-v1:0',
    ),
    row('2026-11-18T10:00:00.000Z', {}, 'cohere.command-r-plus-v1:0'),
    row('2026-11-20T10:00:00.000Z', { invocations: 0 }, 'ai21.jamba-v1:0'),
  ];
  const range = {
    from: Date.parse('2026-11-19T13:00:00.000Z'),
    to: Date.parse('2026-11-20T12:00:00.000Z'),
  };

  it('prices the range, the month to date, the run rate and each day', () => {
    const c = costBlock({
      prices: DEFAULT_PRICES,
      history,
      range,
      now: NOW,
      billed: {
        monthToDateUsd: 9,
        daily: [{ date: '2026-11-13', usd: 2.5 }],
      },
      billedAsOf: null,
    });
    expect(c.currency).toBe('USD');
    expect(c.rangeEstimatedUsd).toBeCloseTo(2, 9);
    expect(c.monthToDateUsd).toBeCloseTo(8, 9);
    // the 7 x 24 h up to the end of the current hour (13:00): $2 + $1 + $1 + $1 + $1
    expect(c.dailyRunRateUsd).toBeCloseTo(6 / 7, 9);
    // 10 days and 11.5 hours left in November
    expect(c.projectedMonthEndUsd).toBeCloseTo(
      8 + (6 / 7) * (10 + 11.5 / 24),
      9,
    );
    const unpriced = [
      'a.in-v1:0',
      'cohere.command-r-v1:0',
      'x.out-v1:0',
      'x.read-v1:0',
      'x.write-v1:0',
    ];
    expect(c.unpricedModels).toEqual(unpriced);
    expect(c.unpricedModels.length > 0).toBe(true); // (was rangeUnpriced: the same fact)
    expect(c.daily).toHaveLength(20);
    expect(c.daily[0]).toEqual({
      date: '2026-11-01',
      estimatedUsd: expect.closeTo(1, 9),
      billedUsd: null,
    });
    expect(c.daily[1]).toEqual({
      date: '2026-11-02',
      estimatedUsd: 0,
      billedUsd: null,
    });
    expect(c.daily[12]).toEqual({
      date: '2026-11-13',
      estimatedUsd: expect.closeTo(3, 9),
      billedUsd: 2.5,
    });
    expect(c.daily[18].estimatedUsd).toBeCloseTo(2, 9);
    expect(c.daily[19]).toEqual({
      date: '2026-11-20',
      estimatedUsd: expect.closeTo(2, 9),
      billedUsd: null,
    });
    expect(c.billed).toEqual({
      monthToDateUsd: 9,
      gapUsd: expect.closeTo(1, 9),
      asOf: '2026-11-20T12:30:00.000Z',
    });
    expect(c.anomaly).toEqual({
      date: '2026-11-13',
      amountUsd: expect.closeTo(3, 9),
      baselineUsd: expect.closeTo(2 / 14, 9),
      score: expect.any(Number),
    });
    expect(c.includes).toEqual([
      'on-demand input, output and prompt-cache tokens at list prices (built-in table plus bedrock.prices)',
    ]);
    expect(c.excludes).toEqual([
      'traffic through the OpenAI-compatible bedrock-mantle endpoint (its metrics are in AWS/BedrockMantle, not AWS/Bedrock)',
      'batch inference jobs (billed at about half the on-demand price)',
      'provisioned throughput and reserved-tier capacity (billed per hour or per reserved tokens per minute)',
      'taxes, credits, support and data transfer',
      `unpriced models: ${unpriced.join(', ')}`,
    ]);
  });

  it('says nothing is unpriced or billed when nothing is', () => {
    const c = costBlock({
      prices: DEFAULT_PRICES,
      history: history.filter(
        r => r.modelId === HAIKU || r.modelId === 'amazon.nova-pro-v1:0',
      ),
      range,
      now: NOW,
      billed: null,
      billedAsOf: null,
    });
    expect(c.billed).toBeNull();
    expect(c.unpricedModels.length > 0).toBe(false); // (was rangeUnpriced: the same fact)
    expect(c.unpricedModels).toEqual([]);
    expect(c.excludes).toEqual([
      'traffic through the OpenAI-compatible bedrock-mantle endpoint (its metrics are in AWS/BedrockMantle, not AWS/Bedrock)',
      'batch inference jobs (billed at about half the on-demand price)',
      'provisioned throughput and reserved-tier capacity (billed per hour or per reserved tokens per minute)',
      'taxes, credits, support and data transfer',
    ]);
    // days start at the range's first day when it begins before the month
    const early = costBlock({
      prices: DEFAULT_PRICES,
      history,
      range: {
        from: Date.parse('2026-10-30T05:00:00.000Z'),
        to: Date.parse('2026-11-02T00:00:00.000Z'),
      },
      now: NOW,
      billed: null,
      billedAsOf: null,
    });
    expect(early.daily.map(d => d.date)).toEqual([
      '2026-10-30',
      '2026-10-31',
      '2026-11-01',
    ]);
    expect(early.rangeEstimatedUsd).toBeCloseTo(2, 9);
  });
});

describe('findAnomaly thresholds', () => {
  const days = (values: Record<number, number>, base: number) => {
    const daily = new Map<string, number>();
    for (let i = 1; i <= 21; i++)
      daily.set(
        new Date(NOW - i * DAY).toISOString().slice(0, 10),
        values[i] ?? base,
      );
    return daily;
  };

  it('flags a jump over a flat baseline, at exactly +25% and +$1', () => {
    expect(findAnomaly(days({ 1: 12.5 }, 10), NOW)).toEqual({
      date: '2026-11-19',
      amountUsd: 12.5,
      baselineUsd: 10,
      score: 999,
    });
    expect(findAnomaly(days({ 1: 12.49 }, 10), NOW)).toBeNull();
    expect(findAnomaly(days({ 2: 1.5 }, 0.5), NOW)).toMatchObject({
      date: '2026-11-18',
      amountUsd: 1.5,
    });
    expect(findAnomaly(days({ 2: 1.49 }, 0.5), NOW)).toBeNull();
    expect(findAnomaly(days({}, 10), NOW)).toBeNull();
    // over a baseline of 10 and 14 (mean 12, standard deviation 2): 3 sigmas is 18, not an anomaly
    const alternating = (amount: number) => {
      const d = days({}, 0);
      for (let i = 2; i <= 21; i++)
        d.set(
          new Date(NOW - i * DAY).toISOString().slice(0, 10),
          i % 2 ? 10 : 14,
        );
      d.set(new Date(NOW - DAY).toISOString().slice(0, 10), amount);
      return findAnomaly(d, NOW);
    };
    expect(alternating(18)).toBeNull();
    expect(alternating(16)).toBeNull();
    expect(alternating(18.2)).toEqual({
      date: '2026-11-19',
      amountUsd: 18.2,
      baselineUsd: 12,
      score: expect.closeTo(3.1, 9),
    });
    expect(findAnomaly(days({ 1: 5 }, 10), NOW)).toBeNull();
  });

  it('looks back seven complete days, not today and not eight days ago', () => {
    expect(findAnomaly(days({ 7: 40 }, 10), NOW)?.date).toBe('2026-11-13');
    expect(findAnomaly(days({ 8: 40 }, 10), NOW)).toBeNull();
    const today = days({}, 10);
    today.set('2026-11-20', 40);
    expect(findAnomaly(today, NOW)).toBeNull();
  });
});

describe('budgetBlock edges', () => {
  const budget = {
    name: 'b',
    limitUsd: 100,
    actualSpendUsd: 80,
    forecastedSpendUsd: null as number | null,
    notifications: [
      { percent: 80, type: 'ACTUAL' as const },
      { percent: 100, type: 'FORECASTED' as const },
    ],
  };

  it('crosses a threshold at exactly its percentage and uses the AWS forecast when there is one', () => {
    expect(budgetBlock(budget, 0, NOW).thresholds).toEqual([
      { percent: 80, type: 'ACTUAL', crossed: true },
      { percent: 100, type: 'FORECASTED', crossed: false },
    ]);
    expect(
      budgetBlock({ ...budget, forecastedSpendUsd: 100 }, 0, NOW).thresholds[1]
        .crossed,
    ).toBe(true);
    // without a forecast: actual + run rate x days left (10.48) = 80 + 2 x 10.48 > 100
    expect(budgetBlock(budget, 2, NOW).thresholds[1].crossed).toBe(true);
    expect(budgetBlock(budget, 1.9, NOW).thresholds[1].crossed).toBe(false);
    expect(
      budgetBlock({ ...budget, actualSpendUsd: 79.99 }, 0, NOW).thresholds[0]
        .crossed,
    ).toBe(false);
    // ACTUAL thresholds look at the actual spend, never at the forecast
    expect(
      budgetBlock(
        { ...budget, actualSpendUsd: 50, forecastedSpendUsd: 150 },
        0,
        NOW,
      ).thresholds,
    ).toEqual([
      { percent: 80, type: 'ACTUAL', crossed: false },
      { percent: 100, type: 'FORECASTED', crossed: true },
    ]);
  });

  it('has run out today when spend reached the limit, and never with no limit', () => {
    const over = budgetBlock({ ...budget, actualSpendUsd: 100 }, 0, NOW);
    expect(over.runsOutOn).toBe('2026-11-20');
    expect(over.usedFraction).toBe(1);
    const none = budgetBlock(
      { ...budget, limitUsd: 0, actualSpendUsd: 5 },
      3,
      NOW,
    );
    expect(none.usedFraction).toBe(0);
    expect(none.thresholds.map(t => t.crossed)).toEqual([false, false]);
    // no spend rate: it never runs out
    expect(budgetBlock(budget, 0, NOW).runsOutOn).toBeNull();
    // $20 left at $2 a day: 10 days from now, still in November
    expect(budgetBlock(budget, 2, NOW).runsOutOn).toBe('2026-11-30');
    // $251.50 left at $24 a day runs out at exactly midnight on December 1: not this month
    expect(
      budgetBlock({ ...budget, limitUsd: 331.5 }, 24, NOW).runsOutOn,
    ).toBeNull();
    expect(budgetBlock({ ...budget, limitUsd: 331.4 }, 24, NOW).runsOutOn).toBe(
      '2026-11-30',
    );
    // $20 left at $1.9 a day: after the month ends
    expect(budgetBlock(budget, 1.9, NOW).runsOutOn).toBeNull();
    expect(budgetBlock(budget, 2, NOW)).toMatchObject({
      name: 'b',
      limitUsd: 100,
      actualSpendUsd: 80,
      forecastedSpendUsd: null,
    });
  });
});
