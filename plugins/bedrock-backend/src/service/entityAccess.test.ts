import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DEMO_TENANTS, demoTenantEntity } from '@bedrock-tenancy/demo';
import { bindEntities } from '../__testUtils__/bindings';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_REGIONS,
  ANNOTATION_TENANT_ID,
  bedrockUsageReadPermission,
} from '@bedrock-tenancy/plugin-bedrock-common';
import {
  permissionsWith,
  userCredentials,
} from '../__testUtils__/lightServices';
import {
  authorizeEntity,
  entityParamsSchema,
  groupParamsSchema,
  parseParams,
  tenantOrThrow,
  verifiedTenant,
} from './entityAccess';
import { entityAuthorizer } from '../access/entityAuthorizer';

const component = (annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'shop', namespace: 'default', annotations },
  spec: { owner: 'team-a' },
});

describe('entity access', () => {
  it.each([
    [{ kind: 'component', namespace: 'default', name: 'shop-bot' }],
    [{ kind: 'Component', namespace: 'team.a', name: 'a' }],
    [{ kind: 'x', namespace: 'd', name: `a${'b'.repeat(251)}c` }],
  ])('accepts the path %j', params => {
    expect(parseParams(entityParamsSchema, params)).toEqual(params);
  });

  it.each([
    ['kind', { kind: '1component', namespace: 'default', name: 'a' }],
    ['kind', { kind: 'comp/onent', namespace: 'default', name: 'a' }],
    ['kind', { kind: `c${'x'.repeat(63)}`, namespace: 'default', name: 'a' }],
    ['name', { kind: 'component', namespace: 'default', name: '-a' }],
    ['name', { kind: 'component', namespace: 'default', name: 'a-' }],
    ['name', { kind: 'component', namespace: 'default', name: 'a b' }],
    [
      'name',
      { kind: 'component', namespace: 'default', name: 'x'.repeat(254) },
    ],
    ['namespace', { kind: 'component', namespace: '..', name: 'a' }],
    ['namespace', { kind: 'component', namespace: 'a/b', name: 'a' }],
  ])('refuses a bad %s with an InputError naming it', (field, params) => {
    let error: unknown;
    try {
      parseParams(entityParamsSchema, params);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(
      new RegExp(`^invalid path: ${field}: ${field} must be`),
    );
  });

  it('reads group paths without a kind', () => {
    expect(
      parseParams(groupParamsSchema, { namespace: 'default', name: 'team-a' }),
    ).toEqual({ namespace: 'default', name: 'team-a' });
  });

  it.each([
    [AuthorizeResult.ALLOW, undefined],
    [
      AuthorizeResult.DENY,
      `You may not read Bedrock usage of component:default/shop (${bedrockUsageReadPermission.name})`,
    ],
    [
      AuthorizeResult.CONDITIONAL,
      `You may not read Bedrock usage of component:default/shop (${bedrockUsageReadPermission.name})`,
    ],
  ])(
    'on %s, asked for this entity with these credentials, answers %s',
    async (result, refusal) => {
      const credentials = userCredentials('user:default/ann');
      const authorize = jest.fn(async () => [{ result }] as any);
      // a policy answer this plugin cannot apply itself goes to the permission backend per entity
      const error = await authorizeEntity(
        await entityAuthorizer(
          permissionsWith(authorize),
          bedrockUsageReadPermission,
          credentials,
        ),
        bedrockUsageReadPermission,
        component({}) as Entity,
      ).then(
        () => undefined,
        e => e,
      );
      expect(error?.message).toBe(refusal);
      expect(error === undefined || error instanceof NotAllowedError).toBe(
        true,
      );
      expect(authorize).toHaveBeenCalledWith(
        [
          {
            permission: bedrockUsageReadPermission,
            resourceRef: 'component:default/shop',
          },
        ],
        { credentials },
      );
    },
  );

  it('reads the tenant, or says which annotations are missing or malformed', () => {
    expect(
      tenantOrThrow(
        component({
          [ANNOTATION_TENANT_ID]: 'shop-bot',
          [ANNOTATION_ACCOUNT_ID]: '123456789012',
          [ANNOTATION_REGIONS]: 'us-east-1',
        }) as any,
      ),
    ).toMatchObject({
      tenantId: 'shop-bot',
      accountId: '123456789012',
      regions: ['us-east-1'],
      entityRef: 'component:default/shop',
    });
    expect(() =>
      tenantOrThrow(
        component({
          [ANNOTATION_TENANT_ID]: 'shop-bot',
          [ANNOTATION_REGIONS]: 'us-east-1',
        }) as any,
      ),
    ).toThrow(
      new NotFoundError(
        `component:default/shop is not a Bedrock tenant: add the annotation ${ANNOTATION_ACCOUNT_ID} to its catalog-info.yaml`,
      ),
    );
    expect(() => tenantOrThrow(component({}) as any)).toThrow(
      `component:default/shop is not a Bedrock tenant: add the annotations ${ANNOTATION_TENANT_ID}, ${ANNOTATION_ACCOUNT_ID}, ${ANNOTATION_REGIONS} to its catalog-info.yaml`,
    );
    let error: unknown;
    try {
      tenantOrThrow(
        component({
          [ANNOTATION_TENANT_ID]: 'Shop_Bot',
          [ANNOTATION_ACCOUNT_ID]: '12345',
          [ANNOTATION_REGIONS]: 'us-east-1',
        }) as any,
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^component:default/shop has malformed Bedrock annotations: ${ANNOTATION_TENANT_ID}: .+; ${ANNOTATION_ACCOUNT_ID}: .+$`,
      ),
    );
  });
});

const checkout = DEMO_TENANTS.find(t => t.tenantId === 'checkout-assistant')!;

describe('verifiedTenant', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('does not name the holder to a caller who cannot read it', async () => {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const bindings = await bindEntities(knex, [demoTenantEntity(checkout)]);
    const copy = demoTenantEntity(checkout) as unknown as Entity;
    copy.metadata.name = 'my-copy';
    const hidingCatalog = {
      getEntityByRef: async () => undefined,
    } as unknown as CatalogService;
    const error = await verifiedTenant({
      entity: copy,
      bindings,
      catalog: hidingCatalog,
      credentials: mockCredentials.user('user:default/mallory'),
    }).catch(e => e);
    expect(error.name).toBe('UnverifiedTenantError');
    expect(error.statusCode).toBe(409);
    expect(error.message).toContain('bound to an entity you cannot see');
    expect(error.message).not.toContain('component:default/checkout-assistant');
    expect(error.message).toContain('bedrock-tenant-lifecycle');
  });

  it('serves the bound tenant, and names the holder to a caller who can read it, asked with its credentials', async () => {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const bound = demoTenantEntity(checkout) as unknown as Entity;
    const bindings = await bindEntities(knex, [bound]);
    const credentials = mockCredentials.user('user:default/ann');
    const asked: any[] = [];
    const catalog = {
      getEntityByRef: async (ref: string, options: any) => {
        asked.push([ref, options]);
        return bound;
      },
    } as unknown as CatalogService;
    const tenant = await verifiedTenant({
      entity: bound,
      bindings,
      catalog,
      credentials,
    });
    expect(tenant).toMatchObject({
      tenantId: checkout.tenantId,
      entityRef: 'component:default/checkout-assistant',
    });
    expect(asked).toEqual([]);

    const copy = demoTenantEntity(checkout) as unknown as Entity;
    copy.metadata.name = 'my-copy';
    const error = await verifiedTenant({
      entity: copy,
      bindings,
      catalog,
      credentials,
    }).catch(e => e);
    expect(error.name).toBe('UnverifiedTenantError');
    expect(error.message).toContain(
      ' It is bound to component:default/checkout-assistant. No Bedrock data is shown for component:default/my-copy',
    );
    expect(asked).toEqual([
      ['component:default/checkout-assistant', { credentials }],
    ]);
  });

  it('names no holder when no binding holds the tenant', async () => {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const bindings = await bindEntities(knex, []);
    const catalog = {
      getEntityByRef: jest.fn(),
    } as unknown as CatalogService;
    const error = await verifiedTenant({
      entity: demoTenantEntity(checkout) as unknown as Entity,
      bindings,
      catalog,
      credentials: mockCredentials.user(),
    }).catch(e => e);
    expect(error.name).toBe('UnverifiedTenantError');
    expect(error.message).toMatch(
      /^Unverified Bedrock tenant: [^]*\. No Bedrock data is shown for component:default\/checkout-assistant until/,
    );
    expect(error.message).not.toContain('It is bound to');
    expect(catalog.getEntityByRef).not.toHaveBeenCalled();
  });
});
