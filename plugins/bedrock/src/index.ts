/**
 * Amazon Bedrock usage, cost, budgets and alarms on Backstage entity pages.
 * Legacy frontend system entry; the new frontend system is served from `./alpha`.
 *
 * @packageDocumentation
 */
export { bedrockPlugin } from './plugin';
