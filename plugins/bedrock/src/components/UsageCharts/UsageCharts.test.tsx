import { cloneElement, type ReactElement } from 'react';
import { render, screen, within } from '@testing-library/react';
import { entitySummary } from '../../__fixtures__/summary';
import { UsageCharts } from './UsageCharts';

// jsdom lays nothing out, so give the charts a fixed size.
jest.mock('recharts', () => {
  const actual = jest.requireActual('recharts');
  return {
    ...actual,
    ResponsiveContainer: ({ children }: { children: ReactElement }) =>
      cloneElement(children, { width: 800, height: 260 }),
  };
});

const chart = (title: string) => screen.getByRole('img', { name: title });

describe('UsageCharts', () => {
  it('draws one series per model, named by model', () => {
    render(<UsageCharts summary={entitySummary} />);
    const tokens = chart('Tokens per model');
    expect(within(tokens).getByText('Claude 3 Haiku')).toBeInTheDocument();
    expect(within(tokens).getByText('Claude 3.5 Sonnet')).toBeInTheDocument();
    const curves = tokens.querySelectorAll('.recharts-area-curve');
    expect(curves).toHaveLength(2);
    // the series are drawn, not just named: a broken dataKey leaves empty paths
    curves.forEach(c =>
      expect(c.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L/),
    );
  });

  it('stacks cost per model and leaves unpriced models out of it', () => {
    const withUnpriced = {
      ...entitySummary,
      series: [
        ...entitySummary.series,
        {
          ...entitySummary.series[0],
          modelId: entitySummary.models[1].modelId,
          estimatedCostUsd: null,
        },
      ],
    };
    render(<UsageCharts summary={withUnpriced} />);
    const cost = chart('Estimated cost per model');
    expect(
      within(cost).queryByText('acme-ft (custom)'),
    ).not.toBeInTheDocument();
    expect(
      within(chart('Invocations per model')).getByText('acme-ft (custom)'),
    ).toBeInTheDocument();
    expect(cost.querySelectorAll('.recharts-bar')).toHaveLength(2);
    // 7 days x 2 priced models
    expect(cost.querySelectorAll('.recharts-bar-rectangle path')).toHaveLength(
      14,
    );
  });

  it('shows errors and throttles', () => {
    render(<UsageCharts summary={entitySummary} />);
    const errors = chart('Errors and throttles');
    expect(within(errors).getByText('Client errors')).toBeInTheDocument();
    expect(within(errors).getByText('Server errors')).toBeInTheDocument();
    expect(within(errors).getByText('Throttles')).toBeInTheDocument();
  });
});
