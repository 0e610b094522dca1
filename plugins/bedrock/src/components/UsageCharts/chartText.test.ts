import { chartTable, describeChart } from './chartText';

const usd = (v: number) => `$${v.toFixed(2)}`;
const rows = [
  { timestamp: '2026-11-17T00:00:00.000Z', a: 1, b: 4 },
  { timestamp: '2026-11-17T01:00:00.000Z', a: 5, b: null },
  { timestamp: '2026-11-17T02:00:00.000Z', a: 2, b: 2 },
];
const series = [
  { key: 'a', name: 'Alpha' },
  { key: 'b', name: 'Beta' },
  { key: 'c', name: 'Gamma' },
];

describe('describeChart', () => {
  it('sums stacked series, largest first, and names the bucket where together they peaked', () => {
    // Alpha 1+5+2 = 8, Beta 4+2 = 6; buckets 5, 5, 4: the first of the highest
    expect(describeChart(rows, series, usd)).toBe(
      '3 points from 2026-11-17 00:00 UTC to 2026-11-17 02:00 UTC. ' +
        'Totals: Alpha $8.00, Beta $6.00. Peak $5.00 at 2026-11-17 00:00 UTC.',
    );
  });

  it('averages series that do not add up, and names the highest single point and its series', () => {
    // Alpha (1+5+2)/3 = 2.67, Beta (4+2)/2 = 3 (a missing point is not a zero)
    expect(describeChart(rows, series, usd, 'mean')).toBe(
      '3 points from 2026-11-17 00:00 UTC to 2026-11-17 02:00 UTC. ' +
        'Averages: Beta $3.00, Alpha $2.67. Peak $5.00 (Alpha) at 2026-11-17 01:00 UTC.',
    );
  });

  it('says so when there is nothing to describe', () => {
    expect(describeChart([], series, usd)).toBe('No data in this range.');
    expect(describeChart(rows, [{ key: 'c', name: 'Gamma' }], usd)).toBe(
      'No data in this range.',
    );
  });
});

describe('chartTable', () => {
  it('has a row per bucket and a column per series, empty where a series has no point', () => {
    expect(chartTable(rows, series.slice(0, 2), usd)).toEqual({
      columns: ['Time (UTC)', 'Alpha', 'Beta'],
      rows: [
        ['2026-11-17 00:00 UTC', '$1.00', '$4.00'],
        ['2026-11-17 01:00 UTC', '$5.00', ''],
        ['2026-11-17 02:00 UTC', '$2.00', '$2.00'],
      ],
    });
  });
});
