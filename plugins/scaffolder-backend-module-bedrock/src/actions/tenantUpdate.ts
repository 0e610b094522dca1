import { tenantApplyAction, type TenantActionOptions } from './tenantApply';
import { tenantUpdateExamples } from './tenantUpdate.examples';

/**
 * bedrock:tenant:update — converges an existing tenant to new models, thresholds, budget and
 * subscribers.
 */
export const createBedrockTenantUpdateAction = (options: TenantActionOptions) =>
  tenantApplyAction('update', options, tenantUpdateExamples);
