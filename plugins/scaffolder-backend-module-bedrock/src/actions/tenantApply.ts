import type { AuditorService } from '@backstage/backend-plugin-api';
import {
  createTemplateAction,
  type TemplateExample,
} from '@backstage/plugin-scaffolder-node';
import type { ProvisioningConfig } from '../config';
import { parseTenantSpec } from '../provisioning/inputs';
import type { TenantProvisioner } from '../provisioning/TenantProvisioner';
import type { TenantPlan } from '../provisioning/tenantPlan';
import { once } from './audit';
import { json } from './common';
import { renderChanges, renderPreview } from '../provisioning/planText';
import { tenantOutputs } from './tenantSchema';
import {
  BindingsClient,
  bindingOfPlan,
  recordBinding,
} from '../bindings/record';
import { budgetEnforcementOf } from './budgetEnforcementInput';
import type { TaskAuthorizer } from './authorization';
import { checkExistingStack, checkTenantSpec } from './tenantRules';

/**
 * Options of {@link createBedrockTenantCreateAction} and {@link createBedrockTenantUpdateAction}.
 */
export interface TenantActionOptions {
  provisioner: TenantProvisioner;
  config: ProvisioningConfig;
  auditor?: AuditorService;
  /** records the tenant's binding in the bedrock backend; without it, none is recorded */
  bindings?: BindingsClient;
  /** who may change the tenant: decided for the task's initiator before any AWS call */
  authorizer: TaskAuthorizer;
}

