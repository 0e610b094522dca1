import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  parseInput,
  Target,
  TARGET_INPUT,
  targetSchema,
} from '../provisioning/inputs';
import { tenantNames } from '../provisioning/naming';
import { SUSPEND_POLICY } from '../provisioning/resources/suspension';
import { once } from './audit';
import { actionInput, json } from './common';
import {
  authorize,
  step,
  type LifecycleActionOptions,
} from './tenantLifecycle';
import { adminSuspender } from './tenantRules';
import { tenantSuspendExamples } from './tenantSuspend.examples';

/**
 * bedrock:tenant:suspend — explicit Deny on the tenant role, alarm actions off, both recorded on the role.
 */
export function createBedrockTenantSuspendAction(
  options: LifecycleActionOptions,
) {
  const { provisioner, config, auditor, authorizer } = options;
  return createTemplateAction({
    id: 'bedrock:tenant:suspend',
    description:
      'Suspends a Bedrock tenant: an explicit Deny policy on its role blocks every invocation and its alarm actions are turned off; the role records what was changed so resume restores exactly that',
    examples: tenantSuspendExamples,
    supportsDryRun: true,
    schema: {
      input: actionInput(TARGET_INPUT),
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
