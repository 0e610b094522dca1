import { NotAllowedError } from '@backstage/errors';
import {
  bedrockBindingManagePermission,
  TAG_ENTITY_REF,
  TAG_OWNER,
  TAG_TENANT,
  type TenantChangeDecision,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { TAG_SUSPENDED_BY } from '@bedrock-tenancy/plugin-bedrock-node';
import type { TenantSpec } from '../provisioning/inputs';
import { arns, tenantNames } from '../provisioning/naming';

const ADMIN = `a Bedrock admin (${bedrockBindingManagePermission.name})`;
const same = (a?: string, b?: string) =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/**
 * What only a Bedrock admin may ask of a create or update, beyond owning the tenant: checked
 * after the backend's decision and before any AWS change.
 * - Whole-account attribution claims every Bedrock call of an account-region.
 * - Identity attribution claims callers: the tenant's own role, or those an admin approved.
 */
export function checkTenantSpec(
  spec: TenantSpec,
  decision: TenantChangeDecision,
) {
  if (decision.admin) return;
  if (spec.attribution === 'account' && !decision.bound) {
    throw new NotAllowedError(
      `Whole-account attribution makes every Bedrock call in ${
        spec.accountId
      } (${spec.regions.join(', ')}) tenant ${
        spec.tenantId
      }'s: it needs ${ADMIN}`,
    );
  }
  const own = arns.role(spec.accountId, tenantNames(spec.tenantId).roleName);
  const approved = new Set([own, ...(decision.principalArns ?? [])]);
  const extra = spec.principalArns.filter(a => !approved.has(a));
  if (extra.length) {
    throw new NotAllowedError(
      `Identity attribution of ${extra.join(
        ', ',
      )} (callers other than the tenant's own role) needs ${ADMIN}`,
    );
  }
}

/**
 * For a tenant no binding records, made by a non-admin: its existing role (a read) must name
 * this tenant, entity and owner, as a create that failed before binding left it.
 */
export function checkExistingStack(
  spec: TenantSpec,
  roleTags: Record<string, string> | undefined,
) {
  if (
    roleTags &&
    !(
      roleTags[TAG_TENANT] === spec.tenantId &&
      same(roleTags[TAG_ENTITY_REF], spec.entityRef) &&
      same(roleTags[TAG_OWNER], spec.owner)
    )
  ) {
    throw new NotAllowedError(
      `Tenant ${spec.tenantId} already has AWS resources in ${spec.accountId} that no binding records and that were made for another entity or owner: ${ADMIN} adopts it`,
    );
  }
}

/** The suspended-by record of a suspension an admin made: only an admin resumes it. */
export const adminSuspender = (ref: string) => `admin:${ref}`;

export function checkResume(
  tenantId: string,
  decision: TenantChangeDecision,
  roleTags: Record<string, string> | undefined,
) {
  const by = roleTags?.[TAG_SUSPENDED_BY] ?? '';
  if (!decision.admin && by.startsWith('admin:')) {
    throw new NotAllowedError(
      `Tenant ${tenantId} was suspended by a Bedrock admin (${by.slice(
        'admin:'.length,
      )}): resuming it needs ${ADMIN}`,
    );
  }
}
