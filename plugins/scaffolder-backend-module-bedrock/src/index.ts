/**
 * Scaffolder actions that provision Amazon Bedrock tenant stacks.
 *
 * @packageDocumentation
 */
export { scaffolderModuleBedrock as default } from './module';
export * from './actions';
export {
  DefaultAwsClientFactory,
  credentialSourceFromConfig,
  type AwsClientFactory,
  type AwsClients,
  type AwsCallInfo,
  type CredentialSource,
} from './aws/clients';
export { readProvisioningConfig, type ProvisioningConfig } from './config';
export { LoggingProvisioner } from './provisioning/LoggingProvisioner';
export { TenantProvisioner } from './provisioning/TenantProvisioner';
export { buildTenantPlan, type TenantPlan } from './provisioning/tenantPlan';
export { buildLoggingPlan, type LoggingPlan } from './provisioning/loggingPlan';
export { tenantNames, loggingNames } from './provisioning/naming';
export {
  BedrockBindingsClient,
  type BindingsClient,
} from './bindings/BedrockBindingsClient';
