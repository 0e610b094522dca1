import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  catalogConditions,
  permissionRules,
} from '@backstage/plugin-catalog-backend/alpha';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { bedrockUsageReadPermission } from '@bedrock-tenancy/plugin-bedrock-common';
import { entityAuthorizer, validatedOnce } from './entityAuthorizer';

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
    // a whole number of batches: no empty call after them
    authorize.mockClear();
    await decide(entities.slice(0, 100));
    expect(authorize.mock.calls.map(c => c[0].length)).toEqual([50, 50]);
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

describe('validatedOnce', () => {
  const rules = Object.values(permissionRules);
  const library = createConditionAuthorizer<Entity, unknown>(rules as any);
  const once = createConditionAuthorizer<Entity, unknown>(
    rules.map(validatedOnce) as any,
  );
  const decide = (conditions: any): PolicyDecision => ({
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'catalog',
    resourceType: 'catalog-entity',
    conditions,
  });
  const annotated = {
    ...entity('annotated', 'team-b'),
    kind: 'System',
    metadata: {
      name: 'annotated',
      namespace: 'default',
      annotations: { 'example.com/department': 'd3' },
      labels: { tier: 'gold' },
    },
  };
  const entities = [
    entity('a-mine', 'team-a'),
    entity('b', 'team-b'),
    annotated,
    { ...entity('orphan', 'nobody'), relations: [] },
  ];

  it('decides every entity as the library does, for each catalog rule and their combinations', () => {
    const { isEntityOwner, hasAnnotation, isEntityKind, hasLabel } =
      catalogConditions;
    const decisions = [
      isEntityOwner({ claims: ['group:default/team-a'] }),
      hasAnnotation({ annotation: 'example.com/department', value: 'd3' }),
      hasAnnotation({ annotation: 'example.com/department', value: 'd4' }),
      isEntityKind({ kinds: ['system'] }),
      hasLabel({ label: 'tier' }),
      {
        anyOf: [
          isEntityOwner({ claims: ['group:default/team-b'] }),
          hasLabel({ label: 'tier' }),
        ],
      },
      {
        allOf: [
          isEntityKind({ kinds: ['component'] }),
          { not: isEntityOwner({ claims: ['group:default/team-a'] }) },
        ],
      },
    ].map(decide);
    const table = (apply: typeof library) =>
      decisions.map(d => entities.map(e => apply(d, e)));
    expect(table(once)).toEqual(table(library));
    // the table is not trivial: each decision allows some entity and denies another
    for (const row of table(once).filter((_, i) => i !== 2))
      expect(new Set(row)).toEqual(new Set([true, false]));
  });

  it("validates a decision's parameters once, however many entities it is applied to", () => {
    const schema = permissionRules.isEntityOwner.paramsSchema as any;
    const parse = jest.spyOn(schema, 'safeParse');
    try {
      const d = decide(
        catalogConditions.isEntityOwner({ claims: ['group:default/team-a'] }),
      );
      for (const e of entities) once(d, e);
      expect(parse).toHaveBeenCalledTimes(1);
      // another decision is validated on its own
      const other = decide(
        catalogConditions.isEntityOwner({ claims: ['group:default/team-b'] }),
      );
      expect(entities.map(e => once(other, e))).toEqual([
        false,
        true,
        true,
        false,
      ]);
      expect(parse).toHaveBeenCalledTimes(2);
    } finally {
      parse.mockRestore();
    }
  });

  it('refuses invalid parameters as the library does, every time', () => {
    const bad = decide({
      rule: 'IS_ENTITY_OWNER',
      resourceType: 'catalog-entity',
      params: { claims: 'group:default/team-a' },
    });
    expect(() => library(bad, entities[0])).toThrow(
      'Parameters to rule are invalid',
    );
    expect(() => once(bad, entities[0])).toThrow(
      'Parameters to rule are invalid',
    );
    expect(() => once(bad, entities[1])).toThrow(
      'Parameters to rule are invalid',
    );
  });

  it('answers as a Standard Schema: the value when valid, the issues otherwise', () => {
    const standard = (validatedOnce(permissionRules.isEntityOwner) as any)
      .paramsSchema['~standard'];
    expect(standard).toMatchObject({
      version: 1,
      vendor: 'bedrock-validated-once',
    });
    const params = { claims: ['group:default/team-a'] };
    expect(standard.validate(params)).toEqual({ value: params });
    const bad = standard.validate({ claims: 'group:default/team-a' });
    expect(bad.issues.length).toBeGreaterThan(0);
    expect(typeof bad.issues[0].message).toBe('string');
    expect(bad.issues[0].message).not.toBe('');
  });

  it('refuses missing parameters every time, as the library does', () => {
    const none = decide({
      rule: 'IS_ENTITY_OWNER',
      resourceType: 'catalog-entity',
    });
    for (const apply of [library, once, once])
      expect(() => apply(none, entities[0])).toThrow(
        'Parameters to rule are invalid',
      );
  });

  it('keeps a rule without a schema as it is', () => {
    const rule = { name: 'X', apply: () => true } as any;
    expect(validatedOnce(rule)).toBe(rule);
  });
});
