/**
 * The local AWS of the tests and of the demo portal: moto server control and the deterministic
 * Bedrock demo data set.
 */
export * from './moto';
export * from './demo';
export * from './bedrockProfilesStandIn';
export * from './bedrockGuardrailsStandIn';
