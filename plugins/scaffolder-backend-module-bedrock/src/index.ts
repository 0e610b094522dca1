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
export { tenantNames, type TenantNames } from './provisioning/naming';
export type { TenantPlan } from './provisioning/tenantPlan';
export {
  BedrockBindingsClient,
  type BindingsClient,
} from './bindings/BedrockBindingsClient';
