import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { adminSuspender, TenantSuspender } from '../enforce/TenantSuspender';
import { registerTenantWrite } from './tenantWriteAction';
import type { BedrockActionsOptions } from './types';

/** bedrock:suspend-tenant — Bedrock admins: deny every Bedrock call of a tenant (dry run first). */
export function registerSuspendTenant(
  registry: ActionsRegistryService,
  o: BedrockActionsOptions & { suspender: TenantSuspender },
) {
  registerTenantWrite(registry, o, {
    name: 'suspend-tenant',
    title: 'Suspend a Bedrock tenant',
    description:
      'Bedrock admins only (bedrock.binding.manage; hidden from everyone else). Suspends a tenant: an explicit Deny policy on its role blocks every Bedrock call and its alarm actions are turned off, both recorded on the role with the admin as suspender, so only an admin resumes it and budget enforcement never does. dryRun (the default) answers the plan and changes nothing; dryRun false suspends. Every call, dry runs included, is audited with the person as actor.',
    change: 'suspend',
    plannedSuspender: adminSuspender,
    apply: async ({ suspender, tenant, person }) => {
      const by = adminSuspender(person);
      const { changes } = await suspender.suspend(tenant, by);
      return { done: changes, suspendedBy: by };
    },
  });
}
