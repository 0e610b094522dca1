import { screen } from '@testing-library/react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { setupServer } from 'msw/node';
import { plainEntity, tenantEntity } from '../../__fixtures__/entities';
import { entitySummary, partialSummary } from '../../__fixtures__/summary';
import {
  errorBody,
  renderForEntity,
  serveSummary,
} from '../../__testUtils__/testApp';
import { BedrockOverviewCard } from './BedrockOverviewCard';

const server = setupServer();
registerMswTestHooks(server);

const value = (id: string) => screen.getByTestId(`${id}-value`);

describe('BedrockOverviewCard', () => {
  it('shows this month: cost, projection, budget, alarms in ALARM, trend, link to the tab', async () => {
    const requests = serveSummary(server, () => ({
      status: 200,
      body: entitySummary,
    }));
    await renderForEntity(<BedrockOverviewCard />, tenantEntity);
    await screen.findByTestId('overview-month-to-date');
    expect(requests[0].searchParams.get('range')).toBe('mtd');
    expect(value('overview-month-to-date')).toHaveTextContent('$41.25');
    expect(value('overview-projection')).toHaveTextContent('$55.80');
    expect(value('overview-budget-used')).toHaveTextContent('82.5%');
    expect(value('overview-alarms')).toHaveTextContent('1');
    expect(screen.getByTestId('overview-trend')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /View Bedrock usage/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-assistant/bedrock',
    );
  });

  it('shows failed parts as not available and keeps the rest', async () => {
    serveSummary(server, () => ({ status: 200, body: partialSummary }));
    await renderForEntity(<BedrockOverviewCard />, tenantEntity);
    await screen.findByTestId('overview-month-to-date');
    expect(value('overview-month-to-date')).toHaveTextContent('not available');
    expect(value('overview-alarms')).toHaveTextContent('not available');
    expect(value('overview-budget-used')).toHaveTextContent('82.5%');
    expect(screen.getByText('Stale data')).toBeInTheDocument();
  });

  it('shows an unverified tenant without figures', async () => {
    serveSummary(server, () => ({
      status: 409,
      body: errorBody(
        'UnverifiedTenantError',
        'Unverified Bedrock tenant: Tenant checkout-assistant is bound to another entity, not to component:default/checkout-assistant. It is bound to an entity you cannot see. No Bedrock data is shown for component:default/checkout-assistant until a binding confirms its annotations. A Bedrock admin (permission bedrock.binding.manage) binds a tenant to its entity with the "Adopt" step of the bedrock-tenant-lifecycle template.',
        409,
      ),
    }));
    await renderForEntity(<BedrockOverviewCard />, tenantEntity);
    const state = await screen.findByTestId('bedrock-unverified');
    expect(state).toHaveTextContent('Unverified tenant');
    expect(state).toHaveTextContent('bedrock.binding.manage');
    expect(
      screen.queryByTestId('overview-month-to-date'),
    ).not.toBeInTheDocument();
  });

  it('names the missing annotation', async () => {
    await renderForEntity(<BedrockOverviewCard />, plainEntity);
    expect(screen.getByText(/Missing Annotation/i)).toBeInTheDocument();
  });

  it('says when the user may not see the usage', async () => {
    serveSummary(server, () => ({
      status: 403,
      body: errorBody('NotAllowedError', 'denied', 403),
    }));
    await renderForEntity(<BedrockOverviewCard />, tenantEntity);
    expect(await screen.findByText('Not permitted')).toBeInTheDocument();
    expect(
      screen.queryByTestId('overview-month-to-date'),
    ).not.toBeInTheDocument();
  });
});
