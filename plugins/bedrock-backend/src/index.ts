/**
 * Backend plugin that collects and serves per-tenant Amazon Bedrock usage.
 *
 * @packageDocumentation
 */
export { bedrockPlugin as default } from './plugin';
