import {
  formatBudgetUsed,
  formatCompact,
  formatDateTime,
  formatInteger,
  formatMs,
  formatPercent,
  formatUsd,
} from './format';

describe('format', () => {
  it('formats figures the same way for every viewer', () => {
    expect(formatInteger(1234567)).toBe('1,234,567');
    expect(formatCompact(12_345_678)).toBe('12.3M');
    expect(formatUsd(1234.567)).toBe('$1,234.57');
    expect(formatUsd(0.004)).toBe('$0.00');
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatMs(1234.4)).toBe('1,234 ms');
  });

  it('formats timestamps in UTC', () => {
    expect(formatDateTime('2026-11-23T09:00:00.000Z')).toBe(
      '2026-11-23 09:00 UTC',
    );
    expect(formatDateTime('2026-11-23T10:30:00+01:00')).toBe(
      '2026-11-23 09:30 UTC',
    );
    expect(formatDateTime('garbage')).toBe('garbage');
  });

  it('tells no budget from a failed budget', () => {
    expect(
      formatBudgetUsed({ status: 'ok', data: { usedFraction: 0.5 } }),
    ).toBe('50.0%');
    expect(formatBudgetUsed({ status: 'ok', data: null })).toBe('no budget');
    expect(formatBudgetUsed({ status: 'error' })).toBe('not available');
  });
});
