import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { RegionTable } from './RegionTable';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const UNPRICED = 'cohere.command-r-v1:0';

describe('RegionTable', () => {
  it('shows each region total, then its models, and unpriced where a price is missing', async () => {
    await renderInTestApp(
      <RegionTable
        regions={[
          {
            region: 'us-east-1',
            invocations: 1200,
            inputTokens: 3_000_000,
            outputTokens: 400_000,
            clientErrors: 0,
            serverErrors: 0,
            throttles: 0,
            estimatedCostUsd: 1.25,
            models: [
              {
                modelId: HAIKU,
                invocations: 1200,
                inputTokens: 3_000_000,
                outputTokens: 400_000,
                estimatedCostUsd: 1.25,
              },
            ],
          },
          {
            region: 'us-west-2',
            invocations: 3,
            inputTokens: 500,
            outputTokens: 0,
            clientErrors: 0,
            serverErrors: 0,
            throttles: 0,
            estimatedCostUsd: null,
            models: [
              {
                modelId: UNPRICED,
                invocations: 3,
                inputTokens: 500,
                outputTokens: 0,
                estimatedCostUsd: null,
              },
            ],
          },
        ]}
      />,
    );
    const rows = within(screen.getByRole('table'))
      .getAllByRole('row')
      .slice(1)
      .map(r =>
        within(r)
          .getAllByRole('cell')
          .map(c => c.textContent),
      );
    expect(rows.map(r => r.slice(0, 3))).toEqual([
      ['us-east-1', 'All models', '1,200'],
      ['', 'Claude 3 Haiku', '1,200'],
      ['us-west-2', 'All models', '3'],
      ['', UNPRICED, '3'],
    ]);
    expect(rows[0][5]).toBe('$1.25');
    expect(rows[2][5]).toBe('unpriced');
  });
});
