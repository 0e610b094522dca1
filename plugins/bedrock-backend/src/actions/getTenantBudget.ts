import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { ENTITY_REF_HELP } from './inputs';
import { budgetOf, tenantOf } from './outputs';
import { tenantSummary } from './tenantSummary';
import type { BedrockActionsOptions } from './types';

/** bedrock:get-tenant-budget — a tenant's budget, and whether enforcement suspended it and why. */
export function registerGetTenantBudget(
  registry: ActionsRegistryService,
  o: BedrockActionsOptions,
) {
  registry.register({
    name: 'get-tenant-budget',
    title: 'Budget status and enforcement of a Bedrock tenant',
    description:
      "A tenant's AWS Budget (limit, spend, forecast, the date it runs out at the current rate) and its budget enforcement: whether it opted in, whether it is suspended, by whom or by which rule, who can resume it and when it resumes by itself, and the last decision with its reason. The caller needs bedrock.usage.read on the entity (its owners and Bedrock admins).",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({ entityRef: z.string().min(1).describe(ENTITY_REF_HELP) }),
      output: z =>
        z.object({
          tenant: z.object({
            entityRef: z.string(),
            tenantId: z.string(),
            accountId: z.string(),
            regions: z.array(z.string()),
          }),
          budget: z
            .object({
              name: z.string(),
              limitUsd: z.number(),
              actualSpendUsd: z.number(),
              forecastedSpendUsd: z.number().nullable(),
              usedFraction: z.number(),
              runsOutOn: z
                .string()
                .nullable()
                .describe('the date the budget runs out at the current rate'),
            })
            .nullable(),
          budgetUnavailable: z.string().nullable(),
          enforcement: z
            .object({
              period: z.string(),
              usedFraction: z.number().nullable(),
              spendUsd: z.number().nullable(),
              limitUsd: z.number().nullable(),
              suspended: z.boolean(),
              suspendedBy: z.string().nullable(),
              suspendedFor: z.enum(['budget', 'person']).nullable(),
              suspendedOn: z.string().nullable(),
              resumableBy: z.string().nullable(),
              resumesOn: z.string().nullable(),
              decision: z.string(),
              reason: z.string(),
              checkedAt: z.string(),
            })
            .nullable()
            .describe('null when the tenant has not opted in to enforcement'),
        }),
    },
    examples: [
      {
        title: 'Is my tenant blocked, and why?',
        input: { entityRef: 'component:default/checkout-assistant' },
      },
    ],
    action: async ({ input, credentials }) => {
      // the budget and enforcement do not depend on the range: the shortest one is read
      const s = await tenantSummary(
        o,
        input.entityRef,
        { range: '24h' },
        credentials,
      );
      const e = s.enforcement ?? null;
      return {
        output: {
          tenant: tenantOf(s),
          ...budgetOf(s),
          enforcement: e && {
            period: e.period,
            usedFraction: e.usedFraction,
            spendUsd: e.spendUsd,
            limitUsd: e.limitUsd,
            suspended: e.suspended,
            suspendedBy: e.suspendedBy,
            suspendedFor: e.suspendedFor,
            suspendedOn: e.suspendedOn,
            resumableBy: e.resumableBy,
            resumesOn: e.resumesOn,
            decision: e.decision,
            reason: e.reason,
            checkedAt: e.checkedAt,
          },
        },
      };
    },
  });
}
