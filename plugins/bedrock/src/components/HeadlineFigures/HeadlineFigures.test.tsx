import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { emptySummary, entitySummary } from '../../__fixtures__/summary';
import type { BillingReconciliation } from '@bedrock-tenancy/plugin-bedrock-common';
import { HeadlineFigures } from './HeadlineFigures';

const figure = () => screen.getByTestId('headline-ttft');

describe('HeadlineFigures: time to first token', () => {
  it('shows the average weighted by streaming requests and the p99, in its accessible name', async () => {
    // fixture: 6,000 requests at 210 ms and 1,000 at 530 ms -> 1,790,000 / 7,000 = 255.7 ms
    await renderInTestApp(<HeadlineFigures summary={entitySummary} />);
    expect(screen.getByTestId('headline-ttft-value')).toHaveTextContent(
      '256 ms',
    );
    expect(figure()).toHaveAttribute('data-value', String(1_790_000 / 7000));
    expect(figure()).toHaveTextContent(
      'p99 1,900 ms · 7,000 streaming requests',
    );
    expect(
      screen.getByRole('group', {
        name: 'Time to first token: 256 ms average, p99 1,900 ms',
      }),
    ).toBeInTheDocument();
  });

  it('says "not available", never 0 ms, for a tenant with no streaming traffic', async () => {
    await renderInTestApp(<HeadlineFigures summary={emptySummary} />);
    expect(screen.getByTestId('headline-ttft-value')).toHaveTextContent(
      'not available',
    );
    expect(figure()).toHaveAttribute('data-value', '');
    expect(figure()).not.toHaveTextContent(/\b0 ms/);
    expect(
      screen.getByRole('group', {
        name: 'Time to first token: not available, no streaming requests',
      }),
    ).toBeInTheDocument();
  });

  it('keeps the average when the endpoint serves no p99', async () => {
    await renderInTestApp(
      <HeadlineFigures
        summary={{
          ...entitySummary,
          totals: { ...entitySummary.totals, ttftP99Ms: null },
        }}
      />,
    );
    expect(screen.getByTestId('headline-ttft-value')).toHaveTextContent(
      '256 ms',
    );
    expect(figure()).toHaveTextContent('p99 not available');
  });
});

describe('HeadlineFigures: estimate vs bill', () => {
  const withReconciliation = (
    r: BillingReconciliation | null,
  ): typeof entitySummary => {
    if (entitySummary.cost.status !== 'ok') throw new Error('fixture');
    return {
      ...entitySummary,
      cost: {
        status: 'ok',
        data: { ...entitySummary.cost.data, reconciliation: r },
      },
    };
  };

  it("shows the bill against the estimate of the month's billed days, with the lag", async () => {
    await renderInTestApp(
      <HeadlineFigures
        summary={withReconciliation({
          month: '2026-11',
          source: 'iam-principal-tag',
          lagHours: 48,
          comparedThrough: '2026-11-17',
          monthComplete: false,
          // USD 17.00 billed against 18.70 estimated
          billedUsd: 17,
          estimatedUsd: 18.7,
          varianceUsd: -1.7,
          variancePercent: -10,
          estimateComplete: true,
          asOf: '2026-11-20T06:00:00.000Z',
          lagNote: 'billed figures lag 24-48 h; last complete day 2026-11-17',
        })}
      />,
    );
    expect(
      screen.getByTestId('headline-bill-variance-value'),
    ).toHaveTextContent('−$1.70 (−10.0%)');
    expect(screen.getByTestId('headline-bill-variance')).toHaveTextContent(
      'billed figures lag 24-48 h; last complete day 2026-11-17',
    );
  });

  it('shows no bill figure without billed figures', async () => {
    await renderInTestApp(
      <HeadlineFigures summary={withReconciliation(null)} />,
    );
    expect(
      screen.queryByTestId('headline-bill-variance'),
    ).not.toBeInTheDocument();
  });
});
