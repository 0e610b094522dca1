import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  ResponseError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  bedrockBindingManagePermission,
  type TenantChangeCheck,
  type TenantChangeDecision,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { BindingsClient } from '../bindings/BedrockBindingsClient';

/** What the authorization needs of an action's context. */
export interface InitiatorContext {
  getInitiatorCredentials(): Promise<BackstageCredentials>;
}

/**
 * Decides, for the person who started a task, before any AWS call, whether an action may go on.
 *
 * @public
 */
export interface TaskAuthorizer {
  /** true for {@link operatorAuthorizer}: no person is behind the task */
  readonly operator?: boolean;
  /**
   * The bedrock backend's decision on a change of a tenant (403 NotAllowedError or 409
   * ConflictError with the reason otherwise): only its owners and Bedrock admins change it.
   */
  change(
    ctx: InitiatorContext,
    tenantId: string,
    check: TenantChangeCheck,
  ): Promise<TenantChangeDecision>;
  /** Throws NotAllowedError unless the initiator is a Bedrock admin (bedrock.binding.manage). */
  requireAdmin(ctx: InitiatorContext, what: string): Promise<void>;
}

/** The backend's refusal as the error type it stands for, with its own message. */
function asLocalError(e: unknown): Error {
  if (!(e instanceof ResponseError)) return e as Error;
  const message = e.body?.error?.message || e.message;
  if (e.statusCode === 403) return new NotAllowedError(message);
  if (e.statusCode === 409) return new ConflictError(message);
  if (e.statusCode === 400) return new InputError(message);
  return new Error(`The bedrock backend refused the change: ${message}`);
}

/**
 * The module's authorizer: tenant changes are decided by the bedrock backend (it holds the
 * bindings), account-wide ones by the permission framework, both for the task's initiator.
 *
 * @public
 */
export function initiatorAuthorizer(o: {
  bindings: BindingsClient;
  permissions: PermissionsService;
}): TaskAuthorizer {
  return {
    async change(ctx, tenantId, check) {
      try {
        return await o.bindings.check(tenantId, check, {
          onBehalfOf: await ctx.getInitiatorCredentials(),
        });
      } catch (e) {
        throw asLocalError(e);
      }
    },
    async requireAdmin(ctx, what) {
      const [decision] = await o.permissions.authorize(
        [{ permission: bedrockBindingManagePermission }],
        { credentials: await ctx.getInitiatorCredentials() },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `${what} needs a Bedrock admin (${bedrockBindingManagePermission.name})`,
        );
      }
    },
  };
}

/**
 * Allows everything: for code that runs the actions itself with the operator's own AWS
 * credentials and no backend (the demo data set), never for a scaffolder module.
 *
 * @public
 */
export const operatorAuthorizer: TaskAuthorizer = {
  operator: true,
  async change() {
    return { admin: true, bound: false };
  },
  async requireAdmin() {},
};
