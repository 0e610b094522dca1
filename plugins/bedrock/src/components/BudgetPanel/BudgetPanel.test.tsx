import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { BudgetPanel } from './BudgetPanel';

describe('BudgetPanel', () => {
  it('says when the tenant has no budget', async () => {
    await renderInTestApp(
      <BudgetPanel budget={{ status: 'ok', data: null }} />,
    );
    expect(
      screen.getByText(/This tenant has no AWS Budget/),
    ).toBeInTheDocument();
  });

  it('says when the budget does not run out this month and the forecast is unknown', async () => {
    await renderInTestApp(
      <BudgetPanel
        budget={{
          status: 'ok',
          data: {
            name: 'bedrock-docs-helper',
            limitUsd: 100,
            actualSpendUsd: 12,
            forecastedSpendUsd: null,
            usedFraction: 0.12,
            runsOutOn: null,
            thresholds: [],
          },
        }}
      />,
    );
    expect(screen.getByTestId('budget-runs-out')).toHaveTextContent(
      'not this month',
    );
    expect(screen.getByTestId('budget-forecast')).toHaveTextContent(
      'not available',
    );
    expect(screen.getByTestId('budget-spent')).toHaveTextContent(
      '$12.00 (12.0%)',
    );
    expect(screen.getByTestId('budget-left')).toHaveTextContent('Left$88.00');
  });

  it('shows nothing left, and by how much the spend is over, past the limit', async () => {
    await renderInTestApp(
      <BudgetPanel
        budget={{
          status: 'ok',
          data: {
            name: 'bedrock-docs-helper',
            limitUsd: 100,
            actualSpendUsd: 112,
            forecastedSpendUsd: 130,
            usedFraction: 1.12,
            runsOutOn: '2026-11-20',
            thresholds: [],
          },
        }}
      />,
    );
    expect(screen.getByTestId('budget-left')).toHaveTextContent(
      '$0.00 (over by $12.00)',
    );
  });

  it('shows why the budget is missing', async () => {
    await renderInTestApp(
      <BudgetPanel
        budget={{ status: 'error', message: 'budgets:ViewBudget denied' }}
      />,
    );
    expect(screen.getByTestId('section-error')).toHaveTextContent(
      'The budget could not be loaded: budgets:ViewBudget denied',
    );
  });
});
