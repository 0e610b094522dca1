import type { ReactElement } from 'react';
import type { Entity } from '@backstage/catalog-model';
import { configApiRef } from '@backstage/core-plugin-api';
import {
  mockApis,
  MockFetchApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { rest } from 'msw';
import type { SetupServer } from 'msw/node';
import type {
  BudgetIncrease,
  BudgetIncreaseList,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { BedrockClient, bedrockApiRef } from '../api';

export const BASE_URL = 'http://localhost:7007/api/bedrock';

/** The real client, against msw. */
export const createTestClient = () =>
  BedrockClient.create({
    discoveryApi: { getBaseUrl: async () => BASE_URL },
    fetchApi: new MockFetchApi(),
  });

/** Renders a view inside an entity page of a test app, with the real client. */
export function renderForEntity(
  element: ReactElement,
  entity: Entity,
  options: {
    config?: Record<string, any>;
    mountedRoutes?: Record<string, any>;
    /** the permission API's answer to every check; default allow */
    permission?: 'ALLOW' | 'DENY';
  } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [bedrockApiRef, createTestClient()],
        [configApiRef, mockApis.config({ data: options.config ?? {} })],
        [
          permissionApiRef,
          mockApis.permission({
            authorize:
              options.permission === 'DENY'
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }),
        ],
      ]}
    >
      <EntityProvider entity={entity}>{element}</EntityProvider>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        ...options.mountedRoutes,
      },
    },
  );
}

/** An error body as the Backstage backend writes it. */
export const errorBody = (
  name: string,
  message: string,
  statusCode: number,
) => ({
  error: { name, message },
  request: { method: 'GET', url: '/' },
  response: { statusCode },
});

/** The UTC day `offset` days from today, `YYYY-MM-DD`. */
export const dayFromToday = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** A pending budget increase of checkout-assistant; override what the test is about. */
export const budgetIncrease = (
  overrides: Partial<BudgetIncrease> = {},
): BudgetIncrease => ({
  id: 'bi-1',
  tenantId: 'checkout-assistant',
  entityRef: 'component:default/checkout-assistant',
  amountUsd: 200,
  endsOn: dayFromToday(20),
  reason: 'Load test of the new checkout flow',
  status: 'pending',
  requestedBy: 'user:default/alice',
  requestedAt: '2026-12-01T09:00:00.000Z',
  decidedBy: null,
  decidedAt: null,
  decisionNote: null,
  limitBeforeUsd: null,
  limitDuringUsd: null,
  endedAt: null,
  endNote: null,
  ...overrides,
});

/** An answer of GET budget-increases: none yet, the caller may ask but not decide. */
export const budgetIncreaseList = (
  overrides: Partial<BudgetIncreaseList> = {},
): BudgetIncreaseList => ({
  increases: [],
  canRequest: true,
  canDecide: false,
  limits: { maxAmountUsd: 1000, latestEndsOn: dayFromToday(90) },
  ...overrides,
});

/** Serves GET budget-increases of any entity; records every request's URL. */
export function serveBudgetIncreases(
  server: SetupServer,
  reply: (url: URL) => { status: number; body: unknown },
) {
  const requests: URL[] = [];
  server.use(
    rest.get(
      `${BASE_URL}/entity/:kind/:namespace/:name/budget-increases`,
      (req, res, ctx) => {
        requests.push(req.url);
        const { status, body } = reply(req.url);
        return res(ctx.status(status), ctx.json(body as object));
      },
    ),
  );
  return requests;
}

/**
 * Serves one summary route; records every request's URL. Also answers the tab's other request,
 * the budget increases, with an empty list (`serveBudgetIncreases` after it overrides that).
 */
export function serveSummary(
  server: SetupServer,
  reply: (url: URL) => { status: number; body: unknown },
) {
  const requests: URL[] = [];
  serveBudgetIncreases(server, () => ({
    status: 200,
    body: budgetIncreaseList(),
  }));
  server.use(
    rest.get(
      `${BASE_URL}/entity/:kind/:namespace/:name/summary`,
      (req, res, ctx) => {
        requests.push(req.url);
        const { status, body } = reply(req.url);
        return res(ctx.status(status), ctx.json(body as object));
      },
    ),
  );
  return requests;
}
