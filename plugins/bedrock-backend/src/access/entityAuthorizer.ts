import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';

/*
 * Catalog permission decisions applied to entities the plugin already holds: shared by the
 * routes' access checks (service/), the tenant change rule (bindings/) and the Group roll-up.
 */

/**
 * A rule whose parameters are validated once per decision instead of once per entity. The
 * library validates a condition's parameters every time it applies it: for an owner condition of
 * 1,000 claims over a roll-up's 2,000 tenants that was most of the listing (180 ms of zod). The
 * parameters of one decision are one object, so their outcome is kept by identity; the rule's
 * own schema decides it (as a Standard Schema, which the library accepts) and its own `apply` runs.
 */
export function validatedOnce<R extends { paramsSchema?: unknown }>(
  rule: R,
): R {
  const schema = rule.paramsSchema as
    | {
        safeParse?(value: unknown): {
          success: boolean;
          error?: { issues: Array<{ message: string }> };
        };
      }
    | undefined;
  if (typeof schema?.safeParse !== 'function') return rule;
  const check = (value: unknown) => {
    const r = schema.safeParse!(value);
    return r.success ? { value } : { issues: r.error!.issues };
  };
  const outcomes = new WeakMap<object, ReturnType<typeof check>>();
  const validate = (value: unknown) => {
    // parameters that are no object (the library refuses them) are checked every time
    if (typeof value !== 'object' || value === null) return check(value);
    let outcome = outcomes.get(value);
    if (!outcome) outcomes.set(value, (outcome = check(value)));
    return outcome;
  };
  return {
    ...rule,
    paramsSchema: {
      '~standard': {
        version: 1,
        vendor: 'bedrock-validated-once',
        validate,
        // the library takes a Standard Schema with a JSON Schema; only the metadata route reads it
        jsonSchema: { input: () => ({}) },
      },
    },
  };
}

/** Applies a catalog conditional decision to an entity with the catalog's own rules. */
const applyCatalogConditions = createConditionAuthorizer<Entity, unknown>(
  Object.values(permissionRules).map(validatedOnce) as any,
);
/** Resource refs per remote authorize call: each carries the decision's conditions. */
const AUTHORIZE_BATCH = 50;

/**
 * Decides `permission` for entities the caller has read from the catalog, with one policy call.
 * The policy's decision does not depend on the entity (authorizeConditional); a catalog
 * condition (e.g. isEntityOwner) is applied here to the entity the caller already holds, with
 * the catalog's own rules: the same check the permission backend makes when it asks the catalog
 * to load each entity again. Conditions this plugin cannot apply (another plugin's, or a rule it
 * does not know) go to the permission backend per entity, in batches.
 */
export async function entityAuthorizer(
  permissions: PermissionsService,
  permission: ResourcePermission<'catalog-entity'>,
  credentials: BackstageCredentials,
): Promise<(entities: Entity[]) => Promise<boolean[]>> {
  const [decision] =
    (await permissions.authorizeConditional([{ permission }], {
      credentials,
    })) ?? [];
  const remote = async (entities: Entity[]) => {
    const out: boolean[] = [];
    for (let i = 0; i < entities.length; i += AUTHORIZE_BATCH) {
      const decisions = await permissions.authorize(
        entities.slice(i, i + AUTHORIZE_BATCH).map(e => ({
          permission,
          resourceRef: stringifyEntityRef(e),
        })),
        { credentials },
      );
      out.push(...decisions.map(d => d.result === AuthorizeResult.ALLOW));
    }
    return out;
  };
  if (decision?.result === AuthorizeResult.ALLOW)
    return async entities => entities.map(() => true);
  if (decision?.result === AuthorizeResult.DENY)
    return async entities => entities.map(() => false);
  if (
    decision?.result !== AuthorizeResult.CONDITIONAL ||
    decision.pluginId !== 'catalog' ||
    decision.resourceType !== 'catalog-entity'
  ) {
    return remote;
  }
  return async entities => {
    try {
      return entities.map(e => applyCatalogConditions(decision, e));
    } catch {
      return remote(entities);
    }
  };
}
