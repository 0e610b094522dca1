import { tenantApplyAction, type TenantActionOptions } from './tenantApply';
import { tenantCreateExamples } from './tenantCreate.examples';

/**
 * bedrock:tenant:create — creates (or converges) a tenant: IAM role, application inference
 * profiles, dashboard, SNS topic, alarms and a monthly budget.
 */
export const createBedrockTenantCreateAction = (options: TenantActionOptions) =>
  tenantApplyAction('create', options, tenantCreateExamples);
