import { CustomErrorBase } from '@backstage/errors';
import type { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { UNVERIFIED_TENANT_ERROR } from '@bedrock-tenancy/plugin-bedrock-common';

/**
 * The entity's tenant annotations are not confirmed by a binding: no data is served. 409, since
 * the request is well formed but conflicts with the recorded bindings; the error middleware
 * answers the `statusCode` of the error.
 */
export class UnverifiedTenantError extends CustomErrorBase {
  name = UNVERIFIED_TENANT_ERROR;
  readonly statusCode = 409;
}

/** A tenant in an AWS account the backend has no credentials for: 422 naming the config key. */
export class AccountNotConfiguredError extends CustomErrorBase {
  name = 'AccountNotConfiguredError';
  readonly statusCode = 422;
}

/**
 * Throws AccountNotConfiguredError (4xx) naming the config key to set when no credentials can
 * be had for the account (not in aws.accounts, and not the main account).
 */
export async function checkAccountConfigured(
  clients: AwsClientFactory,
  accountId: string,
): Promise<void> {
  try {
    await clients.checkCredentials(accountId);
  } catch (e) {
    throw new AccountNotConfiguredError(
      `The backend has no AWS credentials for account ${accountId} (${
        (e as Error).message
      }): add the account under aws.accounts in the app config (accountId with roleName or keys), or set aws.accountDefaults.roleName`,
    );
  }
}
