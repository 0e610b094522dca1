import type { AuditorService } from '@backstage/backend-plugin-api';
import {
  createTemplateAction,
  type TemplateActionOptions,
} from '@backstage/plugin-scaffolder-node';
import { InputError } from '@backstage/errors';
import { z as zod } from 'zod';
import type { ProvisioningConfig } from '../config';
import { parseInput, Target, targetSchema } from '../provisioning/inputs';
import { tenantNames } from '../provisioning/naming';
import { SUSPEND_POLICY } from '../provisioning/resources/suspension';
import type { TenantProvisioner } from '../provisioning/TenantProvisioner';
import { once } from './audit';
import { BindingsClient, recordBinding } from '../bindings/record';
import { json } from './common';
import type { InitiatorContext, TaskAuthorizer } from './authorization';
import { adminSuspender, checkResume } from './tenantRules';
import {
  deleteExamples,
  resumeExamples,
  suspendExamples,
} from './tenantLifecycle.examples';

export interface LifecycleActionOptions {
  provisioner: TenantProvisioner;
  config: ProvisioningConfig;
  auditor?: AuditorService;
  /** removes a deleted tenant's binding in the bedrock backend */
  bindings?: BindingsClient;
  /** who may change the tenant: decided for the task's initiator before any AWS call */
  authorizer: TaskAuthorizer;
}

/** The initiator may make this change to the tenant's stack in `target`'s account-region. */
const authorize = (
  authorizer: TaskAuthorizer,
  ctx: InitiatorContext,
  change: 'suspend' | 'resume' | 'delete',
  target: Target,
) =>
  authorizer.change(ctx, target.tenantId, {
    change,
    accountId: target.accountId,
    regions: [target.region],
  });

/** The zod the scaffolder hands to schema functions (its own copy, not this package's `zod`). */
type SchemaZod = Parameters<
  Required<NonNullable<TemplateActionOptions['schema']>>['input'][string]
>[0];

/** The input every lifecycle action shares: which tenant, where. */
const TARGET_INPUT = {
  tenantId: (z: SchemaZod) => z.string({ description: 'Tenant id' }),
  accountId: (z: SchemaZod) =>
    z.string({ description: 'AWS account id of the tenant' }),
  region: (z: SchemaZod) =>
    z.string({ description: 'AWS region of the tenant' }),
};

/** The audit record of a lifecycle operation: which tenant, where. */
const step = (action: string, target: Target) => ({
  action: `bedrock:tenant:${action}`,
  input: target,
  meta: {
    tenantId: target.tenantId,
    accountId: target.accountId,
    region: target.region,
  },
});

/** bedrock:tenant:suspend — explicit Deny on the tenant role, alarm actions off, both recorded on the role. */
export function createBedrockTenantSuspendAction(
  options: LifecycleActionOptions,
) {
  const { provisioner, config, auditor, authorizer } = options;
  return createTemplateAction({
    id: 'bedrock:tenant:suspend',
    description:
      'Suspends a Bedrock tenant: an explicit Deny policy on its role blocks every invocation and its alarm actions are turned off; the role records what was changed so resume restores exactly that',
    examples: suspendExamples,
    supportsDryRun: true,
    schema: {
      input: {
        ...TARGET_INPUT,
      },
      output: {
        roleName: z => z.string(),
        alarmsDisabled: z => z.array(z.string()),
        denyPolicy: z => z.record(z.any()),
      },
    },
    async handler(ctx) {
      const target = parseInput<Target>(targetSchema(config), ctx.input);
      const decision = await authorize(authorizer, ctx, 'suspend', target);
      const names = tenantNames(target.tenantId);
      ctx.output('roleName', names.roleName);
      ctx.output('denyPolicy', json(SUSPEND_POLICY) as any);
      if (ctx.isDryRun) {
        ctx.output('alarmsDisabled', []);
        ctx.logger.info(
          `Dry run: would put ${names.suspendPolicyName} on ${
            names.roleName
          } and disable the actions of its alarms ${names.alarmNames.join(
            ', ',
          )}`,
        );
        return;
      }
      // who suspended it, on the role: budget enforcement never resumes a tenant a person
      // suspended, and only an admin resumes what an admin suspended
      const user = ctx.user?.ref ?? 'scaffolder';
      const by =
        decision.admin && !authorizer.operator ? adminSuspender(user) : user;
      const result = await once(
        ctx,
        auditor,
        {
          ...step('suspend', target),
          meta: { ...step('suspend', target).meta, suspendedBy: by },
        },
        () => provisioner.suspend(target, { by }),
      );
      ctx.output('alarmsDisabled', result.alarmsDisabled);
    },
  });
}

