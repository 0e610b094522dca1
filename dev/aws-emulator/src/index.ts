/**
 * The local AWS of the tests and of the demo portal: moto server control, the stand-in for the
 * Bedrock inference-profile and guardrail APIs moto lacks (with AWS Budgets UpdateBudget, done with
 * moto's own budgets), the Logs Insights stand-in (moto ignores `stats` and `filter`), and the
 * emulator's accounts. The demo data set lives in `@bedrock-tenancy/demo`, which provisions it
 * through the scaffolder actions.
 */
export * from './accounts';
export * from './moto';
export * from './bedrockProfilesStandIn';
export * from './bedrockGuardrailsStandIn';
export * from './bedrockBatchStandIn';
export * from './logsInsightsQuery';
export * from './logsInsightsStandIn';
export * from './pricingStandIn';
