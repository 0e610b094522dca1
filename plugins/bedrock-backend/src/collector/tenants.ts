import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_TENANT_ID,
  readTenantAnnotations,
  TenantRef,
} from '@bedrock-tenancy/plugin-bedrock-common';

/** A tenant: the annotations of one catalog entity. */
export interface Tenant extends TenantRef {
  entityRef: string;
}

/** The tenant of an entity, or undefined when its annotations are missing or malformed. */
export function tenantOf(entity: Entity): Tenant | undefined {
  const r = readTenantAnnotations(entity);
  return r.kind === 'ok'
    ? { ...r.tenant, entityRef: stringifyEntityRef(entity) }
    : undefined;
}

/** Every catalog entity carrying the tenant-id annotation, with valid annotations. */
export async function discoverTenants(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  logger: LoggerService;
}): Promise<Tenant[]> {
  const { items } = await options.catalog.getEntities(
    {
      filter: {
        [`metadata.annotations.${ANNOTATION_TENANT_ID}`]: CATALOG_FILTER_EXISTS,
      },
      fields: ['kind', 'metadata', 'apiVersion'],
    },
    { credentials: options.credentials },
  );
  const byId = new Map<string, Tenant>();
  for (const entity of items) {
    const ref = stringifyEntityRef(entity);
    const r = readTenantAnnotations(entity);
    if (r.kind !== 'ok') {
      options.logger.warn('Skipping entity with unusable Bedrock annotations', {
        entityRef: ref,
        problem:
          r.kind === 'missing'
            ? `missing ${r.missing.join(', ')}`
            : r.problems.map(p => p.annotation).join(', '),
      });
      continue;
    }
    const existing = byId.get(r.tenant.tenantId);
    if (existing) {
      options.logger.warn(
        'Two entities claim one Bedrock tenant id; keeping the first',
        {
          tenantId: r.tenant.tenantId,
          kept: existing.entityRef,
          skipped: ref,
        },
      );
      continue;
    }
    byId.set(r.tenant.tenantId, { ...r.tenant, entityRef: ref });
  }
  return [...byId.values()];
}

/** Tenants grouped by `account/region`, one entry per region of each tenant. */
export function groupByAccountRegion(tenants: Tenant[]) {
  const groups = new Map<
    string,
    { accountId: string; region: string; tenants: Tenant[] }
  >();
  for (const t of tenants) {
    for (const region of t.regions) {
      const key = `${t.accountId}/${region}`;
      const g = groups.get(key) ?? {
        accountId: t.accountId,
        region,
        tenants: [],
      };
      g.tenants.push(t);
      groups.set(key, g);
    }
  }
  return [...groups.values()];
}
