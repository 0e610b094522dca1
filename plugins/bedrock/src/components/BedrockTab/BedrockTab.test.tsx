import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_TENANT_ID,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { plainEntity, tenantEntity } from '../../__fixtures__/entities';
import {
  emptySummary,
  entitySummary,
  partialSummary,
} from '../../__fixtures__/summary';
import {
  BASE_URL,
  budgetIncrease,
  budgetIncreaseList,
  errorBody,
  renderForEntity,
  serveBudgetIncreases,
  serveSummary,
} from '../../__testUtils__/testApp';
import { BedrockTab } from './BedrockTab';

const server = setupServer();
registerMswTestHooks(server);

const ok = (body: unknown) => () => ({ status: 200, body });
const figure = (id: string) => screen.getByTestId(`${id}-value`);

// user-event walks through pickers and dialogs: slow on a busy 2-core CI machine
jest.setTimeout(20_000);

describe('BedrockTab', () => {
  it('names the missing annotation and calls no backend', async () => {
    const requests = serveSummary(server, ok(entitySummary));
    await renderForEntity(<BedrockTab />, plainEntity);
    expect(screen.getByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(screen.getAllByText(ANNOTATION_TENANT_ID).length).toBeGreaterThan(0);
    expect(requests).toHaveLength(0);
  });

  it('says which annotation is malformed', async () => {
    const entity = {
      ...tenantEntity,
      metadata: {
        ...tenantEntity.metadata,
        annotations: {
          ...tenantEntity.metadata.annotations,
          [ANNOTATION_ACCOUNT_ID]: '12345',
        },
      },
    };
    await renderForEntity(<BedrockTab />, entity);
    expect(screen.getByText(/annotations are malformed/)).toBeInTheDocument();
    expect(
      screen.getByText(/"12345" is not an AWS account id/),
    ).toBeInTheDocument();
  });

  it('shows the headline figures, exact in their titles', async () => {
    serveSummary(server, ok(entitySummary));
    await renderForEntity(<BedrockTab />, tenantEntity);
    await screen.findByTestId('headline-invocations');
    expect(figure('headline-invocations')).toHaveTextContent('12,345');
    expect(figure('headline-input-tokens')).toHaveTextContent('12.1M');
    expect(figure('headline-input-tokens')).toHaveAttribute(
      'title',
      '12,123,456',
    );
    expect(screen.getByTestId('headline-input-tokens')).toHaveAttribute(
      'data-value',
      '12123456',
    );
    expect(figure('headline-output-tokens')).toHaveTextContent('1.7M');
    expect(figure('headline-estimated-cost')).toHaveTextContent('$14.00');
    expect(screen.getByTestId('headline-estimated-cost')).toHaveTextContent(
      '1 unpriced',
    );
    expect(figure('headline-projection')).toHaveTextContent('$55.80');
    expect(figure('headline-budget-used')).toHaveTextContent('82.5%');
    expect(figure('headline-error-rate')).toHaveTextContent('0.6%');
    expect(figure('headline-latency-avg')).toHaveTextContent('935 ms');
    expect(figure('headline-latency-p99')).toHaveTextContent('5,432 ms');
    expect(figure('headline-throttles')).toHaveTextContent('42');
    expect(
      screen.getByRole('group', { name: 'Invocations: 12,345' }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('freshness')).toHaveTextContent(
      'Data until 2026-11-23 10:00 UTC · last collected 2026-11-23 10:05 UTC',
    );
    expect(screen.queryByTestId('stale-warning')).not.toBeInTheDocument();
  });

  it('says "not available" for a missing p99, never 0', async () => {
    serveSummary(
      server,
      ok({
        ...entitySummary,
        totals: { ...entitySummary.totals, latencyP99Ms: null },
      }),
    );
    await renderForEntity(<BedrockTab />, tenantEntity);
    await screen.findByTestId('headline-latency-p99');
    expect(figure('headline-latency-p99')).toHaveTextContent('not available');
    expect(screen.getByTestId('headline-latency-p99')).toHaveAttribute(
      'data-value',
      '',
    );
  });

  it('shows a range of unpriced traffic only as "unpriced", not $0.00', async () => {
    const custom = entitySummary.models.find(m => !m.priced)!;
    serveSummary(
      server,
      ok({
        ...entitySummary,
        models: [custom],
        cost: {
          status: 'ok',
          data: {
            ...(entitySummary.cost as { data: object }).data,
            rangeEstimatedUsd: 0,
          },
        },
      }),
    );
    await renderForEntity(<BedrockTab />, tenantEntity);
    await screen.findByTestId('headline-estimated-cost');
    expect(figure('headline-estimated-cost')).toHaveTextContent('unpriced');
    expect(screen.getByTestId('headline-estimated-cost')).toHaveAttribute(
      'data-value',
      '',
    );
  });

  it('lists models by cost, unpriced last and never as $0', async () => {
    serveSummary(server, ok(entitySummary));
    await renderForEntity(<BedrockTab />, tenantEntity);
    const table = (await screen.findByText('Claude 3.5 Sonnet')).closest(
      'table',
    )!;
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map(r => within(r).getAllByRole('cell')[0].textContent),
    ).toEqual(['Claude 3.5 Sonnet', 'Claude 3 Haiku', 'acme-ft (custom)']);
    expect(rows[0]).toHaveTextContent('$10.50');
    expect(rows[0]).toHaveTextContent('75.0%');
    expect(rows[2]).toHaveTextContent('unpriced');
    expect(rows[2]).not.toHaveTextContent('$0.00');
  });

  it("breaks a several-region tenant's usage down by region, then by model", async () => {
    const model = (modelId: string, calls: number, usd: number | null) => ({
      modelId,
      invocations: calls,
      inputTokens: calls * 10,
      outputTokens: calls,
      estimatedCostUsd: usd,
    });
    const region = (name: string, models: any[], usd: number | null) => ({
      region: name,
      invocations: models.reduce((s, m) => s + m.invocations, 0),
      inputTokens: models.reduce((s, m) => s + m.inputTokens, 0),
      outputTokens: models.reduce((s, m) => s + m.outputTokens, 0),
      clientErrors: 0,
      serverErrors: 0,
      throttles: 0,
      estimatedCostUsd: usd,
      models,
    });
    serveSummary(
      server,
      ok({
        ...entitySummary,
        byRegion: [
          region(
            'eu-west-1',
            [model('anthropic.claude-3-haiku-20240307-v1:0', 40, 0.4)],
            0.4,
          ),
          region(
            'us-east-1',
            [
              model('anthropic.claude-3-5-sonnet-20240620-v1:0', 70, 10.5),
              model('acme-ft', 5, null),
            ],
            null,
          ),
        ],
      }),
    );
    await renderForEntity(<BedrockTab />, tenantEntity);
    const table = (await screen.findByText('By region'))
      .closest('div[class*="MuiPaper"]')!
      .querySelector('table')!;
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map(r =>
        within(r)
          .getAllByRole('cell')
          .map(c => c.textContent),
      );
    expect(rows.map(r => [r[0], r[1], r[2], r[5]])).toEqual([
      ['eu-west-1', 'All models', '40', '$0.40'],
      ['', 'Claude 3 Haiku', '40', '$0.40'],
      ['us-east-1', 'All models', '75', 'unpriced'],
      ['', 'Claude 3.5 Sonnet', '70', '$10.50'],
      ['', 'acme-ft', '5', 'unpriced'],
    ]);
  });

  it('renders alarms, budget, governance, advice and cost notes', async () => {
    serveSummary(server, ok(entitySummary));
    await renderForEntity(<BedrockTab />, tenantEntity);
    const link = await screen.findByRole('link', {
      name: /bedrock-checkout-assistant-throttles/,
    });
    expect(link).toHaveAttribute(
      'href',
      entitySummary.alarms.status === 'ok'
        ? entitySummary.alarms.data[0].consoleUrl
        : '',
    );
    expect(screen.getByTestId('alarm-state-ALARM')).toHaveTextContent(
      'In alarm',
    );
    expect(screen.getByTestId('alarm-state-OK')).toHaveTextContent('OK');
    expect(screen.getByTestId('budget-limit')).toHaveTextContent('$50.00');
    expect(screen.getByTestId('budget-spent')).toHaveTextContent(
      '$41.25 (82.5%)',
    );
    expect(screen.getByTestId('budget-forecast')).toHaveTextContent('$55.80');
    expect(screen.getByTestId('budget-runs-out')).toHaveTextContent(
      '2026-11-27',
    );
    expect(
      screen.getByText(/Crossed: 80% of actual spend/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Not crossed: 100% of actual spend/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('governance-us-east-1')).toHaveTextContent(
      'us-east-1OnCloudWatch Logs /aws/bedrock/invocations, S3 s3://acme-bedrock-logsYes',
    );
    expect(screen.getByTestId('governance-eu-west-1')).toHaveTextContent(
      'eu-west-1Off',
    );
    expect(screen.getByTestId('idle-status')).toHaveTextContent('Active');
    expect(screen.getByText(/throttled 30 times/)).toBeInTheDocument();
    const notes = screen.getByTestId('cost-notes');
    expect(notes).toHaveTextContent('provisioned throughput');
    expect(notes).toHaveTextContent('on-demand model invocations');
    expect(notes).toHaveTextContent(
      'Billed month to date (as of 2026-11-22): $38.90',
    );
    expect(
      await screen.findByText('Tokens per model', {}, { timeout: 15000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('Estimated cost per model')).toBeInTheDocument();
    expect(screen.getByText('Errors and throttles')).toBeInTheDocument();
  });

  it('shows the budget increases right after the budget, a failure of theirs in their panel only', async () => {
    serveSummary(server, ok(entitySummary));
    serveBudgetIncreases(server, () => ({
      status: 500,
      body: errorBody('Error', 'database is down', 500),
    }));
    await renderForEntity(<BedrockTab />, tenantEntity);
    const panel = await screen.findByTestId('budget-increases');
    expect(screen.getByTestId('budget-left')).toHaveTextContent('$8.75');
    expect(
      screen.getByTestId('budget-left').compareDocumentPosition(panel) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(
      await within(panel).findByTestId('budget-increases-error'),
    ).toHaveTextContent('database is down');
    expect(figure('headline-invocations')).toHaveTextContent('12,345');
    expect(screen.getByTestId('budget-limit')).toHaveTextContent('$50.00');
  });

  it('shows an approved increase on the tab', async () => {
    serveSummary(server, ok(entitySummary));
    serveBudgetIncreases(server, () => ({
      status: 200,
      body: budgetIncreaseList({
        increases: [
          budgetIncrease({
            status: 'approved',
            endsOn: '2026-12-31',
            decidedBy: 'user:default/admin',
          }),
        ],
      }),
    }));
    await renderForEntity(<BedrockTab />, tenantEntity);
    expect(
      await screen.findByTestId('budget-increase-active'),
    ).toHaveTextContent(
      '+$200.00 until 2026-12-31, approved by user:default/admin',
    );
  });

  it('shows a failed panel in place while the rest renders', async () => {
    serveSummary(server, ok(partialSummary));
    await renderForEntity(<BedrockTab />, tenantEntity);
    await screen.findByTestId('headline-invocations');
    expect(figure('headline-invocations')).toHaveTextContent('12,345');
    expect(figure('headline-projection')).toHaveTextContent('not available');
    expect(
      screen.getByText(
        /Cost could not be loaded: Cost Explorer: AccessDeniedException/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /Alarms not available: CloudWatch alarms are not configured/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('budget-limit')).toHaveTextContent('$50.00');
    expect(screen.getByTestId('stale-warning')).toBeInTheDocument();
  });

  it('says when no data has been collected yet', async () => {
    serveSummary(server, ok(emptySummary));
    await renderForEntity(<BedrockTab />, tenantEntity);
    expect(await screen.findByText('No data yet')).toBeInTheDocument();
    expect(screen.getByTestId('freshness')).toHaveTextContent(
      'No data collected yet',
    );
    expect(
      screen.queryByTestId('headline-invocations'),
    ).not.toBeInTheDocument();
  });

  it.each([
    [403, 'NotAllowedError', 'Not permitted'],
    [404, 'NotFoundError', 'No Bedrock tenant found'],
  ])('shows a %s as %s', async (status, name, title) => {
    serveSummary(server, () => ({
      status,
      body: errorBody(name, `backend says ${status}`, status),
    }));
    await renderForEntity(<BedrockTab />, tenantEntity);
    expect(await screen.findByText(title)).toBeInTheDocument();
    expect(
      screen.getByText(new RegExp(`backend says ${status}`)),
    ).toBeInTheDocument();
  });

  it('shows an unverified tenant as such: no figures, and how an admin binds it', async () => {
    serveSummary(server, () => ({
      status: 409,
      body: errorBody(
        'UnverifiedTenantError',
        'Unverified Bedrock tenant: Tenant checkout-assistant is bound to another entity, not to component:default/checkout-assistant. It is bound to an entity you cannot see. No Bedrock data is shown for component:default/checkout-assistant until a binding confirms its annotations. A Bedrock admin (permission bedrock.binding.manage) binds a tenant to its entity with the "Adopt" step of the bedrock-tenant-lifecycle template.',
        409,
      ),
    }));
    await renderForEntity(<BedrockTab />, tenantEntity);
    const state = await screen.findByTestId('bedrock-unverified');
    expect(within(state).getByText('Unverified tenant')).toBeInTheDocument();
    expect(state).toHaveTextContent('bound to an entity you cannot see');
    expect(state).toHaveTextContent('bedrock-tenant-lifecycle');
    expect(
      screen.queryByTestId('headline-invocations'),
    ).not.toBeInTheDocument();
  });

  it('shows a backend error in an error panel', async () => {
    serveSummary(server, () => ({
      status: 500,
      body: errorBody('Error', 'database is down', 500),
    }));
    await renderForEntity(<BedrockTab />, tenantEntity);
    expect(
      (await screen.findAllByText(/database is down/)).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByText(/Error: database is down|database is down/, {
        selector: 'p',
      }),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('headline-invocations'),
    ).not.toBeInTheDocument();
  });

  it('reloads for another preset and for custom dates', async () => {
    const requests = serveSummary(server, ok(entitySummary));
    await renderForEntity(<BedrockTab />, tenantEntity);
    await screen.findByTestId('headline-invocations');
    expect(requests[0].searchParams.get('range')).toBe('7d');

    fireEvent.click(screen.getByRole('button', { name: '30 d' }));
    await waitFor(() =>
      expect(requests.at(-1)?.searchParams.get('range')).toBe('30d'),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Custom' }));
    fireEvent.change(screen.getByLabelText('From (UTC)'), {
      target: { value: '2026-11-01' },
    });
    fireEvent.change(screen.getByLabelText('To (UTC)'), {
      target: { value: '2026-11-07' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() =>
      expect(requests.at(-1)?.searchParams.get('from')).toBe(
        '2026-11-01T00:00:00.000Z',
      ),
    );
    expect(requests.at(-1)?.searchParams.get('to')).toBe(
      '2026-11-08T00:00:00.000Z',
    );
    expect(requests.at(-1)?.searchParams.has('range')).toBe(false);
  });

  it('posts a refresh, then reloads', async () => {
    const requests = serveSummary(server, ok(entitySummary));
    let posted = 0;
    server.use(
      rest.post(
        `${BASE_URL}/entity/Component/default/checkout-assistant/refresh`,
        (_req, res, ctx) => {
          posted++;
          return res(ctx.status(202), ctx.json({}));
        },
      ),
    );
    await renderForEntity(<BedrockTab />, tenantEntity);
    await screen.findByTestId('headline-invocations');
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(requests).toHaveLength(2));
    expect(posted).toBe(1);
  });

  it('offers no refresh to a caller without bedrock.usage.refresh, and still shows the data', async () => {
    serveSummary(server, ok(entitySummary));
    // another entity: usePermission caches answers per resource for the whole file
    const readOnly = {
      ...tenantEntity,
      metadata: { ...tenantEntity.metadata, name: 'read-only-tenant' },
    };
    await renderForEntity(<BedrockTab />, readOnly, { permission: 'DENY' });
    await screen.findByTestId('headline-invocations');
    expect(screen.getByTestId('freshness')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Refresh' }),
    ).not.toBeInTheDocument();
  });

  it('says so when a refresh is rate-limited', async () => {
    serveSummary(server, ok(entitySummary));
    server.use(
      rest.post(
        `${BASE_URL}/entity/:kind/:namespace/:name/refresh`,
        (_req, res, ctx) =>
          res(
            ctx.status(429),
            ctx.json(
              errorBody('TooManyRequestsError', 'try again in 42 s', 429),
            ),
          ),
      ),
    );
    await renderForEntity(<BedrockTab />, tenantEntity);
    await screen.findByTestId('headline-invocations');
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByTestId('refresh-error')).toHaveTextContent(
      'Refresh is rate-limited: try again in 42 s',
    );
  });

  it('keeps the data when a refresh fails', async () => {
    serveSummary(server, ok(entitySummary));
    server.use(
      rest.post(
        `${BASE_URL}/entity/:kind/:namespace/:name/refresh`,
        (_req, res, ctx) =>
          res(
            ctx.status(503),
            ctx.json(
              errorBody('ServiceUnavailableError', 'AWS unreachable', 503),
            ),
          ),
      ),
    );
    await renderForEntity(<BedrockTab />, tenantEntity);
    await screen.findByTestId('headline-invocations');
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByTestId('refresh-error')).toHaveTextContent(
      'Refresh failed: AWS unreachable',
    );
    expect(figure('headline-invocations')).toHaveTextContent('12,345');
  });

  it('reloads on its own at the configured interval', async () => {
    const requests = serveSummary(server, ok(entitySummary));
    await renderForEntity(<BedrockTab />, tenantEntity, {
      config: { bedrock: { frontend: { autoRefreshSeconds: 1 } } },
    });
    await screen.findByTestId('headline-invocations');
    expect(screen.getByText('Auto-refresh every 1 s')).toBeInTheDocument();
    await waitFor(() => expect(requests.length).toBeGreaterThanOrEqual(2), {
      timeout: 3000,
    });
  });
});
