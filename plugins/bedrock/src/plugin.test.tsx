import { screen } from '@testing-library/react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { setupServer } from 'msw/node';
import { rest } from 'msw';
import { Route, Routes } from 'react-router-dom';
import {
  groupEntity,
  plainEntity,
  tenantEntity,
} from './__fixtures__/entities';
import { entitySummary } from './__fixtures__/summary';
import { groupRollup } from './__fixtures__/rollup';
import {
  BASE_URL,
  renderForEntity,
  serveSummary,
} from './__testUtils__/testApp';
import { bedrockApiRef } from './api';
import {
  bedrockPlugin,
  EntityBedrockContent,
  EntityBedrockGroupCard,
  EntityBedrockOverviewCard,
  isBedrockAvailable,
} from './index';

const server = setupServer();
registerMswTestHooks(server);

describe('legacy plugin', () => {
  it('provides the client factory', () => {
    const apis = [...bedrockPlugin.getApis()];
    expect(apis.map(a => a.api.id)).toEqual([bedrockApiRef.id]);
    expect(Object.keys(apis[0].deps).sort()).toEqual([
      'discoveryApi',
      'fetchApi',
    ]);
  });

  it('tells tenant entities apart', () => {
    expect(isBedrockAvailable(tenantEntity)).toBe(true);
    expect(isBedrockAvailable(plainEntity)).toBe(false);
  });

  it('renders the tab extension', async () => {
    serveSummary(server, () => ({ status: 200, body: entitySummary }));
    await renderForEntity(
      <Routes>
        <Route path="/" element={<EntityBedrockContent />} />
      </Routes>,
      tenantEntity,
    );
    expect(
      await screen.findByTestId('headline-invocations-value'),
    ).toHaveTextContent('12,345');
  });

  it('renders the overview card extension', async () => {
    serveSummary(server, () => ({ status: 200, body: entitySummary }));
    await renderForEntity(<EntityBedrockOverviewCard />, tenantEntity);
    expect(
      await screen.findByTestId('overview-month-to-date-value'),
    ).toHaveTextContent('$41.25');
  });

  it('renders the group card extension', async () => {
    server.use(
      rest.get(`${BASE_URL}/group/default/payments/rollup`, (_req, res, ctx) =>
        res(ctx.json(groupRollup)),
      ),
    );
    await renderForEntity(<EntityBedrockGroupCard />, groupEntity);
    expect(
      await screen.findByTestId('group-total-tenants-value'),
    ).toHaveTextContent('3');
  });
});
