import type { TenantPlan } from '../provisioning/tenantPlan';

/** The action outputs of a tenant plan. */
export function tenantOutputs(plan: TenantPlan) {
  return {
    roleName: plan.role.name,
    roleArn: plan.role.arn,
    inferenceProfiles: plan.profiles.map(p => ({
      modelId: p.modelId,
      name: p.name,
      profileId: p.id,
      profileArn: p.arn,
    })),
    topicArn: plan.topic.arn,
    alarmNames: plan.alarms.map(a => a.name),
    dashboardName: plan.dashboard.name,
    budgetName: plan.budget.name,
    guardrail: plan.guardrail
      ? {
          guardrailId: plan.guardrail.id,
          guardrailArn: plan.guardrail.arn,
          version: plan.guardrail.version,
          enforced: plan.guardrail.enforce,
        }
      : null,
    annotations: plan.annotations,
    plan: JSON.parse(JSON.stringify(plan)),
  };
}
