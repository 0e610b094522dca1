import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { entityParamsSchema, parseParams } from '../service/entityAccess';

/*
 * The descriptions of the inputs the actions share. Each action builds its zod schema inline from
 * the registry's zod (backend-plugin-api's own copy), so no exported type names that copy.
 */
export const ENTITY_REF_HELP =
  'Entity ref of the tenant, e.g. component:default/checkout-assistant (kind defaults to component, namespace to default)';
export const GROUP_REF_HELP =
  'Entity ref of the Group, e.g. group:default/team-checkout';
export const INCLUDE_CHILDREN_HELP =
  "Count the tenants of the group's child groups too (default: the portal's bedrock.rollup.includeChildGroups)";
export const RANGE_HELP = {
  range: '24h, 7d, 30d (default) or mtd (month to date); or give from/to',
  from: 'Start of the range, ISO 8601, e.g. 2026-11-01T00:00:00Z',
  to: 'End of the range, ISO 8601 (needs from)',
};

/** The range query of the range inputs, without the absent ones. */
export const rangeQuery = (input: {
  range?: string;
  from?: string;
  to?: string;
}) =>
  Object.fromEntries(
    Object.entries({
      range: input.range,
      from: input.from,
      to: input.to,
    }).filter(([, v]) => v !== undefined),
  );

/** The full ref of a tenant's entity, checked as the routes check their path. */
export function tenantRef(ref: string): string {
  return stringifyEntityRef(parseParams(entityParamsSchema, parsed(ref)));
}

/** The full ref of a Group, checked as the routes check their path. */
export function groupRef(ref: string): string {
  const p = parseParams(entityParamsSchema, parsed(ref, 'group'));
  if (p.kind.toLowerCase() !== 'group') {
    throw new InputError(
      `${ref} is not a Group ref: use group:<namespace>/<name>`,
    );
  }
  return stringifyEntityRef(p);
}

function parsed(ref: string, defaultKind = 'component') {
  try {
    return parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' });
  } catch (e) {
    throw new InputError(`invalid entity ref ${ref}: ${(e as Error).message}`);
  }
}

/** The person behind the call: writes are made for a person, never for a service alone. */
export function personOf(credentials: BackstageCredentials): string {
  const p = credentials.principal as { type?: string; userEntityRef?: string };
  if (p?.type !== 'user' || !p.userEntityRef) {
    throw new NotAllowedError(
      'This action changes a tenant on behalf of a person: call it with a user token',
    );
  }
  return p.userEntityRef;
}
