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
  BudgetNotificationPlan,
  GuardrailRequest,
  PlannedAlarm,
  PlannedBudget,
  PlannedGuardrail,
  PlannedProfile,
  PlannedTopic,
  RegionalPlan,
  TenantPlan,
} from './provisioning/types';
export type { PolicyDocument, PolicyStatement } from './provisioning/policies';
export {
  BedrockBindingsClient,
  type BindingsClient,
} from './bindings/BedrockBindingsClient';
