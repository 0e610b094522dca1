import { fireEvent, screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { entitySummary } from '../../__fixtures__/summary';
import { ModelTable } from './ModelTable';

const modelColumn = () =>
  within(screen.getByRole('table'))
    .getAllByRole('row')
    .slice(1)
    .map(r => within(r).getAllByRole('cell')[0].textContent);

describe('ModelTable', () => {
  it('sorts by another column when its header is clicked', async () => {
    await renderInTestApp(<ModelTable models={entitySummary.models} />);
    expect(modelColumn()).toEqual([
      'Claude 3.5 Sonnet',
      'Claude 3 Haiku',
      'acme-ft (custom)',
    ]);
    // fewest calls first, then most: every press sorts (e2e/a11y presses it with the keyboard)
    fireEvent.click(screen.getByText('Calls'));
    expect(modelColumn()).toEqual([
      'acme-ft (custom)',
      'Claude 3.5 Sonnet',
      'Claude 3 Haiku',
    ]);
    fireEvent.click(screen.getByText('Calls'));
    expect(modelColumn()).toEqual([
      'Claude 3 Haiku',
      'Claude 3.5 Sonnet',
      'acme-ft (custom)',
    ]);
  });

  it('shows time to first token per model, "not available" for a model never streamed', async () => {
    await renderInTestApp(<ModelTable models={entitySummary.models} />);
    const header = within(screen.getByRole('table')).getAllByRole(
      'columnheader',
    );
    const col = header.findIndex(h => h.textContent === 'Time to first token');
    expect(col).toBeGreaterThan(0);
    const ttft = within(screen.getByRole('table'))
      .getAllByRole('row')
      .slice(1)
      .map(r => [
        within(r).getAllByRole('cell')[0].textContent,
        within(r).getAllByRole('cell')[col].textContent,
      ]);
    expect(ttft).toEqual([
      ['Claude 3.5 Sonnet', '530 ms'],
      ['Claude 3 Haiku', '210 ms'],
      ['acme-ft (custom)', 'not available'],
    ]);
    expect(screen.getByText('210 ms')).toHaveAttribute(
      'title',
      'average over 6,000 streaming requests; p99 480 ms',
    );
  });

  it('says where each price came from and from which day, a dash for an unpriced model', async () => {
    await renderInTestApp(<ModelTable models={entitySummary.models} />);
    const header = within(screen.getByRole('table')).getAllByRole(
      'columnheader',
    );
    const col = header.findIndex(h => h.textContent === 'Price');
    expect(col).toBeGreaterThan(0);
    const prices = within(screen.getByRole('table'))
      .getAllByRole('row')
      .slice(1)
      .map(r => [
        within(r).getAllByRole('cell')[0].textContent,
        within(r).getAllByRole('cell')[col].textContent,
      ]);
    expect(prices).toEqual([
      [
        'Claude 3.5 Sonnet',
        'built-in table, from 2025-07-20operator (bedrock.prices), from 2026-11-18',
      ],
      ['Claude 3 Haiku', 'AWS price list, from 2024-03-13 (us-east-1)'],
      ['acme-ft (custom)', '–'],
    ]);
    expect(
      screen.getByText('AWS price list, from 2024-03-13 (us-east-1)'),
    ).toHaveAttribute(
      'title',
      'AWS Price List API (AmazonBedrockFoundationModels, us-east-1, effective 2024-03-13)',
    );
  });

  it('says when nothing was invoked', async () => {
    await renderInTestApp(<ModelTable models={[]} />);
    expect(
      screen.getByText('No invocations in this range.'),
    ).toBeInTheDocument();
  });
});
