import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  parseInput,
  Target,
  TARGET_INPUT,
  targetSchema,
} from '../provisioning/inputs';
import { tenantNames } from '../provisioning/naming';
import { once } from './audit';
import { actionInput } from './common';
import {
  authorize,
  step,
  type LifecycleActionOptions,
} from './tenantLifecycle';
import { checkResume } from './tenantRules';
import { tenantResumeExamples } from './tenantResume.examples';

/**
 * bedrock:tenant:resume — undoes exactly what suspend recorded.
 */
export function createBedrockTenantResumeAction(
  options: LifecycleActionOptions,
) {
  const { provisioner, config, auditor, authorizer } = options;
  return createTemplateAction({
    id: 'bedrock:tenant:resume',
    description:
      'Resumes a suspended Bedrock tenant: removes the Deny policy and turns back on exactly the alarm actions suspend turned off',
    examples: tenantResumeExamples,
    supportsDryRun: true,
    schema: {
      input: actionInput(TARGET_INPUT),
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
