import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { groupEntity } from '../../__fixtures__/entities';
import {
  emptyRollup,
  groupRollup,
  groupRollupWithChildren,
} from '../../__fixtures__/rollup';
import {
  BASE_URL,
  errorBody,
  renderForEntity,
} from '../../__testUtils__/testApp';
import { BedrockGroupCard } from './BedrockGroupCard';

const server = setupServer();
registerMswTestHooks(server);

const value = (id: string) => screen.getByTestId(`${id}-value`);

function serveRollup(reply: (url: URL) => { status: number; body: unknown }) {
  const requests: URL[] = [];
  server.use(
    rest.get(`${BASE_URL}/group/default/payments/rollup`, (req, res, ctx) => {
      requests.push(req.url);
      const { status, body } = reply(req.url);
      return res(ctx.status(status), ctx.json(body as object));
    }),
  );
  return requests;
}

describe('BedrockGroupCard', () => {
  it('shows the totals of every tenant the group owns', async () => {
    serveRollup(() => ({ status: 200, body: groupRollup }));
    await renderForEntity(<BedrockGroupCard />, groupEntity);
    await screen.findByTestId('group-total-tenants');
    expect(value('group-total-tenants')).toHaveTextContent('3');
    expect(value('group-total-invocations')).toHaveTextContent('20,345');
    expect(value('group-total-tokens')).toHaveTextContent('20M / 3M');
    expect(value('group-total-month-to-date')).toHaveTextContent('$70.25');
    expect(screen.getByTestId('group-total-month-to-date')).toHaveTextContent(
      '1 tenant(s) unpriced',
    );
    expect(value('group-total-projection')).toHaveTextContent('$95.50');
    expect(value('group-total-budget')).toHaveTextContent('$150.00');
    expect(value('group-total-alarms')).toHaveTextContent('2');
  });

  it('lists tenants by cost, unpriced last, with budget burn and links to their tabs', async () => {
    serveRollup(() => ({ status: 200, body: groupRollup }));
    await renderForEntity(<BedrockGroupCard />, groupEntity);
    const table = (await screen.findByText('Checkout assistant')).closest(
      'table',
    )!;
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map(r => within(r).getAllByRole('cell')[0].textContent),
    ).toEqual(['Checkout assistant', 'Fraud scorer', 'Receipt OCR']);
    expect(rows[0]).toHaveTextContent('82.5%');
    expect(within(rows[0]).getByTitle('of $50.00')).toBeInTheDocument();
    expect(screen.queryByTestId('tenant-owner')).not.toBeInTheDocument();
    expect(rows[0]).toHaveTextContent('⚠ 1');
    expect(rows[2]).toHaveTextContent('unpriced');
    expect(rows[2]).toHaveTextContent('no budget');
    expect(within(rows[0]).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-assistant/bedrock',
    );
    const unannotated = screen.getByTestId('group-unannotated');
    expect(
      within(unannotated).getByRole('link', { name: 'legacy-billing' }),
    ).toHaveAttribute('href', '/catalog/default/component/legacy-billing');
  });

  it('lists unverified entities apart from the tenants and the totals', async () => {
    serveRollup(() => ({ status: 200, body: groupRollup }));
    await renderForEntity(<BedrockGroupCard />, groupEntity);
    const unverified = await screen.findByTestId('group-unverified');
    expect(
      within(unverified).getByRole('link', { name: 'Checkout copy' }),
    ).toHaveAttribute('href', '/catalog/default/component/checkout-copy');
    expect(unverified).toHaveTextContent('not in the totals');
    expect(unverified).toHaveTextContent('bound to another entity');
    const table = screen.getByText('Checkout assistant').closest('table')!;
    expect(within(table).queryByText('Checkout copy')).not.toBeInTheDocument();
    expect(value('group-total-tenants')).toHaveTextContent('3');
  });

  it('includes child groups when switched on', async () => {
    const requests = serveRollup(url => ({
      status: 200,
      body:
        url.searchParams.get('includeChildren') === 'true'
          ? groupRollupWithChildren
          : groupRollup,
    }));
    await renderForEntity(<BedrockGroupCard />, groupEntity);
    await screen.findByTestId('group-total-tenants');
    expect(requests[0].searchParams.get('includeChildren')).toBe('false');
    fireEvent.click(screen.getByLabelText('Include child groups'));
    await waitFor(() =>
      expect(value('group-total-tenants')).toHaveTextContent('4'),
    );
    expect(requests.at(-1)?.searchParams.get('includeChildren')).toBe('true');
    expect(screen.getByText('Risk explainer')).toBeInTheDocument();
    // with child groups the owner tells the tenants apart
    expect(
      screen.getAllByTestId('tenant-owner').map(o => o.textContent),
    ).toContain('payments-risk');
  });

  it('says when the group owns no tenant', async () => {
    serveRollup(() => ({ status: 200, body: emptyRollup }));
    await renderForEntity(<BedrockGroupCard />, groupEntity);
    expect(
      await screen.findByText('This group owns no Bedrock tenant.'),
    ).toBeInTheDocument();
    expect(value('group-total-tenants')).toHaveTextContent('0');
  });

  it.each([
    [403, 'Not permitted'],
    [500, 'rollup exploded'],
  ])('shows a %s from the backend', async (status, text) => {
    serveRollup(() => ({
      status,
      body: errorBody('Error', 'rollup exploded', status),
    }));
    await renderForEntity(<BedrockGroupCard />, groupEntity);
    expect(
      (await screen.findAllByText(new RegExp(text))).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByTestId('group-total-tenants')).not.toBeInTheDocument();
  });
});
