import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { CHARGEBACK_MONTH_PATTERN } from '@bedrock-tenancy/plugin-bedrock-common';
import { iso } from '../lib/time';
import { groupChargeback } from '../service/chargeback';
import { audited } from './audit';
import { GROUP_REF_HELP, groupRef, INCLUDE_CHILDREN_HELP } from './inputs';
import type { BedrockActionsOptions } from './types';

/** bedrock:get-group-chargeback — a Group's chargeback of one month, as the JSON export's rows. */
export function registerGetGroupChargeback(
  registry: ActionsRegistryService,
  o: BedrockActionsOptions,
) {
  registry.register({
    name: 'get-group-chargeback',
    title: 'Bedrock chargeback of a group for a month',
    description:
      "The chargeback of one calendar month for a Group: one row per tenant it owns (and its child groups', by default as the portal is set) with owner, owner's parent groups, estimated and billed cost, budget and usage per model; the same rows as the chargeback JSON download, for the same caller: tenants the caller may not read (bedrock.usage.read) are left out and counted. Each call is audited as a data export.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          groupRef: z.string().min(1).describe(GROUP_REF_HELP),
          month: z
            .string()
            .regex(CHARGEBACK_MONTH_PATTERN, 'a calendar month, YYYY-MM')
            .optional()
            .describe('The month, YYYY-MM (default: this month, up to now)'),
          includeChildren: z
            .boolean()
            .optional()
            .describe(INCLUDE_CHILDREN_HELP),
        }),
      output: z =>
        z.object({
          groupRef: z.string(),
          month: z.string(),
          range: z.object({ from: z.string(), to: z.string() }),
          groups: z.array(z.string()),
          currency: z.literal('USD'),
          totals: z.object({
            tenants: z.number(),
            invocations: z.number(),
            inputTokens: z.number(),
            outputTokens: z.number(),
            estimatedCostUsd: z.number().describe('priced traffic only'),
            billedCostUsd: z.number().nullable(),
            budgetLimitUsd: z.number(),
            unpricedTenants: z.number(),
            partial: z.boolean().optional(),
            partialReason: z.string().nullable().optional(),
          }),
          tenants: z.array(
            z.object({
              entityRef: z.string(),
              title: z.string(),
              tenantId: z.string(),
              owner: z.string(),
              ownerParents: z.array(z.string()),
              invocations: z.number(),
              inputTokens: z.number(),
              outputTokens: z.number(),
              estimatedCostUsd: z.number(),
              costComplete: z.boolean(),
              billedCostUsd: z.number().nullable(),
              budgetLimitUsd: z.number().nullable(),
              reconciliation: z
                .object({
                  month: z.string(),
                  source: z.string(),
                  comparedThrough: z.string().nullable(),
                  billedUsd: z.number(),
                  estimatedUsd: z.number(),
                  varianceUsd: z.number(),
                  variancePercent: z.number().nullable(),
                  lagNote: z.string(),
                })
                .nullable()
                .optional()
                .describe(
                  'estimate vs bill: billed − estimated over the days of the month the bill is complete for (it lags 24-48 h); null without billed figures',
                ),
              models: z.array(
                z.object({
                  modelId: z.string(),
                  displayName: z.string(),
                  invocations: z.number(),
                  inputTokens: z.number(),
                  outputTokens: z.number(),
                  estimatedCostUsd: z.number().nullable(),
                }),
              ),
            }),
          ),
          unreadableTenants: z
            .number()
            .describe('tenants of the group the caller may not read: left out'),
          unverified: z.array(
            z.object({ entityRef: z.string(), reason: z.string() }),
          ),
        }),
    },
    examples: [
      {
        title: "Last month's chargeback of a department",
        input: { groupRef: 'group:default/payments', month: '2026-11' },
      },
    ],
    action: async ({ input, credentials }) => {
      const now = (o.now ?? Date.now)();
      const ref = groupRef(input.groupRef);
      const month = input.month ?? iso(now).slice(0, 7);
      const includeChildren = input.includeChildren ?? o.includeChildGroups;
      // a data export like the download (chargebackRoutes.ts): who read which group's chargeback
      const body = await audited(
        o.auditor,
        {
          eventId: 'chargeback-export',
          severityLevel: 'medium',
          credentials,
          meta: { groupRef: ref, month, format: 'action', includeChildren },
        },
        async () => {
          const result = await groupChargeback({
            ...o,
            groupRef: ref,
            month,
            includeChildren,
            credentials,
            now,
          });
          return {
            result,
            meta: {
              tenants: result.tenants.length,
              unreadableTenants: result.unreadableTenants,
            },
          };
        },
      );
      return { output: body };
    },
  });
}
