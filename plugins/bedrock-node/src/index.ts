/**
 * The AWS layer the Bedrock tenancy backend plugins share: SDK clients per account and region
 * (credentials from `@backstage/integration-aws-node`), endpoint override, retries, request
 * timeouts, and AWS error matching.
 *
 * @packageDocumentation
 */
export {
  AwsClientFactory,
  credentialsFromConfig,
  GLOBAL_REGION,
  type AwsCallInfo,
  type AwsClientFactoryOptions,
  type AwsClients,
  type CredentialsForAccount,
} from './clients';
export { isAwsError, orUndefined } from './errors';
export { tenantProfileName } from './names';
export * from './suspension';
