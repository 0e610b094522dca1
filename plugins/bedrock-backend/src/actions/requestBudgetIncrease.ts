import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  bedrockBudgetIncreaseRequestPermission,
  bedrockUsageReadPermission,
  budgetIncreaseRequestSchema,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { InputError } from '@backstage/errors';
import type { TenantChangeAuthorizer } from '../bindings/TenantChangeAuthorizer';
import type { BudgetIncreaseService } from '../increases/BudgetIncreaseService';
import { permittedTenant } from '../service/entityAccess';
import { actorOf, audited } from './audit';
import { ENTITY_REF_HELP, personOf, tenantRef } from './inputs';
import type { BedrockActionsOptions } from './types';

/**
 * bedrock:request-budget-increase — a tenant's owners (or a Bedrock admin) ask for more budget
 * until a day. The same checks and workflow as the tab's request: a dry run (the default) answers
 * the limit an approval would set and records nothing; a request is recorded pending, the Bedrock
 * admins are notified, and only they approve it (on the tab). Every call is audited with the
 * person as actor.
 */
export function registerRequestBudgetIncrease(
  registry: ActionsRegistryService,
  o: BedrockActionsOptions & {
    increases: BudgetIncreaseService;
    changes: TenantChangeAuthorizer;
  },
) {
  registry.register({
    name: 'request-budget-increase',
    title: 'Request a temporary budget increase for a Bedrock tenant',
    description:
      "Asks the Bedrock admins for a temporary increase of a tenant's monthly AWS Budget: amountUsd more until endsOn (the last day, UTC), for a reason. Only the tenant's owners and Bedrock admins may ask (bedrock.tenant.manage on the entity); one request at a time per tenant. Nothing changes until an admin approves it on the tenant's Bedrock tab; after its last day the budget goes back by itself. dryRun (the default) checks the request and answers the limit an approval would set, recording nothing; dryRun false records it and notifies the admins. Every call, dry runs included, is audited with the person as actor.",
    attributes: { readOnly: false, idempotent: false, destructive: true },
    visibilityPermission: bedrockBudgetIncreaseRequestPermission,
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().min(1).describe(ENTITY_REF_HELP),
          amountUsd: z
            .number()
            .describe('USD added to the monthly budget, whole cents'),
          endsOn: z
            .string()
            .describe('the last day the increase applies, YYYY-MM-DD (UTC)'),
          reason: z.string().describe('why the tenant needs it (for admins)'),
          dryRun: z
            .boolean()
            .default(true)
            .describe(
              'true (the default): only check and preview. false: record the request',
            ),
        }),
      output: z =>
        z.object({
          dryRun: z.boolean(),
          tenantId: z.string(),
          entityRef: z.string(),
          amountUsd: z.number(),
          endsOn: z.string(),
          limitNowUsd: z
            .number()
            .describe("the tenant's AWS Budget limit now, USD"),
          limitDuringUsd: z
            .number()
            .describe('the limit while the increase applies, once approved'),
          increaseId: z
            .string()
            .nullable()
            .describe('the recorded request; null for a dry run'),
          status: z.enum(['preview', 'pending']),
        }),
    },
    examples: [
      {
        title: 'Preview: 200 USD more until the end of the month',
        input: {
          entityRef: 'component:default/checkout-assistant',
          amountUsd: 200,
          endsOn: '2026-12-31',
          reason: 'launch week load test',
          dryRun: true,
        },
      },
    ],
    action: async ({ input, credentials }) => {
      const { dryRun, entityRef, ...fields } = input;
      const parsed = budgetIncreaseRequestSchema.safeParse(fields);
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw new InputError(`${i.path.join('.')}: ${i.message}`);
      }
      const body = parsed.data;
      const person = personOf(credentials);
      const tenant = await permittedTenant({
        ref: tenantRef(entityRef),
        permission: bedrockUsageReadPermission,
        credentials,
        permissions: o.permissions,
        entities: o.entities,
        bindings: o.bindings,
        catalog: o.catalog,
      });
      // the one rule of every change: the tenant's owners or a Bedrock admin, for this person
      await o.changes.authorize(credentials, tenant.tenantId, {
        change: 'increase-budget',
        entityRef: tenant.entityRef,
      });
      const answer = (
        limits: { limitNowUsd: number; limitDuringUsd: number },
        increaseId: string | null,
      ) => ({
        dryRun,
        tenantId: tenant.tenantId,
        entityRef: tenant.entityRef,
        amountUsd: body.amountUsd,
        endsOn: body.endsOn,
        ...limits,
        increaseId,
        status: increaseId ? ('pending' as const) : ('preview' as const),
      });
      if (dryRun) {
        return {
          output: await audited(
            o.auditor,
            {
              eventId: 'budget-increase',
              severityLevel: 'low',
              credentials,
              meta: { step: 'request-preview', tenantId: tenant.tenantId },
            },
            async () => ({
              result: answer(await o.increases.check(tenant, body), null),
            }),
          ),
        };
      }
      const limits = await o.increases.check(tenant, body);
      const created = await o.increases.request(tenant, body, {
        person,
        via: actorOf(credentials).via as string | null,
      });
      return { output: answer(limits, created.id) };
    },
  });
}
