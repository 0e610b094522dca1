import { cloneElement, type ReactElement } from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
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

// a chart's accessible name is its title, then the sentence that describes it
const chart = (title: string) =>
  screen.getByRole('img', {
    name: new RegExp(`^${title.replace(/[()]/g, '\\$&')}\\. `),
  });

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

  it('describes each chart in a sentence a screen reader reads, from the same points', () => {
    render(<UsageCharts summary={entitySummary} />);
    // by hand from the fixture: Haiku 1,200 + day calls on days 17..23 (8,540), Sonnet 420 a
    // day (2,940); the busiest day is the 23rd with 1,223 + 420 = 1,643
    expect(chart('Invocations per model')).toHaveAccessibleName(
      'Invocations per model. 7 points from 2026-11-17 00:00 UTC to 2026-11-23 00:00 UTC. ' +
        'Totals: Claude 3 Haiku 8.5K, Claude 3.5 Sonnet 2.9K. Peak 1.6K at 2026-11-23 00:00 UTC.',
    );
    // latencies are averages: no sum, the highest point instead
    expect(chart('Average latency (ms)')).toHaveAccessibleName(
      expect.stringContaining(
        'Averages: Claude 3.5 Sonnet 1.8K, Claude 3 Haiku 640. Peak 1.8K (Claude 3.5 Sonnet)',
      ),
    );
    expect(chart('Estimated cost per model')).toHaveAccessibleName(
      expect.stringContaining(
        'Totals: Claude 3.5 Sonnet $10.50, Claude 3 Haiku $3.50.',
      ),
    );
  });

  it('shows a chart as a table of the same points on request, and back', () => {
    render(<UsageCharts summary={entitySummary} />);
    const toggles = screen.getAllByRole('button', { name: 'Show as table' });
    expect(toggles).toHaveLength(5);
    // the second card: invocations
    fireEvent.click(toggles[1]);
    const table = screen.getByRole('table', { name: 'Invocations per model' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(8);
    expect(
      within(rows[0])
        .getAllByRole('columnheader')
        .map(c => c.textContent),
    ).toEqual(['Time (UTC)', 'Claude 3 Haiku', 'Claude 3.5 Sonnet']);
    expect(rows[1].textContent).toBe('2026-11-17 00:00 UTC1,217420');
    expect(rows[7].textContent).toBe('2026-11-23 00:00 UTC1,223420');
    expect(
      screen.queryByRole('img', { name: /^Invocations per model/ }),
    ).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Show as chart' }));
    expect(chart('Invocations per model')).toBeInTheDocument();
  });
});
