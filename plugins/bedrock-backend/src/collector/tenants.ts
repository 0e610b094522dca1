import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  readTenantAnnotations,
  TenantRef,
} from '@bedrock-tenancy/plugin-bedrock-common';

/** A tenant: a binding (or, before verification, the annotations of one catalog entity). */
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
