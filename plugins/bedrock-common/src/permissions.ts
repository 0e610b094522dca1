import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read a catalog entity's Bedrock usage, cost, budget, alarms and governance status.
 *
 * @public
 */
export const bedrockUsageReadPermission = createPermission({
  name: 'bedrock.usage.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Ask the backend to re-collect one entity's data now (rate-limited per entity).
 *
 * @public
 */
export const bedrockUsageRefreshPermission = createPermission({
  name: 'bedrock.usage.refresh',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Change a tenant bound to a catalog entity: update, suspend, resume or delete its AWS stack, and
 * publish its catalog file, through the `bedrock:*` scaffolder actions. Checked for the person
 * who started the task, on the entity the tenant is bound to (not on the entity a template names).
 * Grant it to the entity's owners (the catalog's `isEntityOwner` condition) and to Bedrock admins.
 *
 * @public
 */
export const bedrockTenantManagePermission = createPermission({
  name: 'bedrock.tenant.manage',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * The Bedrock admin permission. Record, move or remove a tenant binding (which catalog entity a
 * tenant's data belongs to), and everything only an admin may ask of the scaffolder actions:
 * account-wide settings (invocation logging, taking it over, prompt-text logging), whole-account
 * attribution, identity attribution of principals other than the tenant's role, resuming a
 * suspension an admin or budget enforcement made, and changing a tenant no binding records.
 * Bindings decide who sees a tenant's spend: grant this to platform admins only.
 *
 * @public
 */
export const bedrockBindingManagePermission = createPermission({
  name: 'bedrock.binding.manage',
  attributes: { action: 'update' },
});

/**
 * Whether a person may ask for temporary budget increases at all: the visibility of the
 * `request-budget-increase` action. Whose tenant they may ask for is decided per entity, as for
 * every change of a tenant (its owners and Bedrock admins). Allow it to every signed-in user, or
 * deny it to keep the requests on the tab.
 *
 * @public
 */
export const bedrockBudgetIncreaseRequestPermission = createPermission({
  name: 'bedrock.budget-increase.request',
  attributes: { action: 'create' },
});

/** @public */
export const bedrockPermissions = [
  bedrockUsageReadPermission,
  bedrockUsageRefreshPermission,
  bedrockTenantManagePermission,
  bedrockBindingManagePermission,
  bedrockBudgetIncreaseRequestPermission,
];
