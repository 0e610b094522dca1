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

  it('shows billed against estimated per tenant and for the group, the billing lag stated', async () => {
    const lag = 'billed figures lag 24-48 h; last complete day 2026-11-17';
    const [first, ...others] = groupRollup.tenants;
    serveRollup(() => ({
      status: 200,
      body: {
        ...groupRollup,
        totals: {
          ...groupRollup.totals,
          // 40.00 billed against 36.00 estimated over the days billed
          reconciliation: {
            tenants: 1,
            billedUsd: 40,
            estimatedUsd: 36,
            varianceUsd: 4,
            variancePercent: 10,
            comparedThrough: '2026-11-17',
            lagNote: lag,
          },
        },
        tenants: [
          {
            ...first,
            reconciliation: {
              month: '2026-11',
              source: 'iam-principal-tag',
              lagHours: 48,
              comparedThrough: '2026-11-17',
              monthComplete: false,
              billedUsd: 40,
              estimatedUsd: 36,
              varianceUsd: 4,
              variancePercent: 10,
              estimateComplete: true,
              asOf: '2026-11-20T06:00:00.000Z',
              lagNote: lag,
            },
          },
          ...others,
        ],
      },
    }));
    await renderForEntity(<BedrockGroupCard />, groupEntity);
    await screen.findByTestId('group-total-bill-variance');
    expect(value('group-total-bill-variance')).toHaveTextContent(
      '+$4.00 (+10.0%)',
    );
    expect(screen.getByTestId('group-total-bill-variance')).toHaveTextContent(
      `1 tenant(s) billed; ${lag}`,
    );
    const cell = screen.getByTestId('tenant-bill-variance');
    expect(cell).toHaveTextContent('+$4.00 (+10.0%)');
    expect(cell).toHaveAttribute(
      'title',
      'Billed $40.00 against an estimate of $36.00 through 2026-11-17: the bill is +$4.00 (+10.0%) above the estimate. Billed figures lag 24-48 h; last complete day 2026-11-17.',
    );
  });

  it('shows no bill column or figure without billed figures', async () => {
    serveRollup(() => ({ status: 200, body: groupRollup }));
    await renderForEntity(<BedrockGroupCard />, groupEntity);
    await screen.findByTestId('group-total-tenants');
    expect(
      screen.queryByTestId('group-total-bill-variance'),
    ).not.toBeInTheDocument();
    expect(screen.queryByText('Bill vs est.')).not.toBeInTheDocument();
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

  it('says how many tenants the backend left out of the list, counted in the totals', async () => {
    serveRollup(() => ({ status: 200, body: groupRollup }));
    const first = await renderForEntity(<BedrockGroupCard />, groupEntity);
    await screen.findByText('Checkout assistant');
    expect(screen.queryByTestId('group-more-tenants')).toBeNull();
    first.unmount();
    serveRollup(() => ({
      status: 200,
      body: {
        ...groupRollup,
        tenants: groupRollup.tenants.slice(0, 1),
        tenantCount: 3,
        truncated: true,
      },
    }));
    await renderForEntity(<BedrockGroupCard />, groupEntity);
    expect(await screen.findByTestId('group-more-tenants')).toHaveTextContent(
      'and 2 more tenants',
    );
    expect(value('group-total-tenants')).toHaveTextContent('3');
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

  it('counts the unannotated and unverified entities the backend listed only in part', async () => {
    serveRollup(() => ({
      status: 200,
      body: { ...groupRollup, unannotatedCount: 1200, unverifiedCount: 1 },
    }));
    await renderForEntity(<BedrockGroupCard />, groupEntity);
    expect(await screen.findByTestId('group-unannotated')).toHaveTextContent(
      'Owned entities without valid Bedrock tenant annotations (1,200; the first 1)',
    );
    // every one listed: the count alone
    expect(screen.getByTestId('group-unverified')).toHaveTextContent(
      'Unverified tenants, not in the totals (1)',
    );
  });

  it("counts child groups by the backend's default, says which, and leaves them out when switched off", async () => {
    const requests = serveRollup(url => ({
      status: 200,
      body:
        url.searchParams.get('includeChildren') === 'false'
          ? groupRollup
          : groupRollupWithChildren,
    }));
    await renderForEntity(<BedrockGroupCard />, groupEntity);
    await waitFor(() =>
      expect(value('group-total-tenants')).toHaveTextContent('4'),
    );
    // the first request leaves the choice to the backend's bedrock.rollup.includeChildGroups
    expect(requests[0].searchParams.has('includeChildren')).toBe(false);
    const toggle = screen.getByLabelText('Include child groups');
    expect(toggle).toBeChecked();
    expect(screen.getByTestId('group-counted')).toHaveTextContent(
      'Counting the tenants of groups payments, payments-risk',
    );
    expect(screen.getByText('Risk explainer')).toBeInTheDocument();
    // with child groups the owner tells the tenants apart
    expect(
      screen.getAllByTestId('tenant-owner').map(o => o.textContent),
    ).toContain('payments-risk');
    fireEvent.click(toggle);
    await waitFor(() =>
      expect(value('group-total-tenants')).toHaveTextContent('3'),
    );
    expect(requests.at(-1)?.searchParams.get('includeChildren')).toBe('false');
    expect(screen.getByTestId('group-counted')).toHaveTextContent(
      'Counting the tenants of group payments.',
    );
  });

  it('marks a partial cost total and counts the tenants the caller may not read', async () => {
    serveRollup(() => ({ status: 200, body: groupRollup }));
    await renderForEntity(<BedrockGroupCard />, groupEntity);
    expect(await screen.findByTestId('group-partial')).toHaveTextContent(
      'partial',
    );
    expect(screen.getByTestId('group-total-month-to-date')).toHaveTextContent(
      'partial: priced usage only',
    );
    expect(screen.getByTestId('group-counted')).toHaveTextContent(
      'Cost is partial: 1 tenant(s) use models without a price',
    );
    expect(screen.getByTestId('group-counted')).toHaveTextContent(
      '1 tenant(s) you may not read are left out.',
    );
  });

  it('downloads the chargeback export of the chosen month as CSV and JSON', async () => {
    serveRollup(() => ({ status: 200, body: groupRollup }));
    const asked: URL[] = [];
    server.use(
      rest.get(
        `${BASE_URL}/group/default/payments/chargeback`,
        (req, res, ctx) => {
          asked.push(req.url);
          const format = req.url.searchParams.get('format');
          return res(
            ctx.set(
              'Content-Disposition',
              `attachment; filename="bedrock-chargeback-default-payments-2026-10.${format}"`,
            ),
            ctx.text(format === 'csv' ? 'month,row_type\r\n' : '{}'),
          );
        },
      ),
    );
    const saved: string[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function recordDownload(this: HTMLAnchorElement) {
        saved.push(this.download);
      });
    const createObjectURL = (URL.createObjectURL = jest.fn(() => 'blob:x'));
    URL.revokeObjectURL = jest.fn();
    try {
      await renderForEntity(<BedrockGroupCard />, groupEntity);
      const month = await screen.findByLabelText('Export month');
      fireEvent.change(month, { target: { value: '2026-10' } });
      fireEvent.click(screen.getByRole('button', { name: 'CSV' }));
      await waitFor(() => expect(saved).toHaveLength(1));
      fireEvent.click(screen.getByRole('button', { name: 'JSON' }));
      await waitFor(() => expect(saved).toHaveLength(2));
      expect(saved).toEqual([
        'bedrock-chargeback-default-payments-2026-10.csv',
        'bedrock-chargeback-default-payments-2026-10.json',
      ]);
      expect(asked.map(u => u.searchParams.toString())).toEqual([
        'month=2026-10&format=csv&includeChildren=false',
        'month=2026-10&format=json&includeChildren=false',
      ]);
      expect(createObjectURL).toHaveBeenCalledTimes(2);
    } finally {
      click.mockRestore();
    }
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
    [403, 'rollup exploded', 'Not permitted'],
    [500, 'rollup exploded', 'rollup exploded'],
    // a tree past bedrock.rollup.maxGroups: the backend's advice reaches the reader
    [
      400,
      'the group tree of group:default/payments has more than 2000 groups: open the roll-up of one of its child groups',
      'open the roll-up of one of its child groups',
    ],
  ])('shows a %s from the backend', async (status, message, text) => {
    serveRollup(() => ({
      status,
      body: errorBody(status === 400 ? 'InputError' : 'Error', message, status),
    }));
    await renderForEntity(<BedrockGroupCard />, groupEntity);
    expect(
      (await screen.findAllByText(new RegExp(text))).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByTestId('group-total-tenants')).not.toBeInTheDocument();
  });
});
