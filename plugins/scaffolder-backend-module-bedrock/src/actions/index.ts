export { createBedrockLoggingEnsureAction } from './loggingEnsure';
export type { LoggingActionOptions } from './loggingEnsure';
export {
  createBedrockTenantCreateAction,
  createBedrockTenantUpdateAction,
} from './tenantApply';
export type { TenantActionOptions } from './tenantApply';
export {
  createBedrockTenantSuspendAction,
  createBedrockTenantResumeAction,
  createBedrockTenantDeleteAction,
} from './tenantLifecycle';
export type { LifecycleActionOptions } from './tenantLifecycle';
export { createBedrockCatalogPublishAction } from './catalogPublish';
export type { CatalogPublishActionOptions } from './catalogPublish';
export { createBedrockTenantAdoptAction } from './tenantAdopt';
export type { AdoptActionOptions } from './tenantAdopt';
