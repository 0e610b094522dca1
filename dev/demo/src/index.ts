/**
 * The deterministic Bedrock demo data set of the local portal and the integration tests: its
 * stacks made by the suite's own scaffolder actions, then the traffic, alarm states and spend AWS
 * would produce. Re-exports the emulator (`@bedrock-tenancy/aws-emulator`), so a test imports one
 * package.
 */
export * from '@bedrock-tenancy/aws-emulator';
export * from './tenants';
export * from './traffic';
export * from './seed';
export { seededRandom } from './random';
export * from './provision';
export * from './catalog';
export * from './expected';
