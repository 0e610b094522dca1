import type {
  BudgetEnforcement,
  TenantBindingBody,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { pricedModelId, type TenantPlan } from '../provisioning/tenantPlan';
import { bindingErrorMessage, BindingsClient } from './BedrockBindingsClient';

/** The binding of a provisioned tenant: what its plan made, bound to `entityRef`. */
export function bindingOfPlan(
  plan: TenantPlan,
  spec: { entityRef: string; owner: string },
  /** the opt-in to budget enforcement; undefined leaves the recorded one as it is */
  budgetEnforcement?: BudgetEnforcement | null,
): TenantBindingBody {
  return {
    entityRef: spec.entityRef,
    owner: spec.owner,
    accountId: plan.accountId,
    regions: plan.regions,
    attribution: plan.attribution,
    // profile claims only in profile mode; the backend makes an account-mode binding the sole
    // holder of its account-regions, and an identity one the holder of its principals
    inferenceProfiles: Object.fromEntries(
      plan.profiles.map(p => [p.id, pricedModelId(p)]),
    ),
    principalArns: plan.attribution === 'identity' ? plan.principalArns : [],
    alarmPrefix: plan.annotations['bedrock-tenancy.io/alarm-prefix'],
    budgetName: plan.annotations['bedrock-tenancy.io/budget-name'],
    ...(budgetEnforcement !== undefined && { budgetEnforcement }),
  };
}

/**
 * Runs a binding write after the AWS work of a step is checkpointed: when the bedrock backend
 * cannot be reached the step fails with what to do, and a re-run skips the AWS work.
 */
export async function recordBinding(
  what: string,
  tenantId: string,
  fn: () => Promise<void>,
): Promise<void> {
  try {
    await fn();
  } catch (e) {
    throw new Error(
      `The AWS resources of tenant ${tenantId} are in place, but ${what} failed: ${bindingErrorMessage(
        e,
      )}. Until it is recorded the tenant's usage is shown nowhere; run the task again (the AWS work is not repeated), or ask a Bedrock admin to adopt the tenant.`,
    );
  }
}

export type { BindingsClient };
