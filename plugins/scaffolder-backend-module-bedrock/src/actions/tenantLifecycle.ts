/* What the tenant lifecycle actions (suspend, resume, delete) share: options, input, audit record. */
import type { AuditorService } from '@backstage/backend-plugin-api';
import type { ProvisioningConfig } from '../config';
import type { Target } from '../provisioning/inputs';
import type { TenantProvisioner } from '../provisioning/TenantProvisioner';
import type { BindingsClient } from '../bindings/record';
import type { InitiatorContext, TaskAuthorizer } from './authorization';

/**
 * Options of {@link createBedrockTenantSuspendAction}, {@link createBedrockTenantResumeAction}
 * and {@link createBedrockTenantDeleteAction}.
 */
export interface LifecycleActionOptions {
  provisioner: TenantProvisioner;
  config: ProvisioningConfig;
  auditor?: AuditorService;
  /** removes a deleted tenant's binding in the bedrock backend */
  bindings?: BindingsClient;
  /** who may change the tenant: decided for the task's initiator before any AWS call */
  authorizer: TaskAuthorizer;
}

/** The initiator may make this change to the tenant's stack in `target`'s account-region. */
export const authorize = (
  authorizer: TaskAuthorizer,
  ctx: InitiatorContext,
  change: 'suspend' | 'resume' | 'delete',
  target: Target,
) =>
  authorizer.change(ctx, target.tenantId, {
    change,
    accountId: target.accountId,
    regions: [target.region],
  });

/** The audit record of a lifecycle operation: which tenant, where. */
export const step = (action: string, target: Target) => ({
  action: `bedrock:tenant:${action}`,
  input: target,
  meta: {
    tenantId: target.tenantId,
    accountId: target.accountId,
    region: target.region,
  },
});
