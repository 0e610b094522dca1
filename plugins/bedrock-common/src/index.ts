/**
 * Shared pieces of the Bedrock tenancy plugins: catalog annotations, permissions, resource
 * tags, model-id normalisation and the backend's API types.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './permissions';
export * from './tags';
export * from './models';
export * from './api';
export * from './bindings';
export * from './usage';
export * from './range';
export * from './cost';
export * from './reconciliation';
export * from './prices';
export * from './guardrails';
export * from './signals';
export * from './chargeback';
export * from './enforcement';
export * from './budgetIncreases';
export * from './unattributed';
