import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { bedrockBindingManagePermission } from '@bedrock-tenancy/plugin-bedrock-common';
import type {
  SuspensionPreview,
  TenantSuspender,
} from '../enforce/TenantSuspender';
import type { Tenant } from '../tenant';
import { adminTenant } from './adminTenant';
import { audited } from './audit';
import { ENTITY_REF_HELP } from './inputs';
import type { BedrockActionsOptions } from './types';

/** What one write (suspend or resume) adds to the shared checks, dry run and audit. */
export interface TenantWrite {
  name: string;
  title: string;
  description: string;
  change: SuspensionPreview['change'];
  /** makes the change (not called in a dry run); `suspendedBy` is answered */
  apply(o: {
    suspender: TenantSuspender;
    tenant: Tenant;
    person: string;
  }): Promise<{ done: string[]; suspendedBy: string | null }>;
  /** the suspender a dry run answers */
  plannedSuspender(person: string): string | null;
}

/**
 * Registers a guarded write on a tenant: destructive, visible only to Bedrock admins
 * (bedrock.binding.manage, decided again when it runs, see adminTenant), a dry run by default that
 * answers the plan and changes nothing, and an audit event for every call (dry runs included)
 * that names the person.
 */
export function registerTenantWrite(
  registry: ActionsRegistryService,
  o: BedrockActionsOptions & { suspender: TenantSuspender },
  write: TenantWrite,
) {
  registry.register({
    name: write.name,
    title: write.title,
    description: write.description,
    attributes: { readOnly: false, idempotent: true, destructive: true },
    visibilityPermission: bedrockBindingManagePermission,
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().min(1).describe(ENTITY_REF_HELP),
          dryRun: z
            .boolean()
            .default(true)
            .describe(
              'true (the default): only answer what would change. false: make the change',
            ),
        }),
      output: z =>
        z.object({
          dryRun: z.boolean(),
          change: z.enum(['suspend', 'resume']),
          tenantId: z.string(),
          entityRef: z.string(),
          accountId: z.string(),
          regions: z.array(z.string()),
          roleName: z.string(),
          plan: z
            .array(z.string())
            .describe('what the change does, one step a line'),
          done: z
            .array(z.string())
            .describe(
              'what was changed in AWS; empty for a dry run or when nothing was left to do',
            ),
          suspendedBy: z.string().nullable(),
        }),
    },
    examples: [
      {
        title: `Preview: ${write.title.toLowerCase()}`,
        input: {
          entityRef: 'component:default/checkout-assistant',
          dryRun: true,
        },
      },
    ],
    action: async ({ input, credentials }) => ({
      output: await run(o, write, input, credentials),
    }),
  });
}

async function run(
  o: BedrockActionsOptions & { suspender: TenantSuspender },
  write: TenantWrite,
  input: { entityRef: string; dryRun: boolean },
  credentials: BackstageCredentials,
) {
  const { change } = write;
  return audited(
    o.auditor,
    {
      eventId: 'tenant-suspension',
      severityLevel: input.dryRun ? 'low' : 'high',
      credentials,
      meta: {
        action: change,
        entityRef: input.entityRef,
        dryRun: input.dryRun,
      },
    },
    async () => {
      const { tenant, person } = await adminTenant(
        o,
        input.entityRef,
        credentials,
      );
      const plan = o.suspender.preview(tenant, change);
      const { done, suspendedBy } = input.dryRun
        ? { done: [], suspendedBy: write.plannedSuspender(person) }
        : await write.apply({ suspender: o.suspender, tenant, person });
      return {
        result: {
          dryRun: input.dryRun,
          change,
          tenantId: plan.tenantId,
          entityRef: plan.entityRef,
          accountId: plan.accountId,
          regions: plan.regions,
          roleName: plan.roleName,
          plan: plan.changes,
          done,
          suspendedBy,
        },
        meta: { tenantId: tenant.tenantId, done, suspendedBy },
      };
    },
  );
}
