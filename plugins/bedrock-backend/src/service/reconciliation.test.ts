import { DEFAULT_PRICES } from '@bedrock-tenancy/plugin-bedrock-common';
import type { BilledSnapshot } from '../database/snapshots';
import { costBlock, rowCost } from './cost';
import { daysFrom, UNPRICED_MODEL, usageRow } from '../__testUtils__/billing';
import {
  BILLING_SOURCE,
  completeThrough,
  describeVariance,
  passesThreshold,
  reconcileMonth,
  sumReconciliations,
} from './reconciliation';

const cost = (r: Parameters<typeof rowCost>[1]) => rowCost(DEFAULT_PRICES, r);

/**
 * Every day of November 1-20 at 10:00: 2,000,000 input and 400,000 output tokens of Claude 3
 * Haiku = 2,000 × 0.00025 + 400 × 0.00125 = USD 0.50 + 0.50 = USD 1.00 a day.
 */
const november = daysFrom('2026-11-01', '2026-11-20').map(d =>
  usageRow({
    tenantId: 'alpha',
    hour: `${d}T10:00:00.000Z`,
    inputTokens: 2_000_000,
    outputTokens: 400_000,
  }),
);
/**
 * October: one day of 100,000,000 input and 20,000,000 output tokens = USD 25.00 + 25.00 = 50.00.
 */
const october = [
  usageRow({
    tenantId: 'alpha',
    hour: '2026-10-10T09:00:00.000Z',
    inputTokens: 100_000_000,
    outputTokens: 20_000_000,
  }),
];

/**
 * What Cost Explorer billed: October USD 2.00 every day (62.00); November 1-18 USD 1.10 a day
 * (19.80), the 19th a still incomplete USD 0.40, nothing yet for the 20th.
 */
const billed = (source?: BilledSnapshot['source']): BilledSnapshot => {
  const daily = [
    ...daysFrom('2026-10-01', '2026-10-31').map(date => ({ date, usd: 2 })),
    ...daysFrom('2026-11-01', '2026-11-18').map(date => ({ date, usd: 1.1 })),
    { date: '2026-11-19', usd: 0.4 },
    { date: '2026-11-20', usd: 0 },
  ];
  return {
    monthToDateUsd: 20.2,
    daily,
    ...(source && {
      source,
      lagHours: source === 'iam-principal-tag' ? 48 : 24,
    }),
  };
};
const AS_OF = '2026-11-20T06:00:00.000Z';

