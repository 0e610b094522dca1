/* The read side of a dry run: the plan with the ids of what exists, compared with AWS. */
import type { AwsClients } from '@bedrock-tenancy/plugin-bedrock-node';
import type { ProvisioningConfig } from '../config';
import type { TenantSpec } from './inputs';
import { tenantArns, tenantNames } from './naming';
import { buildTenantPlan } from './regionsPlan';
import { sameGuardrail } from './resources/guardrail';
import type { TenantInventory } from './resources/inventory';
import { existingProfiles } from './resources/profiles';
import { readInlinePolicy } from './resources/role';
import { readEmailSubscriptions } from './resources/topic';
import type { GuardrailRef, TenantPlan } from './types';
import {
  previewTenant,
  type CurrentTenant,
  type TenantPreview,
} from './tenantPreview';

/** One region's clients and checked inventory. */
export interface RegionRead {
  region: string;
  aws: AwsClients;
  inv: TenantInventory;
}

/**
 * From the checked inventories of the tenant's regions (the first holds the global resources)
 * and of regions it no longer has: the plan `apply` would start from (existing profiles' ids,
 * the guardrail versions an enforcing policy would name) and its preview. Reads only.
 */
export async function readPreview(
  spec: TenantSpec,
  cfg: ProvisioningConfig,
  slices: RegionRead[],
  dropped: RegionRead[],
): Promise<{ plan: TenantPlan; preview: TenantPreview }> {
  const names = tenantNames(spec.tenantId);
  const existing = Object.fromEntries(
    slices.map(s => [
      s.region,
      existingProfiles(s.inv.profiles, spec.models, names.profileName),
    ]),
  );
  const draft = buildTenantPlan(spec, cfg, existing);
  // the version an enforcing policy would name: the current one while its policies stay
  const guardrails: Record<string, GuardrailRef> = {};
  for (const [i, s] of slices.entries()) {
    const g = s.inv.guardrail;
    const want = draft.regional[i].guardrail;
    if (!g || !want) continue;
    guardrails[s.region] = {
      id: g.id,
      arn: g.arn,
      version:
        g.version && sameGuardrail(g.version.request, want.request)
          ? g.version.number
          : '<next version>',
    };
  }
  const plan = buildTenantPlan(spec, cfg, existing, guardrails);
  const byRegion: Record<string, CurrentTenant> = {};
  for (const s of [...slices, ...dropped]) {
    const topicArn = tenantArns(spec.tenantId, spec.accountId, s.region).topic;
    byRegion[s.region] = {
      ...s.inv,
      subscriptions: s.inv.topic
        ? await readEmailSubscriptions(s.aws, topicArn)
        : [],
    };
  }
  const [first] = slices;
  const current: CurrentTenant = {
    ...byRegion[first.region],
    invokePolicy: first.inv.role
      ? await readInlinePolicy(
          first.aws,
          names.roleName,
          names.invokePolicyName,
        )
      : undefined,
  };
  return {
    plan,
    preview: previewTenant(plan, current, undefined, byRegion),
  };
}

/** AWS could not be read (no credentials where the template editor runs): all to create, and why. */
export function unreadablePreview(
  spec: TenantSpec,
  cfg: ProvisioningConfig,
  error: Error,
): { plan: TenantPlan; preview: TenantPreview } {
  const plan = buildTenantPlan(spec, cfg);
  const note = `The current state could not be read (${error.message}): every resource is listed as to create.`;
  return { plan, preview: previewTenant(plan, undefined, note) };
}
