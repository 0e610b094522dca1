import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { readTenantAnnotations } from '@bedrock-tenancy/plugin-bedrock-common';
import { z } from 'zod';
import { entityAuthorizer } from '../access/entityAuthorizer';
import type { Tenant } from '../tenant';
import { UnverifiedTenantError } from '../bindings/errors';
import { BindingStore } from '../bindings/types';
import { HOW_TO_BIND, verifyTenants } from '../bindings/verify';

const NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?$/;
const segment = (what: string) =>
  z
    .string()
    .regex(
      NAME,
      `${what} must be 1-253 letters, digits, '.', '_' or '-', starting and ending with a letter or digit`,
    );

export const entityParamsSchema = z.object({
  kind: z
    .string()
    .regex(
      /^[A-Za-z][A-Za-z0-9-]{0,62}$/,
      'kind must be a catalog kind such as component',
    ),
  namespace: segment('namespace'),
  name: segment('name'),
});
export const groupParamsSchema = entityParamsSchema.omit({ kind: true });

export function parseParams<T>(schema: z.ZodType<T>, params: unknown): T {
  const r = schema.safeParse(params);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(
      `invalid path: ${issue.path.join('.')}: ${issue.message}`,
    );
  }
  return r.data;
}

/** Throws NotAllowedError unless the caller holds `permission` on the entity. */
export async function authorizeEntity(
  authorizer: (entities: Entity[]) => Promise<boolean[]>,
  permission: ResourcePermission<'catalog-entity'>,
  entity: Entity,
) {
  const [allowed] = await authorizer([entity]);
  if (!allowed) {
    throw new NotAllowedError(
      `You may not ${
        permission.attributes.action
      } Bedrock usage of ${stringifyEntityRef(entity)} (${permission.name})`,
    );
  }
}

/**
 * The tenant whose data the entity may be served: its binding, found through the entity's
 * annotations and confirmed by them. 409 UnverifiedTenantError when no binding of this entity
 * agrees; the other entity holding the tenant is named only if the caller can read it.
 */
export async function verifiedTenant(o: {
  entity: Entity;
  bindings: BindingStore;
  catalog: CatalogService;
  credentials: BackstageCredentials;
}): Promise<Tenant> {
  const claimed = tenantOrThrow(o.entity);
  const v = (
    await verifyTenants(o.bindings, [
      { entityRef: claimed.entityRef, tenant: claimed, entity: o.entity },
    ])
  ).get(claimed.entityRef)!;
  if (v.verified) return v.tenant;
  let holder = '';
  if (v.holder) {
    const visible = await o.catalog
      .getEntityByRef(v.holder, { credentials: o.credentials })
      .catch(() => undefined);
    holder = visible
      ? ` It is bound to ${v.holder}.`
      : ' It is bound to an entity you cannot see.';
  }
  throw new UnverifiedTenantError(
    `Unverified Bedrock tenant: ${v.reason}${holder} No Bedrock data is shown for ${claimed.entityRef} until a binding confirms its annotations. ${HOW_TO_BIND}`,
  );
}

/** The entity's annotations; 404 naming the missing annotation, 400 naming the malformed one. */
export function tenantOrThrow(entity: Entity): Tenant {
  const ref = stringifyEntityRef(entity);
  const r = readTenantAnnotations(entity);
  if (r.kind === 'missing') {
    throw new NotFoundError(
      `${ref} is not a Bedrock tenant: add the annotation${
        r.missing.length > 1 ? 's' : ''
      } ${r.missing.join(', ')} to its catalog-info.yaml`,
    );
  }
  if (r.kind === 'invalid') {
    throw new InputError(
      `${ref} has malformed Bedrock annotations: ${r.problems
        .map(p => `${p.annotation}: ${p.message}`)
        .join('; ')}`,
    );
  }
  return { ...r.tenant, entityRef: ref };
}

/**
 * The tenant of the entity `ref` for this caller, with every check the entity routes make: the
 * entity read with the caller's credentials (404 when the catalog hides it), `permission` decided
 * for the caller on it (403), and its binding confirmed (409). The summary route and the actions
 * (src/actions) share it, so an assistant is refused what the tab is refused.
 */
export async function permittedTenant(o: {
  ref: string;
  permission: ResourcePermission<'catalog-entity'>;
  credentials: BackstageCredentials;
  permissions: PermissionsService;
  entities: { read(ref: string, c: BackstageCredentials): Promise<Entity> };
  bindings: BindingStore;
  catalog: CatalogService;
}): Promise<Tenant> {
  // the entity and the caller's decision, concurrently: neither needs the other
  const [entity, authorizer] = await Promise.all([
    o.entities.read(o.ref, o.credentials),
    entityAuthorizer(o.permissions, o.permission, o.credentials),
  ]);
  await authorizeEntity(authorizer, o.permission, entity);
  return verifiedTenant({
    entity,
    bindings: o.bindings,
    catalog: o.catalog,
    credentials: o.credentials,
  });
}
