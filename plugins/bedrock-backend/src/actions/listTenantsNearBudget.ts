import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { resolveRange } from '../service/range';
import { GROUP_REF_HELP, groupRef, INCLUDE_CHILDREN_HELP } from './inputs';
import type { BedrockActionsOptions } from './types';

/** Every row of a roll-up (the HTTP route's most, too). */
const ROWS = 2000;

/** bedrock:list-tenants-near-budget — the tenants of a group that used `threshold` of their budget. */
export function registerListTenantsNearBudget(
  registry: ActionsRegistryService,
  o: BedrockActionsOptions,
) {
  registry.register({
    name: 'list-tenants-near-budget',
    title: 'Bedrock tenants of a group near their budget',
    description:
      "The tenants a Group owns (and its child groups, by default as the portal is set) whose AWS Budget is used at least `threshold` (default 0.8 = 80%), most used first, from the Group's Bedrock roll-up for the caller: tenants the caller may not read (bedrock.usage.read) are left out and counted in unreadableTenants, exactly as on the Group card.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          groupRef: z.string().min(1).describe(GROUP_REF_HELP),
          threshold: z
            .number()
            .min(0)
            .max(10)
            .default(0.8)
            .describe(
              'The used fraction of the budget from which a tenant is listed (default 0.8)',
            ),
          includeChildren: z
            .boolean()
            .optional()
            .describe(INCLUDE_CHILDREN_HELP),
        }),
      output: z =>
        z.object({
          groupRef: z.string(),
          threshold: z.number(),
          tenants: z.array(
            z.object({
              entityRef: z.string(),
              title: z.string(),
              tenantId: z.string(),
              owner: z.string(),
              budgetLimitUsd: z.number().nullable(),
              budgetUsedFraction: z.number().nullable(),
              monthToDateUsd: z.number().nullable(),
              projectedMonthEndUsd: z.number().nullable(),
            }),
          ),
          tenantsCounted: z
            .number()
            .describe('tenants of the group the caller may read'),
          withoutBudget: z.number(),
          unreadableTenants: z
            .number()
            .describe('tenants of the group the caller may not read: left out'),
        }),
    },
    examples: [
      {
        title: 'Which of our tenants are above 90% of their budget?',
        input: { groupRef: 'group:default/team-checkout', threshold: 0.9 },
      },
    ],
    action: async ({ input, credentials }) => {
      const ref = groupRef(input.groupRef);
      const group = await o.entities.read(ref, credentials);
      const rollup = await o.groups.rollup({
        group,
        includeChildren: input.includeChildren ?? o.includeChildGroups,
        range: resolveRange({ range: 'mtd' }, (o.now ?? Date.now)()),
        credentials,
        limit: ROWS,
      });
      const near = rollup.tenants
        .filter(t => (t.budgetUsedFraction ?? -1) >= input.threshold)
        .sort((a, b) => b.budgetUsedFraction! - a.budgetUsedFraction!);
      return {
        output: {
          groupRef: rollup.groupRef,
          threshold: input.threshold,
          tenants: near.map(t => ({
            entityRef: t.entityRef,
            title: t.title,
            tenantId: t.tenantId,
            owner: t.owner,
            budgetLimitUsd: t.budgetLimitUsd,
            budgetUsedFraction: t.budgetUsedFraction,
            monthToDateUsd: t.monthToDateUsd,
            projectedMonthEndUsd: t.projectedMonthEndUsd,
          })),
          tenantsCounted: rollup.tenantCount ?? rollup.tenants.length,
          withoutBudget: rollup.tenants.filter(t => t.budgetLimitUsd === null)
            .length,
          unreadableTenants: rollup.unreadableTenants ?? 0,
        },
      };
    },
  });
}
