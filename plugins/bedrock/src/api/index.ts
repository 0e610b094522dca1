export { bedrockApiRef } from './BedrockApi';
export type { BedrockApi, BedrockRange } from './BedrockApi';
export { BedrockClient } from './BedrockClient';
