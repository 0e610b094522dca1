import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readTenantAnnotations } from '@bedrock-tenancy/plugin-bedrock-common';
import { demoCatalogYaml, demoTenantEntity } from './catalog';
import { DEMO_TENANTS } from './tenants';

describe('demo catalog', () => {
  it('examples/tenants.yaml is generated from the current data set', () => {
    const committed = readFileSync(
      resolve(__dirname, '../../../examples/tenants.yaml'),
      'utf8',
    );
    expect(committed).toBe(demoCatalogYaml());
  });

  it.each(DEMO_TENANTS.map(t => [t.tenantId, t]))(
    'the entity of %s carries valid tenant annotations',
    (_id, tenant) => {
      const result = readTenantAnnotations(demoTenantEntity(tenant) as any);
      expect(result).toMatchObject({
        kind: 'ok',
        tenant: { tenantId: tenant.tenantId, accountId: tenant.accountId },
      });
    },
  );
});
