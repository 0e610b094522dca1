import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogConditions } from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { bedrockUsageReadPermission } from '@bedrock-tenancy/plugin-bedrock-common';
import { entityAuthorizer } from './entityAccess';

const entity = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { owner },
  relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
});

function permissionsDeciding(decision: PolicyDecision) {
  const authorize = jest.fn(async (requests: any[]) =>
    requests.map(r => ({
      result: r.resourceRef.endsWith('-mine')
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
    })),
  );
  const authorizeConditional = jest.fn(async () => [decision]);
  return {
    permissions: mockServices.permissions.mock({
      authorize: authorize as any,
      authorizeConditional: authorizeConditional as any,
    }),
    authorize,
    authorizeConditional,
  };
}

const ownerDecision = (claims: string[]): PolicyDecision => ({
  result: AuthorizeResult.CONDITIONAL,
  pluginId: 'catalog',
  resourceType: 'catalog-entity',
  conditions: catalogConditions.isEntityOwner({ claims }),
});

describe('entityAuthorizer', () => {
  const credentials = mockCredentials.user();

  it('applies a catalog condition to the entities with one policy call and no per-entity round trip', async () => {
    const { permissions, authorize, authorizeConditional } =
      permissionsDeciding(ownerDecision(['group:default/team-a']));
    const decide = await entityAuthorizer(
      permissions,
      bedrockUsageReadPermission,
      credentials,
    );
    const entities = Array.from({ length: 300 }, (_, i) =>
      entity(`t${i}`, i % 3 === 0 ? 'team-a' : 'team-b'),
    );
    const allowed = await decide(entities);
    expect(allowed).toEqual(entities.map((_, i) => i % 3 === 0));
    expect(authorizeConditional).toHaveBeenCalledTimes(1);
    expect(authorizeConditional).toHaveBeenCalledWith(
      [{ permission: bedrockUsageReadPermission }],
      { credentials },
    );
    expect(authorize).not.toHaveBeenCalled();
  });

  it('asks the permission backend per entity, in batches, for conditions it cannot apply', async () => {
    const { permissions, authorize } = permissionsDeciding({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'SOME_CUSTOM_RULE',
        resourceType: 'catalog-entity',
        params: {},
      },
    });
    const decide = await entityAuthorizer(
      permissions,
      bedrockUsageReadPermission,
      credentials,
    );
    const entities = Array.from({ length: 120 }, (_, i) =>
      entity(i % 2 ? `t${i}-mine` : `t${i}`, 'team-a'),
    );
    expect(await decide(entities)).toEqual(entities.map((_, i) => i % 2 === 1));
    expect(authorize).toHaveBeenCalledTimes(3);
    expect(authorize.mock.calls.map(c => c[0].length)).toEqual([50, 50, 20]);
  });

  it.each([
    [AuthorizeResult.ALLOW, true],
    [AuthorizeResult.DENY, false],
  ] as const)('decides %s for every entity', async (result, expected) => {
    const { permissions, authorize } = permissionsDeciding({ result });
    const decide = await entityAuthorizer(
      permissions,
      bedrockUsageReadPermission,
      credentials,
    );
    expect(await decide([entity('a', 'x'), entity('b', 'y')])).toEqual([
      expected,
      expected,
    ]);
    expect(authorize).not.toHaveBeenCalled();
  });
  // a condition only the catalog's rules may apply here: another plugin's or another resource
  // type's conditions (even shaped like isEntityOwner) go to the permission backend per entity
  it.each([
    [
      'another plugin',
      { pluginId: 'scaffolder', resourceType: 'catalog-entity' },
    ],
    [
      'another resource type',
      { pluginId: 'catalog', resourceType: 'scaffolder-template' },
    ],
  ])('never applies a condition of %s itself', async (_, where) => {
    const { permissions, authorize } = permissionsDeciding({
      ...ownerDecision(['group:default/team-a']),
      ...where,
    } as PolicyDecision);
    const decide = await entityAuthorizer(
      permissions,
      bedrockUsageReadPermission,
      credentials,
    );
    // owned by team-a (the condition would allow both); the backend allows only "-mine"
    expect(
      await decide([entity('t1', 'team-a'), entity('t2-mine', 'team-a')]),
    ).toEqual([false, true]);
    expect(authorize).toHaveBeenCalledTimes(1);
  });

  it('asks per entity when the policy gives no decision at all', async () => {
    const { permissions, authorize, authorizeConditional } =
      permissionsDeciding({ result: AuthorizeResult.ALLOW });
    authorizeConditional.mockResolvedValueOnce([] as any);
    const decide = await entityAuthorizer(
      permissions,
      bedrockUsageReadPermission,
      credentials,
    );
    expect(await decide([entity('t1', 'x'), entity('t2-mine', 'x')])).toEqual([
      false,
      true,
    ]);
    expect(authorize).toHaveBeenCalledTimes(1);
  });
});
