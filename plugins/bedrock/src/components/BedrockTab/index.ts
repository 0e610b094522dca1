export { BedrockTab } from './BedrockTab';
export { TenantAnnotationGate } from './TenantAnnotationGate';
