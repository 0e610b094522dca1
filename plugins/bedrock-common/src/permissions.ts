import { createPermission } from '@backstage/plugin-permission-common';

/** Read a catalog entity's Bedrock usage, cost, budget, alarms and governance status. */
export const bedrockUsageReadPermission = createPermission({
  name: 'bedrock.usage.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/** Ask the backend to re-collect one entity's data now (rate-limited per entity). */
export const bedrockUsageRefreshPermission = createPermission({
  name: 'bedrock.usage.refresh',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Record, move or remove a tenant binding (which catalog entity a tenant's data belongs to).
 * Bindings decide who sees a tenant's spend: grant this to platform admins only.
 */
export const bedrockBindingManagePermission = createPermission({
  name: 'bedrock.binding.manage',
  attributes: { action: 'update' },
});

export const bedrockPermissions = [
  bedrockUsageReadPermission,
  bedrockUsageRefreshPermission,
  bedrockBindingManagePermission,
];
