import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { comparedRanges, explainChange, queryOf } from './costChange';
import { ENTITY_REF_HELP } from './inputs';
import { tenantOf } from './outputs';
import { tenantSummary } from './tenantSummary';
import type { BedrockActionsOptions, SchemaZod } from './types';

const rangeCost = (z: SchemaZod) =>
  z.object({
    from: z.string(),
    to: z.string(),
    estimatedCostUsd: z
      .number()
      .describe(
        'estimated cost of the priced traffic; with partial, some traffic has no price and is not in it',
      ),
    partial: z.boolean(),
    unpricedModels: z.array(z.string()),
  });

const figure = (z: SchemaZod) =>
  z.object({ previous: z.number(), current: z.number(), delta: z.number() });

const modelChange = (z: SchemaZod) =>
  z.object({
    modelId: z.string(),
    displayName: z.string(),
    presence: z
      .enum(['new', 'gone', 'both'])
      .describe(
        'new: no traffic in the previous range; gone: none in the current one',
      ),
    priced: z
      .boolean()
      .describe('false: the model has no price, its costs and delta are null'),
    previousCostUsd: z.number().nullable(),
    currentCostUsd: z.number().nullable(),
    deltaUsd: z.number().nullable(),
    drivers: z
      .object({
        invocations: figure(z),
        inputTokens: figure(z),
        outputTokens: figure(z),
        cacheReadTokens: figure(z),
        cacheWriteTokens: figure(z).describe(
          'cache writes at the 5-minute TTL, or of a TTL CloudWatch does not tell',
        ),
        cacheWrite1hTokens: figure(z).describe(
          'cache writes known to have the 1-hour TTL (invocation logs)',
        ),
      })
      .describe(
        'the counts behind the cost in each range: invocations tell volume, tokens per invocation and cache reads/writes tell mix',
      ),
  });

/** bedrock:explain-tenant-cost-change — why a tenant's cost changed between two ranges. */
export function registerExplainTenantCostChange(
  registry: ActionsRegistryService,
  o: BedrockActionsOptions,
) {
  registry.register({
    name: 'explain-tenant-cost-change',
    title: "Why a Bedrock tenant's cost changed",
    description:
      "Compares a tenant's (a catalog entity's) estimated Amazon Bedrock cost in two ranges, by default the last 7 days against the 7 days before: the cost of each, the change in USD and percent, the models that changed most (their costs, delta, and the invocation, input, output, cache read and cache write token counts behind it: volume or mix), new and gone models, the cost anomaly and the suggestions of the tenant's summary. Unpriced models are flagged, never counted as USD 0. The caller needs bedrock.usage.read on the entity (its owners and Bedrock admins), and only a tenant a binding confirms answers.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().min(1).describe(ENTITY_REF_HELP),
          from: z
            .string()
            .optional()
            .describe(
              'Start of the current range, ISO 8601 (default: 7 days ago)',
            ),
          to: z
            .string()
            .optional()
            .describe(
              'End of the current range, ISO 8601 (needs from; default: now)',
            ),
          previousFrom: z
            .string()
            .optional()
            .describe(
              'Start of the previous range, ISO 8601 (default: as long before from as the current range lasts)',
            ),
          previousTo: z
            .string()
            .optional()
            .describe(
              'End of the previous range, ISO 8601 (needs previousFrom; default: from). Each range covers at most 93 days; the previous one ends where the current one starts or earlier',
            ),
        }),
      output: z =>
        z.object({
          tenant: z.object({
            entityRef: z.string(),
            tenantId: z.string(),
            accountId: z.string(),
            regions: z.array(z.string()),
          }),
          previous: rangeCost(z),
          current: rangeCost(z),
          change: z.object({
            deltaUsd: z.number(),
            percent: z
              .number()
              .nullable()
              .describe('null when the previous cost is 0'),
            partial: z
              .boolean()
              .describe('some traffic of either range has no price'),
          }),
          models: z
            .array(modelChange(z))
            .describe(
              'the models whose cost changed most, whichever way; unpriced ones last',
            ),
          otherModels: z.object({
            count: z.number(),
            deltaUsd: z.number(),
          }),
          newModels: z.array(z.string()),
          goneModels: z.array(z.string()),
          anomaly: z
            .object({
              date: z.string(),
              amountUsd: z.number(),
              baselineUsd: z.number(),
              score: z.number(),
            })
            .nullable()
            .describe(
              'an anomalous day of the last 7 complete days against its trailing 14, as on the tab',
            ),
          costUnavailable: z.string().nullable(),
          suggestions: z.array(
            z.object({ kind: z.string(), message: z.string() }),
          ),
          dataUntil: z
            .string()
            .nullable()
            .describe('end of the newest collected hour'),
          assumptions: z
            .array(z.string())
            .describe('what the estimates assume and cannot tell apart'),
        }),
    },
    examples: [
      {
        title: "Why did my tenant's cost change this week?",
        input: { entityRef: 'component:default/checkout-assistant' },
      },
      {
        title: 'November against October',
        input: {
          entityRef: 'component:default/checkout-assistant',
          from: '2026-11-01T00:00:00Z',
          to: '2026-12-01T00:00:00Z',
          previousFrom: '2026-10-01T00:00:00Z',
          previousTo: '2026-11-01T00:00:00Z',
        },
      },
    ],
    action: async ({ input, credentials }) => {
      const { current, previous } = comparedRanges(
        input,
        (o.now ?? Date.now)(),
      );
      // each read decides the permission and the binding for the caller, as the summary route
      const now = await tenantSummary(
        o,
        input.entityRef,
        queryOf(current),
        credentials,
      );
      const before = await tenantSummary(
        o,
        input.entityRef,
        queryOf(previous),
        credentials,
      );
      return {
        output: { tenant: tenantOf(now), ...explainChange(now, before) },
      };
    },
  });
}