/** bedrock:tenant:resume — undoes exactly what suspend recorded. */
export function createBedrockTenantResumeAction(
  options: LifecycleActionOptions,
) {
  const { provisioner, config, auditor, authorizer } = options;
  return createTemplateAction({
    id: 'bedrock:tenant:resume',
    description:
      'Resumes a suspended Bedrock tenant: removes the Deny policy and turns back on exactly the alarm actions suspend turned off',
    examples: resumeExamples,
    supportsDryRun: true,
    schema: {
      input: {
        ...TARGET_INPUT,
      },
      output: {
        roleName: z => z.string(),
        alarmsEnabled: z => z.array(z.string()),
      },
    },
    async handler(ctx) {
      const target = parseInput<Target>(targetSchema(config), ctx.input);
      const decision = await authorize(authorizer, ctx, 'resume', target);
      checkResume(
        target.tenantId,
        decision,
        decision.admin ? undefined : await provisioner.roleTags(target),
      );
      const names = tenantNames(target.tenantId);
      ctx.output('roleName', names.roleName);
      if (ctx.isDryRun) {
        ctx.output('alarmsEnabled', []);
        ctx.logger.info(
          `Dry run: would remove ${names.suspendPolicyName} from ${names.roleName} and re-enable the recorded alarm actions`,
        );
        return;
      }
      const result = await once(ctx, auditor, step('resume', target), () =>
        provisioner.resume(target),
      );
      ctx.output('alarmsEnabled', result.alarmsEnabled);
    },
  });
}

/** bedrock:tenant:delete — removes every resource of the tenant once `confirm` equals the tenant id. */
export function createBedrockTenantDeleteAction(
  options: LifecycleActionOptions,
) {
  const { provisioner, config, auditor, bindings, authorizer } = options;
  return createTemplateAction({
    id: 'bedrock:tenant:delete',
    description:
      "Deletes every resource of a Bedrock tenant (found by name and checked by tag); never the shared logging resources or another tenant's. Needs confirm = the tenant id",
    examples: deleteExamples,
    supportsDryRun: true,
    schema: {
      input: {
        ...TARGET_INPUT,
        confirm: z => z.string({ description: 'Must equal the tenant id' }),
      },
      output: { deleted: z => z.array(z.string()) },
    },
    async handler(ctx) {
      const parsed = parseInput<Target & { confirm: string }>(
        targetSchema(config).extend({
          confirm: zod.string(),
        }),
        ctx.input,
      );
      if (parsed.confirm !== parsed.tenantId) {
        // checked before any AWS call
        throw new InputError(
          `Invalid input: confirm: type the tenant id "${parsed.tenantId}" to confirm the deletion`,
        );
      }
      await authorize(authorizer, ctx, 'delete', parsed);
      const names = tenantNames(parsed.tenantId);
      if (ctx.isDryRun) {
        ctx.output('deleted', [
          `role ${names.roleName}`,
          `inference profiles tagged for ${parsed.tenantId}`,
          `topic ${names.topicName}`,
          `alarms ${names.alarmNames.join(', ')} tagged for ${parsed.tenantId}`,
          `dashboard ${names.dashboardName}`,
          `budget ${names.budgetName}`,
        ]);
        return;
      }
      const result = await once(ctx, auditor, step('delete', parsed), () =>
        provisioner.delete(parsed),
      );
      if (bindings) {
        const onBehalfOf = await ctx.getInitiatorCredentials();
        await recordBinding(
          'removing its binding',
          parsed.tenantId,
          async () => {
            const { kept } = await bindings.remove(
              parsed.tenantId,
              { accountId: parsed.accountId, region: parsed.region },
              { onBehalfOf },
            );
            if (kept) ctx.logger.warn(`Deleted the stack; ${kept}`);
          },
        );
      }
      ctx.output('deleted', result.deleted);
    },
  });
}
