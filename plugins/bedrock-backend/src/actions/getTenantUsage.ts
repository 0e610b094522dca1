import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { RANGE_PRESETS } from '@bedrock-tenancy/plugin-bedrock-common';
import { ENTITY_REF_HELP, RANGE_HELP, rangeQuery } from './inputs';
import { budgetOf, sectionParts, tenantOf } from './outputs';
import { tenantSummary } from './tenantSummary';
import type { BedrockActionsOptions } from './types';

/** bedrock:get-tenant-usage — a tenant's usage and cost for a range: totals, models, budget. */
export function registerGetTenantUsage(
  registry: ActionsRegistryService,
  o: BedrockActionsOptions,
) {
  registry.register({
    name: 'get-tenant-usage',
    title: 'Bedrock usage and cost of a tenant',
    description:
      "The Amazon Bedrock usage and estimated cost of one tenant (a catalog entity) over a range: totals, each model's share, month to date, the projection to month end, a cost anomaly, and its AWS Budget. The same figures as the entity's Bedrock tab, with the same checks: the caller needs bedrock.usage.read on the entity (its owners and Bedrock admins), and only a tenant a binding confirms answers.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().min(1).describe(ENTITY_REF_HELP),
          range: z.enum(RANGE_PRESETS).optional().describe(RANGE_HELP.range),
          from: z.string().optional().describe(RANGE_HELP.from),
          to: z.string().optional().describe(RANGE_HELP.to),
        }),
      output: z =>
        z.object({
          tenant: z.object({
            entityRef: z.string(),
            tenantId: z.string(),
            accountId: z.string(),
            regions: z.array(z.string()),
          }),
          range: z.object({ from: z.string(), to: z.string() }),
          totals: z.object({
            invocations: z.number(),
            inputTokens: z.number(),
            outputTokens: z.number(),
            estimatedCostUsd: z
              .number()
              .nullable()
              .describe('null when some traffic uses a model without a price'),
            errorRate: z.number().nullable(),
          }),
          models: z.array(
            z.object({
              modelId: z.string(),
              displayName: z.string(),
              invocations: z.number(),
              inputTokens: z.number(),
              outputTokens: z.number(),
              estimatedCostUsd: z.number().nullable(),
              costShare: z.number().nullable(),
            }),
          ),
          cost: z
            .object({
              rangeEstimatedUsd: z.number(),
              monthToDateUsd: z.number(),
              projectedMonthEndUsd: z.number(),
              dailyRunRateUsd: z.number(),
              unpricedModels: z.array(z.string()),
              anomaly: z
                .object({
                  date: z.string(),
                  amountUsd: z.number(),
                  baselineUsd: z.number(),
                  score: z.number(),
                })
                .nullable(),
            })
            .nullable(),
          costUnavailable: z.string().nullable(),
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
        }),
    },
    examples: [
      {
        title: "This month's usage of a tenant",
        input: {
          entityRef: 'component:default/checkout-assistant',
          range: 'mtd',
        },
      },
    ],
    action: async ({ input, credentials }) => {
      const s = await tenantSummary(
        o,
        input.entityRef,
        rangeQuery(input),
        credentials,
      );
      const cost = sectionParts(s.cost);
      return {
        output: {
          tenant: tenantOf(s),
          range: { from: s.range.from, to: s.range.to },
          totals: {
            invocations: s.totals.invocations,
            inputTokens: s.totals.inputTokens,
            outputTokens: s.totals.outputTokens,
            estimatedCostUsd: s.totals.estimatedCostUsd,
            errorRate: s.totals.errorRate,
          },
          models: s.models.map(m => ({
            modelId: m.modelId,
            displayName: m.displayName,
            invocations: m.invocations,
            inputTokens: m.inputTokens,
            outputTokens: m.outputTokens,
            estimatedCostUsd: m.estimatedCostUsd,
            costShare: m.costShare,
          })),
          cost: cost.data && {
            rangeEstimatedUsd: cost.data.rangeEstimatedUsd,
            monthToDateUsd: cost.data.monthToDateUsd,
            projectedMonthEndUsd: cost.data.projectedMonthEndUsd,
            dailyRunRateUsd: cost.data.dailyRunRateUsd,
            unpricedModels: cost.data.unpricedModels,
            anomaly: cost.data.anomaly,
          },
          costUnavailable: cost.unavailable,
          ...budgetOf(s),
        },
      };
    },
  });
}
