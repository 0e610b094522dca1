/* The read side of a dry run: the plan with the ids of what exists, compared with AWS. */
import type { AwsClients } from '@bedrock-tenancy/plugin-bedrock-node';
import type { ProvisioningConfig } from '../config';
import type { TenantSpec } from './inputs';
import { tenantNames } from './naming';
import { sameGuardrail } from './resources/guardrail';
import type { TenantInventory } from './resources/inventory';
import { existingProfiles } from './resources/profiles';
import { readInlinePolicy } from './resources/role';
import { readEmailSubscriptions } from './resources/topic';
import { buildTenantPlan, type TenantPlan } from './tenantPlan';
import {
  previewTenant,
  type CurrentTenant,
  type TenantPreview,
} from './tenantPreview';

/**
 * From a checked inventory: the plan `apply` would start from (existing profiles' ids, the
 * guardrail version an enforcing policy would name) and its preview. Reads only.
 */
export async function readPreview(
  aws: AwsClients,
  spec: TenantSpec,
  cfg: ProvisioningConfig,
  inv: TenantInventory,
): Promise<{ plan: TenantPlan; preview: TenantPreview }> {
  const names = tenantNames(spec.tenantId);
  const existing = existingProfiles(
    inv.profiles,
    spec.models,
    names.profileName,
  );
  const draft = buildTenantPlan(spec, cfg, existing);
  // the version an enforcing policy would name: the current one while its policies stay
  const g = inv.guardrail;
  const guardrailRef =
    g && draft.guardrail
      ? {
          id: g.id,
          arn: g.arn,
          version:
            g.version &&
            sameGuardrail(g.version.request, draft.guardrail.request)
              ? g.version.number
              : '<next version>',
        }
      : undefined;
  const plan = buildTenantPlan(spec, cfg, existing, guardrailRef);
  const current: CurrentTenant = {
    ...inv,
    invokePolicy: inv.role
      ? await readInlinePolicy(aws, names.roleName, names.invokePolicyName)
      : undefined,
    subscriptions: inv.topic
      ? await readEmailSubscriptions(aws, plan.topic.arn)
      : [],
  };
  return { plan, preview: previewTenant(plan, current) };
}
