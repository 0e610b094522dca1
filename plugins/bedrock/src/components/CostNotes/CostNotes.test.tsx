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
    expect(
      screen.queryByText(/Unpriced models are not in the cost figures/),
    ).not.toBeInTheDocument();
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