describe('estimate vs bill', () => {
  it("reads each attribution mode's billed figure from its own source", () => {
    expect(BILLING_SOURCE['inference-profile']).toBe('cost-allocation-tag');
    expect(BILLING_SOURCE.identity).toBe('iam-principal-tag');
    expect(BILLING_SOURCE.account).toBe('linked-account');
  });

  it('names the last day the bill is complete for from the fetch time and the lag', () => {
    expect(completeThrough('2026-11-20T06:00:00.000Z', 24)).toBe('2026-11-18');
    expect(completeThrough('2026-11-20T06:00:00.000Z', 48)).toBe('2026-11-17');
    // a fetch at midnight: the 19th ended exactly 24 h before
    expect(completeThrough('2026-11-21T00:00:00.000Z', 24)).toBe('2026-11-19');
  });

  it('compares the current month over the days the bill is complete for (cost allocation tag)', () => {
    const r = reconcileMonth({
      month: '2026-11',
      rows: [...october, ...november],
      cost,
      billed: billed('cost-allocation-tag'),
      asOf: AS_OF,
    })!;
    expect(r).toMatchObject({
      month: '2026-11',
      source: 'cost-allocation-tag',
      lagHours: 24,
      comparedThrough: '2026-11-18',
      monthComplete: false,
      estimateComplete: true,
      asOf: AS_OF,
      lagNote: 'billed figures lag up to 24 h; last complete day 2026-11-18',
    });
    // 18 days: billed 18 × 1.10, estimated 18 × 1.00; the 19th and 20th are left out on both sides
    expect(r.billedUsd).toBeCloseTo(19.8, 10);
    expect(r.estimatedUsd).toBeCloseTo(18, 10);
    expect(r.varianceUsd).toBeCloseTo(1.8, 10);
    // 1.80 / 19.80
    expect(r.variancePercent).toBeCloseTo(9.0909, 4);
  });

  it('compares a whole past month', () => {
    const r = reconcileMonth({
      month: '2026-10',
      rows: [...october, ...november],
      cost,
      billed: billed('cost-allocation-tag'),
      asOf: AS_OF,
    })!;
    expect(r.comparedThrough).toBe('2026-10-31');
    expect(r.monthComplete).toBe(true);
    expect(r.billedUsd).toBeCloseTo(62, 10);
    expect(r.estimatedUsd).toBeCloseTo(50, 10);
    expect(r.varianceUsd).toBeCloseTo(12, 10);
    // 12 / 62
    expect(r.variancePercent).toBeCloseTo(19.3548, 4);
  });

  it('states the longer lag of IAM-principal cost allocation and compares one day less', () => {
    const r = reconcileMonth({
      month: '2026-11',
      rows: november,
      cost,
      billed: billed('iam-principal-tag'),
      asOf: AS_OF,
    })!;
    expect(r.lagNote).toBe(
      'billed figures lag 24-48 h; last complete day 2026-11-17',
    );
    expect(r.comparedThrough).toBe('2026-11-17');
    expect(r.billedUsd).toBeCloseTo(17 * 1.1, 10);
    expect(r.estimatedUsd).toBeCloseTo(17, 10);
  });

  it('reads a snapshot written before reconciliation as the cost allocation tag', () => {
    const r = reconcileMonth({
      month: '2026-11',
      rows: november,
      cost,
      billed: billed(),
      asOf: AS_OF,
    })!;
    expect([r.source, r.lagHours]).toEqual(['cost-allocation-tag', 24]);
  });

  it('says no day is complete yet early in a month, and then never passes a threshold', () => {
    const r = reconcileMonth({
      month: '2026-12',
      rows: [],
      cost,
      billed: {
        monthToDateUsd: 3,
        daily: [{ date: '2026-12-01', usd: 3 }],
        source: 'linked-account',
        lagHours: 24,
      },
      asOf: '2026-12-01T10:00:00.000Z',
    })!;
    expect(r).toMatchObject({
      comparedThrough: null,
      billedUsd: 0,
      estimatedUsd: 0,
      lagNote:
        'billed figures lag up to 24 h; no day of 2026-12 is complete yet',
    });
    expect(passesThreshold(r, { percent: 0, minUsd: 0 })).toBe(false);
  });

  it('compares the first day of a month alone once the bill is complete for it', () => {
    // fetched 2026-12-03T00:00 with a 24 h lag: December 1st ended exactly 48 h before
    const r = reconcileMonth({
      month: '2026-12',
      rows: [
        usageRow({
          tenantId: 'alpha',
          hour: '2026-12-01T10:00:00.000Z',
          inputTokens: 1,
        }),
        usageRow({
          tenantId: 'alpha',
          hour: '2026-12-02T10:00:00.000Z',
          inputTokens: 1,
        }),
      ],
      cost: () => 2.5,
      billed: {
        monthToDateUsd: 5,
        daily: [
          { date: '2026-12-01', usd: 3 },
          { date: '2026-12-02', usd: 2 },
        ],
        source: 'linked-account',
        lagHours: 24,
      },
      asOf: '2026-12-03T00:00:00.000Z',
    })!;
    expect(r).toMatchObject({
      comparedThrough: '2026-12-01',
      monthComplete: false,
      billedUsd: 3,
      estimatedUsd: 2.5,
      varianceUsd: 0.5,
      lagNote: 'billed figures lag up to 24 h; last complete day 2026-12-01',
    });
  });

  it('marks an estimate that leaves out unpriced traffic', () => {
    const r = reconcileMonth({
      month: '2026-11',
      rows: [
        ...november,
        usageRow({
          tenantId: 'alpha',
          hour: '2026-11-05T10:00:00.000Z',
          inputTokens: 1000,
          modelId: UNPRICED_MODEL,
        }),
      ],
      cost,
      billed: billed('cost-allocation-tag'),
      asOf: AS_OF,
    })!;
    expect(r.estimateComplete).toBe(false);
    expect(r.estimatedUsd).toBeCloseTo(18, 10);
  });

  it('keeps the estimate complete when an unpriced model only has errors (no traffic)', () => {
    const r = reconcileMonth({
      month: '2026-11',
      rows: [
        ...november,
        {
          ...usageRow({
            tenantId: 'alpha',
            hour: '2026-11-05T10:00:00.000Z',
            inputTokens: 0,
            modelId: UNPRICED_MODEL,
          }),
          invocations: 0,
          clientErrors: 4,
        },
      ],
      cost,
      billed: billed('cost-allocation-tag'),
      asOf: AS_OF,
    })!;
    expect(r.estimateComplete).toBe(true);
    expect(r.estimatedUsd).toBeCloseTo(18, 10);
  });

  it('has nothing to compare without billed figures or for a month the bill does not cover', () => {
    const args = { rows: november, cost, asOf: AS_OF };
    expect(reconcileMonth({ ...args, month: '2026-11', billed: null })).toBe(
      null,
    );
    expect(
      reconcileMonth({
        ...args,
        month: '2026-11',
        billed: billed(),
        asOf: null,
      }),
    ).toBe(null);
    expect(
      reconcileMonth({ ...args, month: '2026-09', billed: billed() }),
    ).toBe(null);
  });

  it('passes the threshold only past both the percentage and the USD amount', () => {
    const r = reconcileMonth({
      month: '2026-11',
      rows: november,
      cost,
      billed: billed('cost-allocation-tag'),
      asOf: AS_OF,
    })!; // USD 1.80, 9.09%
    expect(passesThreshold(r, { percent: 10, minUsd: 1 })).toBe(false);
    expect(passesThreshold(r, { percent: 9, minUsd: 1 })).toBe(true);
    expect(passesThreshold(r, { percent: 9, minUsd: 1.81 })).toBe(false);
    // nothing billed against USD 18.00 estimated (a cost allocation tag not activated)
    const none = reconcileMonth({
      month: '2026-11',
      rows: november,
      cost,
      billed: {
        monthToDateUsd: 0,
        daily: daysFrom('2026-11-01', '2026-11-20').map(date => ({
          date,
          usd: 0,
        })),
      },
      asOf: AS_OF,
    })!;
    expect(none.variancePercent).toBe(null);
    expect(none.varianceUsd).toBeCloseTo(-18, 10);
    expect(passesThreshold(none, { percent: 10, minUsd: 10 })).toBe(true);
    expect(passesThreshold(none, { percent: 10, minUsd: 18.5 })).toBe(false);
  });

  it('passes the threshold at exactly the percentage and exactly the USD amount', () => {
    // November 1-18 compared: billed 18 × 4.00 = 72.00, estimated 18 × 3.00 = 54.00: USD 18.00, 25%
    const r = reconcileMonth({
      month: '2026-11',
      rows: november,
      cost: () => 3,
      billed: {
        monthToDateUsd: 80,
        daily: daysFrom('2026-11-01', '2026-11-20').map(date => ({
          date,
          usd: 4,
        })),
      },
      asOf: AS_OF,
    })!;
    expect([r.billedUsd, r.estimatedUsd, r.varianceUsd]).toEqual([72, 54, 18]);
    expect(r.variancePercent).toBe(25);
    expect(passesThreshold(r, { percent: 0, minUsd: 18 })).toBe(true);
    expect(passesThreshold(r, { percent: 25, minUsd: 0 })).toBe(true);
    expect(passesThreshold(r, { percent: 25.01, minUsd: 0 })).toBe(false);
    expect(passesThreshold(r, { percent: 0, minUsd: 18.01 })).toBe(false);
  });

  it('sums tenants for a group, each over its own days, stating the longest lag', () => {
    const tag = reconcileMonth({
      month: '2026-11',
      rows: november,
      cost,
      billed: billed('cost-allocation-tag'),
      asOf: AS_OF,
    });
    const iam = reconcileMonth({
      month: '2026-11',
      rows: november,
      cost,
      billed: billed('iam-principal-tag'),
      asOf: AS_OF,
    });
    const g = sumReconciliations([tag, null, iam], '2026-11')!;
    expect(g.tenants).toBe(2);
    // 19.80 + 18.70 billed, 18 + 17 estimated
    expect(g.billedUsd).toBeCloseTo(38.5, 10);
    expect(g.estimatedUsd).toBeCloseTo(35, 10);
    expect(g.varianceUsd).toBeCloseTo(3.5, 10);
    // 3.50 / 38.50
    expect(g.variancePercent).toBeCloseTo(9.0909, 4);
    expect(g.comparedThrough).toBe('2026-11-17');
    expect(g.lagNote).toBe(
      'billed figures lag 24-48 h; last complete day 2026-11-17',
    );
    expect(sumReconciliations([null, undefined], '2026-11')).toBe(null);
  });

  it('states the shorter lag for a group without IAM-principal tenants, and no percentage of a bill of 0', () => {
    const tag = reconcileMonth({
      month: '2026-11',
      rows: november,
      cost,
      billed: billed('cost-allocation-tag'),
      asOf: AS_OF,
    });
    // nothing billed against USD 18.00 estimated
    const unbilled = reconcileMonth({
      month: '2026-11',
      rows: november,
      cost,
      billed: {
        monthToDateUsd: 0,
        daily: [{ date: '2026-11-01', usd: 0 }],
        source: 'linked-account',
        lagHours: 24,
      },
      asOf: AS_OF,
    });
    const g = sumReconciliations([tag, unbilled], '2026-11')!;
    // 19.80 billed, 18 + 18 estimated: -16.20 of 19.80
    expect(g.varianceUsd).toBeCloseTo(-16.2, 10);
    expect(g.variancePercent).toBeCloseTo(-81.8182, 4);
    expect(g.lagNote).toBe(
      'billed figures lag up to 24 h; last complete day 2026-11-18',
    );
    const none = sumReconciliations([unbilled], '2026-11')!;
    expect(none.billedUsd).toBe(0);
    expect(none.varianceUsd).toBeCloseTo(-18, 10);
    expect(none.variancePercent).toBe(null);
  });

  it('has no compared day for a group while one of its tenants has none', () => {
    // fetched 2026-12-03T00:00: December 1st is complete at a 24 h lag, not yet at 48 h
    const december = (source: 'linked-account' | 'iam-principal-tag') =>
      reconcileMonth({
        month: '2026-12',
        rows: [],
        cost,
        billed: {
          monthToDateUsd: 3,
          daily: [{ date: '2026-12-01', usd: 3 }],
          source,
          lagHours: source === 'iam-principal-tag' ? 48 : 24,
        },
        asOf: '2026-12-03T00:00:00.000Z',
      });
    const account = december('linked-account');
    const iam = december('iam-principal-tag');
    expect(account?.comparedThrough).toBe('2026-12-01');
    expect(iam?.comparedThrough).toBe(null);
    const g = sumReconciliations([account, iam], '2026-12')!;
    expect(g).toMatchObject({
      tenants: 2,
      billedUsd: 3,
      estimatedUsd: 0,
      varianceUsd: 3,
      variancePercent: 100,
      comparedThrough: null,
      lagNote: 'billed figures lag 24-48 h; no day of 2026-12 is complete yet',
    });
  });

  it("puts the month's estimate vs bill on the tab's cost panel", () => {
    const c = costBlock({
      prices: DEFAULT_PRICES,
      history: november,
      range: {
        from: Date.parse('2026-11-01T00:00:00Z'),
        to: Date.parse('2026-11-20T13:00:00Z'),
      },
      now: Date.parse('2026-11-20T12:30:00Z'),
      billed: billed('cost-allocation-tag'),
      billedAsOf: AS_OF,
    });
    expect(c.reconciliation?.comparedThrough).toBe('2026-11-18');
    expect(c.reconciliation?.varianceUsd).toBeCloseTo(1.8, 10);
    // the month-to-date gap compares unlike days (the bill lags): 20.20 - 20.00
    expect(c.billed?.gapUsd).toBeCloseTo(0.2, 10);
  });
});

