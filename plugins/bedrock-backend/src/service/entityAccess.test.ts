import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DEMO_TENANTS, demoTenantEntity } from '@bedrock-tenancy/aws-emulator';
import { bindEntities } from '../__testUtils__/bindings';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { verifiedTenant } from './entityAccess';

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
});
