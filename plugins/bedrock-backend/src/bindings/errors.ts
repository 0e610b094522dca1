import { CustomErrorBase } from '@backstage/errors';
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
