import { useState } from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { tenantEntity } from '../../__fixtures__/entities';
import {
  BASE_URL,
  budgetIncrease,
  budgetIncreaseList,
  dayFromToday,
  errorBody,
  renderForEntity,
  serveBudgetIncreases,
} from '../../__testUtils__/testApp';
import { BudgetIncreases } from './BudgetIncreases';

const server = setupServer();
registerMswTestHooks(server);

// dialogs and their transitions: slow on a busy 2-core CI machine
jest.setTimeout(20_000);

const entity = {
  kind: 'Component',
  namespace: 'default',
  name: 'checkout-assistant',
};

const ok = (body: unknown) => () => ({ status: 200, body });

const render = () =>
  renderForEntity(<BudgetIncreases entity={entity} />, tenantEntity);

const type = (testId: string, value: string) =>
  fireEvent.change(screen.getByTestId(testId), { target: { value } });

async function openRequestDialog() {
  fireEvent.click(await screen.findByTestId('budget-increase-request'));
  return screen.findByRole('dialog', {
    name: 'Request a temporary budget increase',
  });
}

describe('BudgetIncreases', () => {
  it('shows the increase in force, the pending one and the history with reasons', async () => {
    serveBudgetIncreases(
      server,
      ok(
        budgetIncreaseList({
          increases: [
            budgetIncrease({ id: 'p', amountUsd: 150, endsOn: '2027-01-15' }),
            budgetIncrease({
              id: 'a',
              status: 'approved',
              endsOn: '2026-12-31',
              decidedBy: 'user:default/admin',
              decidedAt: '2026-12-02T10:00:00.000Z',
              limitBeforeUsd: 50,
              limitDuringUsd: 250,
              reason: 'Black Friday traffic',
            }),
            budgetIncrease({
              id: 'd',
              status: 'declined',
              amountUsd: 5000,
              decidedBy: 'user:default/admin',
              decidedAt: '2026-11-02T10:00:00.000Z',
              decisionNote: 'too much, ask for less',
            }),
            budgetIncrease({
              id: 'e',
              status: 'ended',
              amountUsd: 20,
              endsOn: '2026-11-30',
              decidedBy: 'user:default/admin',
              endedAt: '2026-12-01T00:05:00.000Z',
              endNote: 'budget back to $50.00',
            }),
            budgetIncrease({
              id: 'l',
              status: 'lapsed',
              amountUsd: 30,
              endsOn: '2026-10-31',
            }),
          ],
        }),
      ),
    );
    await render();
    expect(
      await screen.findByTestId('budget-increase-active'),
    ).toHaveTextContent(
      '+$200.00 until 2026-12-31, approved by user:default/admin',
    );
    expect(screen.getByText(/\$50\.00 → \$250\.00/)).toBeInTheDocument();
    expect(
      screen.getByText('Reason: Black Friday traffic'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('budget-increase-pending')).toHaveTextContent(
      '+$150.00 until 2027-01-15, asked by user:default/alice on 2026-12-01 09:00 UTC',
    );
    expect(screen.getByTestId('budget-increase-declined')).toHaveTextContent(
      'declined by user:default/admin on 2026-11-02 10:00 UTC: too much, ask for less',
    );
    expect(screen.getByTestId('budget-increase-ended')).toHaveTextContent(
      'ended 2026-12-01 00:05 UTC: budget back to $50.00',
    );
    expect(screen.getByTestId('budget-increase-lapsed')).toHaveTextContent(
      'Lapsed: +$30.00 until 2026-10-31',
    );
    expect(
      screen.getAllByText('Reason: Load test of the new checkout flow'),
    ).toHaveLength(4);
    expect(
      screen.getByRole('heading', { level: 3, name: 'In force' }),
    ).toBeInTheDocument();
    // a member who may ask, while one is open: no new request, and no decisions
    expect(
      screen.queryByTestId('budget-increase-request'),
    ).not.toBeInTheDocument();
    expect(
      screen.getByTestId('budget-increase-one-at-a-time'),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('budget-increase-approve'),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByTestId('budget-increase-decline'),
    ).not.toBeInTheDocument();
  });

  it('says when there are none, and offers no request to a caller who may not ask', async () => {
    serveBudgetIncreases(server, ok(budgetIncreaseList({ canRequest: false })));
    await render();
    expect(
      await screen.findByText(/No temporary increases/),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('budget-increase-request'),
    ).not.toBeInTheDocument();
  });

  it('shows a load failure in the panel', async () => {
    serveBudgetIncreases(server, () => ({
      status: 500,
      body: errorBody('Error', 'database is down', 500),
    }));
    await render();
    expect(
      await screen.findByTestId('budget-increases-error'),
    ).toHaveTextContent(
      'The budget increases could not be loaded: database is down',
    );
  });

  it.each([403, 404])('shows nothing on %s', async status => {
    const requests = serveBudgetIncreases(server, () => ({
      status,
      body: errorBody('NotAllowedError', 'no', status),
    }));
    await render();
    await waitFor(() => expect(requests).toHaveLength(1));
    await waitFor(() =>
      expect(screen.queryByTestId('budget-increases')).not.toBeInTheDocument(),
    );
  });

  it('reloads when the live signal version changes', async () => {
    const requests = serveBudgetIncreases(server, ok(budgetIncreaseList()));
    // stands in for the tab, whose signal version changes
    const Tab = () => {
      const [version, setVersion] = useState(0);
      return (
        <>
          <button onClick={() => setVersion(v => v + 1)}>Signal</button>
          <BudgetIncreases entity={entity} version={version} />
        </>
      );
    };
    await renderForEntity(<Tab />, tenantEntity);
    await waitFor(() => expect(requests).toHaveLength(1));
    fireEvent.click(screen.getByRole('button', { name: 'Signal' }));
    await waitFor(() => expect(requests).toHaveLength(2));
  });

  it('checks the request before posting it: zero amount, end date past the latest, no reason', async () => {
    const latest = dayFromToday(30);
    serveBudgetIncreases(
      server,
      ok(
        budgetIncreaseList({
          limits: { maxAmountUsd: 500, latestEndsOn: latest },
        }),
      ),
    );
    let posted = 0;
    server.use(
      rest.post(
        `${BASE_URL}/entity/:kind/:namespace/:name/budget-increases`,
        (_req, res, ctx) => {
          posted++;
          return res(ctx.status(201), ctx.json(budgetIncrease()));
        },
      ),
    );
    await render();
    const dialog = await openRequestDialog();
    expect(within(dialog).getByLabelText(/Last day \(UTC\)/)).toHaveAttribute(
      'max',
      latest,
    );
    expect(within(dialog).getByLabelText(/Amount \(USD\)/)).toHaveAttribute(
      'type',
      'number',
    );
    expect(within(dialog).getByLabelText(/Reason/)).toBeInTheDocument();
    type('budget-increase-amount', '0');
    type('budget-increase-ends-on', dayFromToday(31));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Submit' }));
    expect(
      await within(dialog).findByText('Enter an amount above $0.00'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(`The end date may be ${latest} at the latest`),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('Say why the tenant needs the increase'),
    ).toBeInTheDocument();
    type('budget-increase-amount', '600');
    expect(
      within(dialog).getByText('At most $500.00 for now'),
    ).toBeInTheDocument();
    type('budget-increase-ends-on', dayFromToday(-1));
    expect(
      within(dialog).getByText('The end date is in the past'),
    ).toBeInTheDocument();
    expect(posted).toBe(0);
  });

  it('posts the request, closes and reloads', async () => {
    let lists = 0;
    serveBudgetIncreases(server, () => {
      lists++;
      return {
        status: 200,
        body: budgetIncreaseList({
          increases: lists > 1 ? [budgetIncrease({ amountUsd: 200.5 })] : [],
        }),
      };
    });
    let body: unknown;
    server.use(
      rest.post(
        `${BASE_URL}/entity/Component/default/checkout-assistant/budget-increases`,
        async (req, res, ctx) => {
          body = await req.json();
          return res(ctx.status(201), ctx.json(budgetIncrease()));
        },
      ),
    );
    const onChange = jest.fn();
    await renderForEntity(
      <BudgetIncreases entity={entity} onChange={onChange} />,
      tenantEntity,
    );
    const dialog = await openRequestDialog();
    const endsOn = dayFromToday(10);
    type('budget-increase-amount', '200.50');
    type('budget-increase-ends-on', endsOn);
    type('budget-increase-reason', '  Load test of the new checkout flow ');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Submit' }));
    // the request, then the dialog's fade-out: more than waitFor's 1 s on a loaded machine
    await waitFor(
      () => expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      { timeout: 10_000 },
    );
    expect(body).toEqual({
      amountUsd: 200.5,
      endsOn,
      reason: 'Load test of the new checkout flow',
    });
    expect(
      await screen.findByTestId('budget-increase-pending'),
    ).toHaveTextContent('+$200.50');
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it("shows the backend's refusal in the dialog", async () => {
    serveBudgetIncreases(server, ok(budgetIncreaseList()));
    server.use(
      rest.post(
        `${BASE_URL}/entity/:kind/:namespace/:name/budget-increases`,
        (_req, res, ctx) =>
          res(
            ctx.status(409),
            ctx.json(
              errorBody(
                'ConflictError',
                'An increase is already pending for this tenant',
                409,
              ),
            ),
          ),
      ),
    );
    await render();
    const dialog = await openRequestDialog();
    type('budget-increase-amount', '100');
    type('budget-increase-ends-on', dayFromToday(10));
    type('budget-increase-reason', 'More traffic');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Submit' }));
    expect(
      await within(dialog).findByTestId('budget-increase-request-error'),
    ).toHaveTextContent(
      'The request was not accepted: An increase is already pending for this tenant',
    );
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('lets an admin approve with a note and decline, reloading after each', async () => {
    const requests = serveBudgetIncreases(
      server,
      ok(
        budgetIncreaseList({
          canDecide: true,
          increases: [budgetIncrease({ id: 'bi-7' })],
        }),
      ),
    );
    const decisions: Array<{ path: string; body: unknown }> = [];
    server.use(
      rest.post(
        `${BASE_URL}/budget-increases/:id/:decision`,
        async (req, res, ctx) => {
          decisions.push({ path: req.url.pathname, body: await req.json() });
          return res(ctx.json(budgetIncrease({ status: 'approved' })));
        },
      ),
    );
    await render();
    fireEvent.click(await screen.findByTestId('budget-increase-approve'));
    let dialog = await screen.findByRole('dialog', {
      name: 'Approve the budget increase',
    });
    fireEvent.change(
      within(dialog).getByLabelText('Note to the requester (optional)'),
      { target: { value: 'fine for December' } },
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(decisions).toHaveLength(1));
    // the request, then the dialog's fade-out: more than waitFor's 1 s on a loaded machine
    await waitFor(
      () => expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      { timeout: 10_000 },
    );
    await waitFor(() => expect(requests).toHaveLength(2));

    fireEvent.click(screen.getByTestId('budget-increase-decline'));
    dialog = await screen.findByRole('dialog', {
      name: 'Decline the budget increase',
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Decline' }));
    await waitFor(() => expect(decisions).toHaveLength(2));
    await waitFor(() => expect(requests).toHaveLength(3));
    expect(decisions).toEqual([
      {
        path: '/api/bedrock/budget-increases/bi-7/approve',
        body: { note: 'fine for December' },
      },
      { path: '/api/bedrock/budget-increases/bi-7/decline', body: {} },
    ]);
  });

  it('shows a refused decision in its dialog', async () => {
    serveBudgetIncreases(
      server,
      ok(
        budgetIncreaseList({ canDecide: true, increases: [budgetIncrease()] }),
      ),
    );
    server.use(
      rest.post(`${BASE_URL}/budget-increases/:id/approve`, (_req, res, ctx) =>
        res(
          ctx.status(409),
          ctx.json(errorBody('ConflictError', 'already declined', 409)),
        ),
      ),
    );
    await render();
    fireEvent.click(await screen.findByTestId('budget-increase-approve'));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    expect(
      await within(dialog).findByTestId('budget-increase-decision-error'),
    ).toHaveTextContent('Approving failed: already declined');
  });
});
