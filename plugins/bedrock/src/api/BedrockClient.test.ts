import { ResponseError } from '@backstage/errors';
import { registerMswTestHooks } from '@backstage/test-utils';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { entitySummary } from '../__fixtures__/summary';
import { groupRollup } from '../__fixtures__/rollup';
import {
  BASE_URL,
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
});
