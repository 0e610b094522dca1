import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import type { CostBlock } from '@bedrock-tenancy/plugin-bedrock-common';
import { entitySummary } from '../../__fixtures__/summary';
import { CostNotes } from './CostNotes';

const cost = (entitySummary.cost as { status: 'ok'; data: CostBlock }).data;

describe('CostNotes', () => {
  it('flags an anomaly and says when no bill is known yet', async () => {
    await renderInTestApp(
      <CostNotes
        cost={{
          status: 'ok',
          data: {
            ...cost,
            billed: null,
            unpricedModels: [],
            anomaly: {
              date: '2026-11-21',
              amountUsd: 9.5,
              baselineUsd: 2,
              score: 4.2,
            },
          },
        }}
      />,
    );
    expect(screen.getByTestId('cost-anomaly')).toHaveTextContent(
      'Unusual spend on 2026-11-21: $9.50 against a usual $2.00.',
    );
    expect(screen.getByTestId('cost-notes')).toHaveTextContent(
      'No billed figure is available yet.',
    );
    expect(screen.queryByTestId('cost-bill-variance')).not.toBeInTheDocument();
    expect(
      screen.queryByText(/Unpriced models are not in the cost figures/),
    ).not.toBeInTheDocument();
  });

  it("compares the month's estimate with the bill over the days billed, the lag stated", async () => {
    await renderInTestApp(
      <CostNotes
        cost={{
          status: 'ok',
          data: {
            ...cost,
            billed: {
              monthToDateUsd: 20.2,
              gapUsd: 0.2,
              asOf: '2026-11-20T06:00:00.000Z',
            },
            // 18 days: USD 19.80 billed, 18.00 estimated
            reconciliation: {
              month: '2026-11',
              source: 'cost-allocation-tag',
              lagHours: 24,
              comparedThrough: '2026-11-18',
              monthComplete: false,
              billedUsd: 19.8,
              estimatedUsd: 18,
              varianceUsd: 1.8,
              variancePercent: 9.0909,
              estimateComplete: true,
              asOf: '2026-11-20T06:00:00.000Z',
              lagNote:
                'billed figures lag up to 24 h; last complete day 2026-11-18',
            },
          },
        }}
      />,
    );
    // the month-to-date gap compares unlike days: left out once the reconciliation is there
    expect(screen.getByTestId('cost-notes')).toHaveTextContent(
      'Billed month to date (as of 2026-11-20): $20.20.',
    );
    expect(screen.getByTestId('cost-notes')).not.toHaveTextContent(
      'differs from it',
    );
    expect(screen.getByTestId('cost-bill-variance')).toHaveTextContent(
      'Billed $19.80 against an estimate of $18.00 through 2026-11-18: the bill is +$1.80 (+9.1%) above the estimate. Billed figures lag up to 24 h; last complete day 2026-11-18.',
    );
  });

  it('names the unpriced models', async () => {
    await renderInTestApp(<CostNotes cost={entitySummary.cost} />);
    expect(
      screen.getByText(/Unpriced models are not in the cost figures/),
    ).toHaveTextContent('custom-model/acme-ft');
    expect(screen.queryByTestId('cost-anomaly')).not.toBeInTheDocument();
  });

  it('shows what the estimate assumes apart from what it cannot see', async () => {
    await renderInTestApp(<CostNotes cost={entitySummary.cost} />);
    expect(screen.getByText('Assumed')).toBeInTheDocument();
    expect(screen.getByTestId('cost-assumptions')).toHaveTextContent(
      'prompt-cache writes priced at the 5-minute rate (1.25x input)',
    );
    expect(screen.getByTestId('cost-assumptions')).not.toHaveTextContent(
      'bedrock-mantle',
    );
    expect(screen.getByTestId('cost-excludes')).toHaveTextContent(
      'traffic through the OpenAI-compatible bedrock-mantle endpoint',
    );
  });
});
