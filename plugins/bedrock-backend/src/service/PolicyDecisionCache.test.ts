import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { PolicyDecisionCache } from './PolicyDecisionCache';

const read = createPermission({
  name: 'bedrock.usage.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});
const other = createPermission({
  name: 'bedrock.usage.refresh',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

describe('PolicyDecisionCache', () => {
  function setup() {
    const inner = mockServices.permissions.mock();
    // the decision names the caller, as a policy's isEntityOwner condition carries its claims
    inner.authorizeConditional.mockImplementation(
      async (requests, o) =>
        requests.map(r => ({
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'catalog',
          resourceType: 'catalog-entity',
          conditions: {
            rule: 'IS_ENTITY_OWNER',
            resourceType: 'catalog-entity',
            params: {
              claims: [JSON.stringify(o.credentials.principal)],
              permission: r.permission.name,
            },
          },
        })) as any,
    );
    inner.authorize.mockResolvedValue([{ result: AuthorizeResult.ALLOW }]);
    let now = 1_000_000;
    const cache = PolicyDecisionCache.wrap({
      permissions: inner,
      ttlMs: 10_000,
      now: () => now,
    });
    return { inner, cache, advance: (ms: number) => (now += ms) };
  }

  it('asks the policy once per caller and permission within the TTL', async () => {
    const { inner, cache, advance } = setup();
    const alice = mockCredentials.user('user:default/alice');
    const first = await cache.authorizeConditional([{ permission: read }], {
      credentials: alice,
    });
    const again = await cache.authorizeConditional([{ permission: read }], {
      credentials: mockCredentials.user('user:default/alice'),
    });
    expect(again).toEqual(first);
    expect(inner.authorizeConditional).toHaveBeenCalledTimes(1);
    advance(10_001);
    await cache.authorizeConditional([{ permission: read }], {
      credentials: alice,
    });
    expect(inner.authorizeConditional).toHaveBeenCalledTimes(2);
  });

  it('never hands one caller the decision made for another, nor for another permission', async () => {
    const { inner, cache } = setup();
    const ask = (credentials: any, permission = read) =>
      cache
        .authorizeConditional([{ permission }], { credentials })
        .then(([d]) => (d as any).conditions.params);
    const alice = await ask(mockCredentials.user('user:default/alice'));
    const bob = await ask(mockCredentials.user('user:default/bob'));
    const service = await ask(mockCredentials.service('plugin:catalog'));
    // a user acting through a service is a caller of its own
    const onBehalf = await ask(
      mockCredentials.user('user:default/alice', {
        actor: { subject: 'plugin:scaffolder' },
      } as any),
    );
    const refresh = await ask(
      mockCredentials.user('user:default/alice'),
      other,
    );
    expect(alice.claims[0]).toContain('user:default/alice');
    expect(bob.claims[0]).toContain('user:default/bob');
    expect(service.claims[0]).toContain('plugin:catalog');
    expect(refresh.permission).toBe('bedrock.usage.refresh');
    expect(
      new Set(
        [alice, bob, service, onBehalf, refresh].map(x => JSON.stringify(x)),
      ).size,
    ).toBe(5);
    expect(inner.authorizeConditional).toHaveBeenCalledTimes(5);
  });

  it('does not cache anonymous callers, failures, or per-resource decisions', async () => {
    const { inner, cache } = setup();
    for (let i = 0; i < 2; i++) {
      await cache.authorizeConditional([{ permission: read }], {
        credentials: mockCredentials.none(),
      });
    }
    expect(inner.authorizeConditional).toHaveBeenCalledTimes(2);

    inner.authorizeConditional.mockRejectedValueOnce(new Error('down'));
    const carol = mockCredentials.user('user:default/carol');
    await expect(
      cache.authorizeConditional([{ permission: read }], {
        credentials: carol,
      }),
    ).rejects.toThrow('down');
    await cache.authorizeConditional([{ permission: read }], {
      credentials: carol,
    });
    expect(inner.authorizeConditional).toHaveBeenCalledTimes(4);

    for (let i = 0; i < 2; i++) {
      await cache.authorize(
        [{ permission: read, resourceRef: 'component:default/x' }],
        { credentials: carol },
      );
    }
    expect(inner.authorize).toHaveBeenCalledTimes(2);
  });

  it('is the plain service when the TTL is 0', () => {
    const inner = mockServices.permissions.mock();
    expect(PolicyDecisionCache.wrap({ permissions: inner, ttlMs: 0 })).toBe(
      inner,
    );
  });
});