describe('describeVariance', () => {
  /**
   * November 1-18 compared: the bill `billedDaily` a day, the estimate USD 1.00 a day (the
   * `november` rows) unless `estimate` prices the rows otherwise.
   */
  const november18 = (
    billedDaily: number,
    o: { rows?: typeof november; estimate?: typeof cost } = {},
  ) =>
    reconcileMonth({
      month: '2026-11',
      rows: o.rows ?? november,
      cost: o.estimate ?? cost,
      billed: {
        monthToDateUsd: 20 * billedDaily,
        daily: daysFrom('2026-11-01', '2026-11-20').map(date => ({
          date,
          usd: billedDaily,
        })),
        source: 'cost-allocation-tag',
        lagHours: 24,
      },
      asOf: AS_OF,
    })!;

  it('states a bill above the estimate, in USD and as a percentage of the bill', () => {
    // 18 days: billed 18 × 1.10 = 19.80, estimated 18.00
    expect(describeVariance(november18(1.1))).toBe(
      'billed USD 19.80, estimated USD 18.00 for 2026-11 through 2026-11-18: ' +
        'the bill is USD 1.80 (9.1% of the bill) above the estimate; ' +
        'billed figures lag up to 24 h; last complete day 2026-11-18',
    );
  });

  it('states a bill below the estimate without a sign, and a bill of 0 as no billed cost', () => {
    // billed 18 × 0.50 = 9.00 against 18.00: 9.00, 100% of the bill below
    expect(describeVariance(november18(0.5))).toBe(
      'billed USD 9.00, estimated USD 18.00 for 2026-11 through 2026-11-18: ' +
        'the bill is USD 9.00 (100.0% of the bill) below the estimate; ' +
        'billed figures lag up to 24 h; last complete day 2026-11-18',
    );
    expect(describeVariance(november18(0))).toBe(
      'billed USD 0.00, estimated USD 18.00 for 2026-11 through 2026-11-18: ' +
        'the bill is USD 18.00 (no billed cost) below the estimate; ' +
        'billed figures lag up to 24 h; last complete day 2026-11-18',
    );
  });

  it('keeps the sign of a negative bill (credits)', () => {
    // a credit of 18 × -0.25 = -4.50 against 18.00 estimated: 22.50 below
    expect(describeVariance(november18(-0.25))).toBe(
      'billed -USD 4.50, estimated USD 18.00 for 2026-11 through 2026-11-18: ' +
        'the bill is USD 22.50 (no billed cost) below the estimate; ' +
        'billed figures lag up to 24 h; last complete day 2026-11-18',
    );
  });

  it('reads a bill equal to the estimate as above it', () => {
    expect(describeVariance(november18(1, { estimate: () => 1 }))).toBe(
      'billed USD 18.00, estimated USD 18.00 for 2026-11 through 2026-11-18: ' +
        'the bill is USD 0.00 (0.0% of the bill) above the estimate; ' +
        'billed figures lag up to 24 h; last complete day 2026-11-18',
    );
  });

  it('says when the estimate leaves out unpriced models', () => {
    const rows = [
      ...november,
      usageRow({
        tenantId: 'alpha',
        hour: '2026-11-05T10:00:00.000Z',
        inputTokens: 1000,
        modelId: UNPRICED_MODEL,
      }),
    ];
    expect(describeVariance(november18(1.1, { rows }))).toBe(
      'billed USD 19.80, estimated USD 18.00 for 2026-11 through 2026-11-18: ' +
        'the bill is USD 1.80 (9.1% of the bill) above the estimate ' +
        '(the estimate leaves out unpriced models); ' +
        'billed figures lag up to 24 h; last complete day 2026-11-18',
    );
  });

  it('says through "-" when no day of the month is compared yet', () => {
    const r = reconcileMonth({
      month: '2026-12',
      rows: [],
      cost,
      billed: {
        monthToDateUsd: 3,
        daily: [{ date: '2026-12-01', usd: 3 }],
        source: 'linked-account',
        lagHours: 24,
      },
      asOf: '2026-12-01T10:00:00.000Z',
    })!;
    expect(describeVariance(r)).toBe(
      'billed USD 0.00, estimated USD 0.00 for 2026-12 through -: ' +
        'the bill is USD 0.00 (no billed cost) above the estimate; ' +
        'billed figures lag up to 24 h; no day of 2026-12 is complete yet',
    );
  });
});
