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

  it('says when nothing was invoked', async () => {
    await renderInTestApp(<ModelTable models={[]} />);
    expect(
      screen.getByText('No invocations in this range.'),
    ).toBeInTheDocument();
  });
});
