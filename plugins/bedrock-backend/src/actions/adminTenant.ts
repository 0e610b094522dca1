import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  bedrockBindingManagePermission,
  bedrockTenantManagePermission,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { permittedTenant } from '../service/entityAccess';
import type { Tenant } from '../tenant';
import { personOf, tenantRef } from './inputs';
import type { BedrockActionsOptions } from './types';

/**
 * The tenant of `ref` for a write by a Bedrock admin: a person (not a service alone), holding
 * bedrock.binding.manage (the actions' visibility permission, decided again here: the registry's
 * check is not the only one), and bedrock.tenant.manage on the entity read with the caller's
 * credentials, whose binding is confirmed. Owners suspend their own tenants through the
 * scaffolder's bedrock:tenant:suspend, whose rules (who may resume what) this does not repeat.
 */
export async function adminTenant(
  o: BedrockActionsOptions,
  ref: string,
  credentials: BackstageCredentials,
): Promise<{ tenant: Tenant; person: string }> {
  const person = personOf(credentials);
  const [decision] = await o.permissions.authorize(
    [{ permission: bedrockBindingManagePermission }],
    { credentials },
  );
  if (decision?.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `Suspending or resuming a tenant from an assistant needs the permission ${bedrockBindingManagePermission.name} (Bedrock admins); owners use the bedrock:tenant:suspend template`,
    );
  }
  const tenant = await permittedTenant({
    ref: tenantRef(ref),
    permission: bedrockTenantManagePermission,
    credentials,
    permissions: o.permissions,
    entities: o.entities,
    bindings: o.bindings,
    catalog: o.catalog,
  });
  return { tenant, person };
}
