import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { registerExplainTenantCostChange } from './explainTenantCostChange';
import { registerGetGroupChargeback } from './getGroupChargeback';
import { registerGetTenantBudget } from './getTenantBudget';
import { registerGetTenantUsage } from './getTenantUsage';
import { registerListTenantsNearBudget } from './listTenantsNearBudget';
import { registerRequestBudgetIncrease } from './requestBudgetIncrease';
import { registerResumeTenant } from './resumeTenant';
import { registerSuspendTenant } from './suspendTenant';
import type { BedrockActionsOptions } from './types';

export type { BedrockActionsOptions } from './types';

/**
 * Registers the Bedrock actions (bedrock:*) that AI assistants call through the MCP actions
 * backend: five read-only ones for whoever may read the tenants, with a suspender the suspend and
 * resume actions for Bedrock admins only, and with the budget increases the request of one for a
 * tenant's owners.
 */
export function registerBedrockActions(
  registry: ActionsRegistryService,
  options: BedrockActionsOptions,
) {
  registerGetTenantUsage(registry, options);
  registerGetTenantBudget(registry, options);
  registerListTenantsNearBudget(registry, options);
  registerGetGroupChargeback(registry, options);
  registerExplainTenantCostChange(registry, options);
  const { suspender, increases, changes } = options;
  if (suspender) {
    registerSuspendTenant(registry, { ...options, suspender });
    registerResumeTenant(registry, { ...options, suspender });
  }
  if (increases && changes) {
    registerRequestBudgetIncrease(registry, { ...options, increases, changes });
  }
}
