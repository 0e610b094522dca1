/**
 * Amazon Bedrock usage, cost, budgets and alarms on Backstage entity pages.
 * Legacy frontend system entry; the new frontend system is served from `./alpha`.
 *
 * @packageDocumentation
 */
export {
  bedrockPlugin,
  EntityBedrockContent,
  EntityBedrockOverviewCard,
  EntityBedrockGroupCard,
  EntityBedrockUnattributedCard,
  isBedrockAvailable,
} from './plugin';
export { bedrockApiRef, BedrockClient } from './api';
export type { BedrockApi, BedrockRange } from './api';
