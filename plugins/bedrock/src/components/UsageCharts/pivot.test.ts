import { entitySummary } from '../../__fixtures__/summary';
import { errorRows, pivotByModel } from './pivot';

describe('pivotByModel', () => {
  it('gives one row per bucket with a value per model, in time order', () => {
    const rows = pivotByModel(
      [...entitySummary.series].reverse(),
      p => p.inputTokens + p.outputTokens,
    );
    expect(rows).toHaveLength(7);
    expect(rows[0].timestamp).toBe('2026-11-17T00:00:00.000Z');
    expect(rows[0]['anthropic.claude-3-haiku-20240307-v1:0']).toBe(1_270_000);
    expect(rows[0]['anthropic.claude-3-5-sonnet-20240620-v1:0']).toBe(627_000);
  });

  it('keeps an unpriced bucket null rather than zero', () => {
    const rows = pivotByModel(
      [{ ...entitySummary.series[0], estimatedCostUsd: null }],
      p => p.estimatedCostUsd,
    );
    expect(rows[0][entitySummary.series[0].modelId]).toBeNull();
  });

  it('sums errors and throttles over models', () => {
    const rows = errorRows(entitySummary.series);
    expect(rows[0]).toEqual({
      timestamp: '2026-11-17T00:00:00.000Z',
      clientErrors: 6,
      serverErrors: 3,
      throttles: 6,
    });
  });
});
