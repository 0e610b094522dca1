/**
 * Scaffolder actions that provision Amazon Bedrock tenant stacks.
 *
 * @packageDocumentation
 */
export { scaffolderModuleBedrock as default } from './module';
export {
  createBedrockActions,
  type BedrockActionsOptions,
} from './actions/createBedrockActions';
export {
  tenantNames,
  type AlarmKind,
  type TenantNames,
} from './provisioning/naming';
export type {
  TenantPlan,
  PlannedProfile,
  RegionalPlan,
} from './provisioning/tenantPlan';
export type { PolicyDocument, PolicyStatement } from './provisioning/policies';
export type { PlannedAlarm } from './provisioning/resources/alarms';
export type {
  BudgetNotificationPlan,
  PlannedBudget,
} from './provisioning/resources/budget';
export type { PlannedTopic } from './provisioning/resources/topic';
export type { PlannedGuardrail } from './provisioning/resources/guardrail';
export type { GuardrailRequest } from './provisioning/guardrailPlan';
export {
  BedrockBindingsClient,
  type BindingsClient,
} from './bindings/BedrockBindingsClient';
export type {
  PlanDiff,
  PlanEntry,
  TenantPreview,
} from './provisioning/tenantPreview';