/** bedrock:tenant:create and bedrock:tenant:update: one handler, converging a tenant's stack. */
export function tenantApplyAction(
  mode: 'create' | 'update',
  options: TenantActionOptions,
  examples: TemplateExample[],
) {
  const { provisioner, config, auditor, bindings, authorizer } = options;
  const id = `bedrock:tenant:${mode}`;
  return createTemplateAction({
    id,
    description:
      mode === 'create'
        ? 'Creates (or converges) an Amazon Bedrock tenant: IAM role, application inference profiles, dashboard, SNS topic, alarms and a monthly budget'
        : 'Converges an existing Amazon Bedrock tenant to new models, thresholds, budget and subscribers, adding and removing what differs',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        tenantId: z =>
          z.string({
            description:
              'Tenant id: 3-32 lower-case letters, digits and dashes, e.g. checkout-assistant',
          }),
        accountId: z =>
          z.string({
            description:
              'AWS account id (12 digits), one of bedrock.provisioning.accounts',
          }),
        region: z =>
          z
            .string({
              description:
                'AWS region, one of bedrock.provisioning.regions (a tenant in one region; or give regions)',
            })
            .optional(),
        regions: z =>
          z
            .array(z.string(), {
              description:
                'Several regions from bedrock.provisioning.regions, the first one first: profiles, topic, alarms and guardrail in each, one role, dashboard and budget',
            })
            .optional(),
        owner: z =>
          z.string({
            description: 'Owner entity ref, written to the owner tag',
          }),
        entityRef: z =>
          z
            .string({
              description:
                'The catalog entity the tenant is bound to (its usage is shown there only); default component:default/<tenantId>',
            })
            .optional(),
        models: z =>
          z.array(z.string(), {
            description: 'Model ids from bedrock.provisioning.models (1-4)',
          }),
        monthlyBudgetUsd: z =>
          z
            .number({
              description:
                'Monthly AWS Budget in USD; default bedrock.provisioning.monthlyBudgetUsd',
            })
            .optional(),
        thresholds: z =>
          z
            .object(
              {
                tokensPerHour: z.number().optional(),
                errorsPer5Minutes: z.number().optional(),
                invocationsPerHour: z.number().optional(),
                latencyMs: z.number().optional(),
                throttlesPer5Minutes: z.number().optional(),
                ttftMs: z
                  .number({
                    description:
                      'Average time to first token (ms, 1-600000) over which the optional ttft alarm fires; no alarm when unset',
                  })
                  .optional(),
              },
              {
                description:
                  'Alarm thresholds; each but ttftMs defaults to bedrock.provisioning.thresholds',
              },
            )
            .optional(),
        notificationEmails: z =>
          z.array(z.string(), {
            description:
              'E-mail addresses subscribed to the alarm and budget topic (1-10)',
          }),
        trustPrincipals: z =>
          z
            .array(z.string(), {
              description:
                'Principals allowed to assume the tenant role; default bedrock.provisioning.trustPrincipals',
            })
            .optional(),
        attribution: z =>
          z
            .enum(['inference-profile', 'account', 'identity'], {
              description:
                "inference-profile (default): a profile per model in a shared account. account: the tenant owns its account and region (no profiles, alarms on the account's AWS/Bedrock metrics, a budget on the linked account). identity: told apart by caller in the invocation logs",
            })
            .optional(),
        principalArns: z =>
          z
            .array(z.string(), {
              description:
                "identity attribution: the IAM role/user ARNs (in the tenant account) whose invocations are the tenant's; default the tenant role",
            })
            .optional(),
        allowedServiceTiers: z =>
          z
            .array(z.enum(['priority', 'flex']), {
              description:
                'Service tiers the tenant role may ask for besides Standard (always allowed): priority (premium price), flex (discounted, slower). Default both; [] allows Standard only',
            })
            .optional(),
        guardrail: z =>
          z
            .object(
              {
                enabled: z.boolean().optional(),
                enforce: z.boolean().optional(),
                contentFilters: z.record(z.any()).optional(),
                deniedTopics: z.array(z.any()).optional(),
                piiEntities: z.array(z.any()).optional(),
                blockedInputMessage: z.string().optional(),
                blockedOutputMessage: z.string().optional(),
              },
              {
                description:
                  'A Bedrock guardrail for the tenant from bedrock.provisioning.guardrail: filters may be raised (NONE < LOW < MEDIUM < HIGH), topics and PII entities added, ANONYMIZE raised to BLOCK, never lowered. enforce: the tenant role may invoke only with it',
              },
            )
            .optional(),
        suspendAtBudget: z =>
          z
            .boolean({
              description:
                'Suspend the tenant (Deny policy, alarm actions off) when its spend reaches 100% of its monthly budget; recorded in its binding and as a tag on its role. Create: default false; update: default unchanged',
            })
            .optional(),
        budgetBasis: z =>
          z
            .enum(['actual', 'estimate'], {
              description:
                "What reaches 100%: the actual spend its AWS Budget reports (default; lags by hours), or the suite's estimate from token counts",
            })
            .optional(),
        autoResume: z =>
          z
            .boolean({
              description:
                'Resume a tenant that budget enforcement suspended when the next budget period (month) starts; default false. A tenant a person suspended is never resumed automatically',
            })
            .optional(),
      },
      output: {
        budgetEnforcement: z =>
          z
            .object({
              action: z.literal('suspend'),
              basis: z.enum(['actual', 'estimate']),
              autoResume: z.boolean(),
            })
            .nullable()
            .optional(),
        roleName: z => z.string(),
        roleArn: z => z.string(),
        inferenceProfiles: z =>
          z.array(
            z.object({
              modelId: z.string(),
              name: z.string(),
              profileId: z.string(),
              profileArn: z.string(),
            }),
          ),
        topicArn: z => z.string(),
        alarmNames: z => z.array(z.string()),
        dashboardName: z => z.string(),
        budgetName: z => z.string(),
        guardrail: z =>
          z
            .object({
              guardrailId: z.string(),
              guardrailArn: z.string(),
              version: z.string(),
              enforced: z.boolean(),
            })
            .nullable(),
        annotations: z =>
          z.record(z.string(), {
            description: 'The catalog annotations the tenant entity needs',
          }),
        plan: z =>
          z.record(z.any(), {
            description:
              'Every resource name and policy document of the tenant',
          }),
        preview: z =>
          z
            .object(
              {
                create: z.array(z.any()),
                update: z.array(z.any()),
                delete: z.array(z.any()),
                unchanged: z.array(z.any()),
                note: z.string().optional(),
              },
              {
                description:
                  'Dry run only: every resource to create, change (with its diff against AWS), delete or leave, with documents and thresholds',
              },
            )
            .optional(),
        planText: z =>
          z.string({
            description:
              'Markdown: the preview (dry run) or the changes made, for a template output',
          }),
      },
    },
    async handler(ctx) {
      // validated before any AWS call: a bad field is an InputError naming it
      const { suspendAtBudget, budgetBasis, autoResume, ...specInput } =
        ctx.input as Record<string, unknown>;
      const spec = parseTenantSpec(config, specInput);
      const budgetEnforcement = budgetEnforcementOf(
        { suspendAtBudget, budgetBasis, autoResume },
        mode,
      );
      // the initiator may make this change: asked before any AWS change, dry runs included
      const decision = await authorizer.change(ctx, spec.tenantId, {
        change: mode,
        accountId: spec.accountId,
        regions: spec.regions,
        entityRef: spec.entityRef,
        owner: spec.owner,
        attribution: spec.attribution,
      });
      checkTenantSpec(spec, decision);
      // a tenant whose AWS resources exist without a binding is someone's
      if (!decision.bound && !decision.admin)
        checkExistingStack(spec, await provisioner.roleTags(spec));
      let plan: TenantPlan;
      let planText: string;
      if (ctx.isDryRun) {
        // reads only: the plan compared with what AWS has now; nothing is changed
        const previewed = await provisioner.preview(spec, {
          mustExist: mode === 'update',
        });
        plan = previewed.plan;
        planText = renderPreview(plan, previewed.preview);
        ctx.output('preview', json(previewed.preview));
        ctx.logger.info(`Dry run of ${id}: read-only AWS calls, no change`, {
          tenantId: spec.tenantId,
          create: previewed.preview.create.length,
          update: previewed.preview.update.length,
          delete: previewed.preview.delete.length,
        });
      } else {
        const done = await once(
          ctx,
          auditor,
          {
            action: id,
            input: spec,
            meta: {
              tenantId: spec.tenantId,
              accountId: spec.accountId,
              region: spec.region,
              regions: spec.regions,
            },
          },
          async () => {
            const result = await provisioner.apply(spec, {
              mustExist: mode === 'update',
            });
            if (budgetEnforcement !== undefined)
              result.changes.push(
                ...(await provisioner.setBudgetEnforcement(
                  spec,
                  budgetEnforcement,
                )),
              );
            return result;
          },
          result => result,
        );
        // a checkpoint of an earlier release kept the plan alone
        const kept = done as Partial<typeof done> & Partial<TenantPlan>;
        plan = kept.plan ?? (kept as TenantPlan);
        planText = renderChanges(plan, kept.changes ?? []);
        if (bindings) {
          const onBehalfOf = await ctx.getInitiatorCredentials();
          await recordBinding('recording its binding', spec.tenantId, () =>
            bindings.put(
              spec.tenantId,
              bindingOfPlan(plan, spec, budgetEnforcement),
              { onBehalfOf },
            ),
          );
        }
      }
      ctx.output('planText', planText);
      if (budgetEnforcement !== undefined)
        ctx.output('budgetEnforcement', budgetEnforcement);
      const out = tenantOutputs(plan);
      for (const [k, v] of Object.entries(out))
        ctx.output(k as keyof typeof out, v as any);
    },
  });
}
