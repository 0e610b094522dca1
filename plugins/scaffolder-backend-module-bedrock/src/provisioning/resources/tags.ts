import {
  MANAGED_BY_VALUE,
  TAG_ENTITY_REF,
  TAG_MANAGED_BY,
  TAG_OWNER,
  TAG_TENANT,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { TenantSpec } from '../inputs';

/** Tags as a map; each AWS service has its own list shape, converted at the call. */
export type Tags = Record<string, string>;

/** The tags of every resource of a tenant. The one place they are built. */
export function tenantTags(
  spec: Pick<TenantSpec, 'tenantId' | 'owner' | 'entityRef'>,
): Tags {
  return {
    [TAG_TENANT]: spec.tenantId,
    [TAG_OWNER]: spec.owner,
    // lets the bedrock backend rebuild the tenant's binding from AWS
    [TAG_ENTITY_REF]: spec.entityRef,
    [TAG_MANAGED_BY]: MANAGED_BY_VALUE,
  };
}

/** The tags of the suite's shared (not per-tenant) resources. */
export const suiteTags = (): Tags => ({ [TAG_MANAGED_BY]: MANAGED_BY_VALUE });

/** `[{ Key, Value }]`, as IAM, SNS, CloudWatch and S3 take tags. */
export const tagList = (tags: Tags) =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** `[{ key, value }]`, as Bedrock takes tags. */
export const lowerTagList = (tags: Tags) =>
  Object.entries(tags).map(([key, value]) => ({ key, value }));

export const tagMap = (
  tags: Array<{ Key?: string; Value?: string }> | undefined,
): Tags =>
  Object.fromEntries((tags ?? []).map(t => [t.Key ?? '', t.Value ?? '']));

export const lowerTagMap = (
  tags: Array<{ key?: string; value?: string }> | undefined,
): Tags => Object.fromEntries((tags ?? []).map(t => [t.key!, t.value!]));

/** The desired tags a resource lacks or has with another value; undefined when none. */
export function missingTags(have: Tags, want: Tags): Tags | undefined {
  const missing = Object.entries(want).filter(([k, v]) => have[k] !== v);
  return missing.length ? Object.fromEntries(missing) : undefined;
}

/** True when the suite manages the resource that carries these tags. */
export const isManaged = (tags: Tags | undefined) =>
  tags?.[TAG_MANAGED_BY] === MANAGED_BY_VALUE;

/** True when the tags mark a resource the suite manages for this tenant. */
export const isTenants = (tags: Tags, tenantId: string) =>
  tags[TAG_TENANT] === tenantId && isManaged(tags);

/** Why a resource carrying one of the tenant's names is not the tenant's; undefined when it is. */
export function tenantOwnershipProblem(
  what: string,
  tags: Tags,
  tenantId: string,
): string | undefined {
  if (isTenants(tags, tenantId)) return undefined;
  return `${what} exists but is tagged for ${
    tags[TAG_TENANT]
      ? `tenant "${tags[TAG_TENANT]}"`
      : 'no tenant of this suite'
  }`;
}

/** Why a shared resource is not the suite's; undefined when it is (or does not exist). */
export function managedProblem(
  what: string,
  tags: Tags | undefined,
): string | undefined {
  return tags && !isManaged(tags)
    ? `${what} exists and is not managed by this suite`
    : undefined;
}
