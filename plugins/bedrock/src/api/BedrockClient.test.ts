import { ResponseError } from '@backstage/errors';
import { registerMswTestHooks } from '@backstage/test-utils';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { entitySummary } from '../__fixtures__/summary';
import { groupRollup } from '../__fixtures__/rollup';
import {
  BASE_URL,
  budgetIncrease,
  budgetIncreaseList,
  createTestClient,
  errorBody,
} from '../__testUtils__/testApp';

const server = setupServer();
registerMswTestHooks(server);

const entity = {
  kind: 'Component',
  namespace: 'default',
  name: 'checkout-assistant',
};

describe('BedrockClient', () => {
  it("asks for a month's usage no tenant owns, and throws the backend's 403", async () => {
    const seen: URL[] = [];
    server.use(
      rest.get(`${BASE_URL}/admin/unattributed`, (req, res, ctx) => {
        seen.push(req.url);
        return seen.length === 1
          ? res(
              ctx.json({
                range: { from: 'a', to: 'b' },
                currency: 'USD',
                accountRegions: [],
                notes: [],
              }),
            )
          : res(
              ctx.status(403),
              ctx.json(errorBody('NotAllowedError', 'admins only', 403)),
            );
      }),
    );
    const client = createTestClient();
    const report = await client.getUnattributedUsage({ month: '2026-11' });
    expect(report.accountRegions).toEqual([]);
    expect(seen[0].searchParams.get('month')).toBe('2026-11');
    await expect(client.getUnattributedUsage({})).rejects.toMatchObject({
      statusCode: 403,
    });
    expect(seen[1].searchParams.has('month')).toBe(false);
  });

  it('asks for a preset range of an entity', async () => {
    let seen: URL | undefined;
    server.use(
      rest.get(
        `${BASE_URL}/entity/Component/default/checkout-assistant/summary`,
        (req, res, ctx) => {
          seen = req.url;
          return res(ctx.json(entitySummary));
        },
      ),
    );
    const summary = await createTestClient().getEntitySummary({
      entity,
      range: { preset: '30d' },
    });
    expect(summary.totals.invocations).toBe(12345);
    expect(seen?.searchParams.get('range')).toBe('30d');
    expect(seen?.searchParams.has('from')).toBe(false);
  });

  it('sends a custom range as from/to and escapes path parts', async () => {
    let seen: URL | undefined;
    server.use(
      rest.get(
        `${BASE_URL}/entity/:kind/:namespace/:name/summary`,
        (req, res, ctx) => {
          seen = req.url;
          return res(ctx.json(entitySummary));
        },
      ),
    );
    await createTestClient().getEntitySummary({
      entity: { kind: 'Component', namespace: 'my ns', name: 'a/b' },
      range: {
        from: '2026-11-01T00:00:00.000Z',
        to: '2026-11-08T00:00:00.000Z',
      },
    });
    expect(seen?.pathname).toBe(
      '/api/bedrock/entity/Component/my%20ns/a%2Fb/summary',
    );
    expect(seen?.searchParams.get('from')).toBe('2026-11-01T00:00:00.000Z');
    expect(seen?.searchParams.get('to')).toBe('2026-11-08T00:00:00.000Z');
    expect(seen?.searchParams.has('range')).toBe(false);
  });

  it('asks for a group roll-up with or without child groups', async () => {
    const seen: URL[] = [];
    server.use(
      rest.get(`${BASE_URL}/group/default/payments/rollup`, (req, res, ctx) => {
        seen.push(req.url);
        return res(ctx.json(groupRollup));
      }),
    );
    const client = createTestClient();
    const group = { kind: 'Group', namespace: 'default', name: 'payments' };
    const rollup = await client.getGroupRollup({
      group,
      range: { preset: 'mtd' },
      includeChildren: true,
    });
    await client.getGroupRollup({
      group,
      range: { preset: 'mtd' },
      includeChildren: false,
    });
    expect(rollup.totals.tenants).toBe(3);
    expect(seen.map(u => u.searchParams.get('includeChildren'))).toEqual([
      'true',
      'false',
    ]);
    expect(seen[0].searchParams.get('range')).toBe('mtd');
  });

  it('throws a ResponseError carrying the status and the backend message', async () => {
    server.use(
      rest.get(
        `${BASE_URL}/entity/:kind/:namespace/:name/summary`,
        (_req, res, ctx) =>
          res(
            ctx.status(403),
            ctx.json(errorBody('NotAllowedError', 'not yours', 403)),
          ),
      ),
    );
    const error = await createTestClient()
      .getEntitySummary({ entity, range: { preset: '7d' } })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.body.error.message).toBe('not yours');
  });

  it('posts a refresh and surfaces a rate limit', async () => {
    let calls = 0;
    server.use(
      rest.post(
        `${BASE_URL}/entity/Component/default/checkout-assistant/refresh`,
        (_req, res, ctx) => {
          calls++;
          return calls === 1
            ? res(ctx.status(202), ctx.json({ accepted: true }))
            : res(
                ctx.status(429),
                ctx.json(errorBody('Error', 'slow down', 429)),
              );
        },
      ),
    );
    const client = createTestClient();
    await expect(client.refreshEntity({ entity })).resolves.toBeUndefined();
    await expect(client.refreshEntity({ entity })).rejects.toMatchObject({
      statusCode: 429,
    });
  });

  it('asks for the budget increases of an entity, path parts escaped', async () => {
    let seen: URL | undefined;
    const list = budgetIncreaseList({ increases: [budgetIncrease()] });
    server.use(
      rest.get(
        `${BASE_URL}/entity/:kind/:namespace/:name/budget-increases`,
        (req, res, ctx) => {
          seen = req.url;
          return res(ctx.json(list));
        },
      ),
    );
    const answer = await createTestClient().getBudgetIncreases({
      entity: { kind: 'Component', namespace: 'my ns', name: 'a/b' },
    });
    expect(answer).toEqual(list);
    expect(seen?.pathname).toBe(
      '/api/bedrock/entity/Component/my%20ns/a%2Fb/budget-increases',
    );
  });

  it('surfaces a refused budget increase list', async () => {
    server.use(
      rest.get(
        `${BASE_URL}/entity/:kind/:namespace/:name/budget-increases`,
        (_req, res, ctx) =>
          res(
            ctx.status(404),
            ctx.json(errorBody('NotFoundError', 'no such tenant', 404)),
          ),
      ),
    );
    const error = await createTestClient()
      .getBudgetIncreases({ entity })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
  });

  it('posts a budget increase request as JSON', async () => {
    let method: string | undefined;
    let contentType: string | null = null;
    let body: unknown;
    server.use(
      rest.post(
        `${BASE_URL}/entity/Component/default/checkout-assistant/budget-increases`,
        async (req, res, ctx) => {
          method = req.method;
          contentType = req.headers.get('content-type');
          body = await req.json();
          return res(ctx.status(201), ctx.json(budgetIncrease()));
        },
      ),
    );
    const request = {
      amountUsd: 200,
      endsOn: '2026-12-31',
      reason: 'Load test',
    };
    const created = await createTestClient().requestBudgetIncrease({
      entity,
      request,
    });
    expect(method).toBe('POST');
    expect(contentType).toContain('application/json');
    expect(body).toEqual(request);
    expect(created.id).toBe('bi-1');
  });

  it("surfaces the backend's refusal of a request", async () => {
    server.use(
      rest.post(
        `${BASE_URL}/entity/:kind/:namespace/:name/budget-increases`,
        (_req, res, ctx) =>
          res(
            ctx.status(409),
            ctx.json(errorBody('ConflictError', 'one is already pending', 409)),
          ),
      ),
    );
    const error = await createTestClient()
      .requestBudgetIncrease({
        entity,
        request: { amountUsd: 1, endsOn: '2026-12-31', reason: 'x' },
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.body.error.message).toBe('one is already pending');
  });

  it('approves with a note and declines without one, the id escaped', async () => {
    const seen: Array<{ path: string; body: unknown }> = [];
    server.use(
      rest.post(
        `${BASE_URL}/budget-increases/:id/:decision`,
        async (req, res, ctx) => {
          seen.push({ path: req.url.pathname, body: await req.json() });
          return res(ctx.json(budgetIncrease({ status: 'approved' })));
        },
      ),
    );
    const client = createTestClient();
    await client.decideBudgetIncrease({
      id: 'bi/1',
      decision: 'approve',
      note: ' ok for December ',
    });
    await client.decideBudgetIncrease({ id: 'bi-2', decision: 'decline' });
    expect(seen).toEqual([
      {
        path: '/api/bedrock/budget-increases/bi%2F1/approve',
        body: { note: 'ok for December' },
      },
      { path: '/api/bedrock/budget-increases/bi-2/decline', body: {} },
    ]);
  });

  it('surfaces a refused decision', async () => {
    server.use(
      rest.post(`${BASE_URL}/budget-increases/:id/decline`, (_req, res, ctx) =>
        res(
          ctx.status(403),
          ctx.json(errorBody('NotAllowedError', 'admins only', 403)),
        ),
      ),
    );
    await expect(
      createTestClient().decideBudgetIncrease({
        id: 'bi-1',
        decision: 'decline',
      }),
    ).rejects.toMatchObject({ statusCode: 403 });
  });
});
