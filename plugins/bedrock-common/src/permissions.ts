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

/** @public */
export const bedrockPermissions = [
  bedrockUsageReadPermission,
  bedrockUsageRefreshPermission,
];
