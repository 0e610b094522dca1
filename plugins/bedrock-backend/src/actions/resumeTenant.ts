import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { TenantSuspender } from '../enforce/TenantSuspender';
import { registerTenantWrite } from './tenantWriteAction';
import type { BedrockActionsOptions } from './types';

/** bedrock:resume-tenant — Bedrock admins: lift a tenant's suspension, whoever made it (dry run first). */
export function registerResumeTenant(
  registry: ActionsRegistryService,
  o: BedrockActionsOptions & { suspender: TenantSuspender },
) {
  registerTenantWrite(registry, o, {
    name: 'resume-tenant',
    title: 'Resume a suspended Bedrock tenant',
    description:
      'Bedrock admins only (bedrock.binding.manage; hidden from everyone else). Resumes a suspended tenant, whoever suspended it (its owners, an admin or budget enforcement): removes the Deny policy and turns back on exactly the alarm actions the suspension turned off. dryRun (the default) answers the plan and changes nothing; dryRun false resumes. Every call, dry runs included, is audited with the person as actor. suspendedBy answers who had suspended it.',
    change: 'resume',
    plannedSuspender: () => null,
    apply: async ({ suspender, tenant }) => {
      const r = await suspender.resume(tenant);
      return { done: r.changes, suspendedBy: r.previouslySuspendedBy };
    },
  });
}
