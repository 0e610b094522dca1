import { NotFoundError } from '@backstage/errors';
import { tenantAlarmNames } from '@bedrock-tenancy/plugin-bedrock-common';
import {
  AwsClientFactory,
  resumeTenant,
  suspendTenant,
  SUSPEND_POLICY_NAME,
  suspensionOf,
  tenantRoleName,
} from '@bedrock-tenancy/plugin-bedrock-node';
import type { Tenant } from '../tenant';
import { readTenantTarget } from './suspensionTarget';

/**
 * Who a Bedrock admin's suspension is recorded as: the scaffolder's `bedrock:tenant:suspend`
 * writes the same (`adminSuspender`), so only an admin resumes it and budget enforcement never
 * does.
 */
export const adminSuspender = (userEntityRef: string) =>
  `admin:${userEntityRef}`;

/** What a suspend or resume of a tenant changes, computed without calling AWS. */
export interface SuspensionPreview {
  change: 'suspend' | 'resume';
  tenantId: string;
  entityRef: string;
  accountId: string;
  regions: string[];
  roleName: string;
  /** one sentence per change it would make */
  changes: string[];
}

/**
 * Suspends and resumes one tenant by hand, through the code budget enforcement and the
 * scaffolder's actions use (plugin-bedrock-node): a Deny policy on the tenant's role and its alarm
 * actions off, both recorded on the role so resume restores exactly that. Decides nobody's
 * access: its callers do (src/actions).
 */
export class TenantSuspender {
  readonly #clients: AwsClientFactory;

  static create(o: { clients: AwsClientFactory }) {
    return new TenantSuspender(o.clients);
  }

  private constructor(clients: AwsClientFactory) {
    this.#clients = clients;
  }

  /** What `suspend` or `resume` would change: a plan from the tenant alone, no AWS call. */
  preview(tenant: Tenant, change: 'suspend' | 'resume'): SuspensionPreview {
    const roleName = tenantRoleName(tenant.tenantId);
    const alarms = tenantAlarmNames(tenant.alarmPrefix).join(', ');
    const where = `${tenant.accountId} (${tenant.regions.join(', ')})`;
    return {
      change,
      tenantId: tenant.tenantId,
      entityRef: tenant.entityRef,
      accountId: tenant.accountId,
      regions: tenant.regions,
      roleName,
      changes:
        change === 'suspend'
          ? [
              `Record the suspension and its author in the tags of role ${roleName} in ${where}`,
              `Put the inline policy ${SUSPEND_POLICY_NAME} on ${roleName}: every Bedrock action denied`,
              `Turn off the actions of the enabled alarms among ${alarms}, in every region of the tenant`,
            ]
          : [
              `Turn back on the alarm actions the suspension of ${roleName} recorded, in every region of the tenant`,
              `Remove the inline policy ${SUSPEND_POLICY_NAME} from ${roleName} in ${where}`,
              `Clear the suspension record from the tags of ${roleName}`,
            ],
    };
  }

  /** Suspends the tenant, recorded as suspended by `by`; idempotent. */
  async suspend(tenant: Tenant, by: string) {
    const target = await this.#target(tenant);
    const aws = await this.#clients.forTarget(
      tenant.accountId,
      tenant.regions[0],
    );
    const changes: string[] = [];
    const result = await suspendTenant(aws, target, {
      by,
      onChange: c => changes.push(c),
    });
    return { ...result, changes };
  }

  /** Resumes the tenant; `resumed: false` when it was not suspended. */
  async resume(tenant: Tenant) {
    const target = await this.#target(tenant);
    const aws = await this.#clients.forTarget(
      tenant.accountId,
      tenant.regions[0],
    );
    const changes: string[] = [];
    const previously = suspensionOf(target.roleTags)?.suspendedBy ?? null;
    const result = await resumeTenant(aws, target, {
      onChange: c => changes.push(c),
    });
    return { ...result, changes, previouslySuspendedBy: previously };
  }

  async #target(tenant: Tenant) {
    const target = await readTenantTarget(this.#clients, tenant);
    if (!target) {
      throw new NotFoundError(
        `Tenant ${tenant.tenantId} has no role ${tenantRoleName(
          tenant.tenantId,
        )} made for it in account ${
          tenant.accountId
        }: nothing to suspend or resume`,
      );
    }
    return target;
  }
}
