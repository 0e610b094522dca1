import { formatVariance, varianceSentence } from './BillVariance';

const base = {
  billedUsd: 100,
  estimatedUsd: 120,
  varianceUsd: -20,
  variancePercent: -20,
  comparedThrough: '2026-10-31',
  lagNote: 'billed figures lag 24-48 h; last complete day 2026-10-31',
};

describe('BillVariance', () => {
  it('signs the variance: the bill below the estimate is negative', () => {
    expect(formatVariance(base)).toBe('−$20.00 (−20.0%)');
    expect(formatVariance({ varianceUsd: 0, variancePercent: 0 })).toBe(
      '$0.00 (0.0%)',
    );
    // nothing billed: no percentage of a bill of $0
    expect(formatVariance({ varianceUsd: -5, variancePercent: null })).toBe(
      '−$5.00',
    );
  });

  it('says what was compared, and that the estimate leaves out unpriced models', () => {
    expect(varianceSentence({ ...base, estimateComplete: false })).toBe(
      'Billed $100.00 against an estimate of $120.00 through 2026-10-31: the bill is −$20.00 (−20.0%) below the estimate (the estimate leaves out unpriced models). Billed figures lag 24-48 h; last complete day 2026-10-31.',
    );
  });

  it('says when no billed day is complete yet', () => {
    expect(
      varianceSentence({
        ...base,
        comparedThrough: null,
        lagNote:
          'billed figures lag up to 24 h; no day of 2026-12 is complete yet',
      }),
    ).toBe(
      'No billed day to compare yet: billed figures lag up to 24 h; no day of 2026-12 is complete yet.',
    );
  });
});
