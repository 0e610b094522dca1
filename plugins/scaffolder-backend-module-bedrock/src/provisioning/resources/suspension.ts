/*
 * A suspended tenant: an explicit Deny on its role and a record, on the role, of what was turned
 * off and who suspended it. The logic is shared with the bedrock backend's budget enforcement and
 * lives in @bedrock-tenancy/plugin-bedrock-node; this module keeps the names the actions use.
 */
import type { RoleState } from './role';

export {
  SUSPEND_POLICY,
  TAG_SUSPENDED,
  TAG_SUSPENDED_BY,
  resumeTenant,
  suspendTenant,
} from '@bedrock-tenancy/plugin-bedrock-node';

/** The recorded alarm kinds (space-separated); undefined when the tenant is not suspended. */
export const suspensionRecord = (role: RoleState | undefined) =>
  role?.tags['bedrock-tenancy:suspended-alarms'];
