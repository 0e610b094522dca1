import type { AuditorService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { ProvisioningConfig } from '../config';
import { LOGGING_INPUT, parseLoggingSpec } from '../provisioning/loggingInput';
import type { LoggingProvisioner } from '../provisioning/LoggingProvisioner';
import type { LoggingPlan } from '../provisioning/loggingPlan';
import { once } from './audit';
import { actionInput, json } from './common';
import type { TaskAuthorizer } from './authorization';
import { loggingEnsureExamples } from './loggingEnsure.examples';

/**
 * Options of {@link createBedrockLoggingEnsureAction}.
 */
export interface LoggingActionOptions {
  provisioner: LoggingProvisioner;
  config: ProvisioningConfig;
  auditor?: AuditorService;
  /** logging is an account-wide setting: only a Bedrock admin changes it */
  authorizer: TaskAuthorizer;
}

/**
 * bedrock:logging:ensure — the account + region's model invocation logging and its destinations.
 */
export function createBedrockLoggingEnsureAction(
  options: LoggingActionOptions,
) {
  const { provisioner, config, auditor, authorizer } = options;
  return createTemplateAction({
    id: 'bedrock:logging:ensure',
    description:
      'Ensures Amazon Bedrock model invocation logging of one account + region: log group with retention, encrypted versioned private S3 bucket with lifecycle and delivery policy, delivery role, and the logging configuration. Refuses to replace a configuration this suite did not create unless takeover is true',
    examples: loggingEnsureExamples,
    supportsDryRun: true,
    schema: {
      input: actionInput(LOGGING_INPUT),
      output: {
        logGroupName: z => z.string(),
        logGroupArn: z => z.string(),
        bucketName: z => z.string(),
        bucketArn: z => z.string(),
        roleName: z => z.string(),
        roleArn: z => z.string(),
        plan: z => z.record(z.any()),
      },
    },
    async handler(ctx) {
      const spec = parseLoggingSpec(config, ctx.input);
      // one logging configuration per account-region, shared by every tenant in it
      await authorizer.requireAdmin(
        ctx,
        `Invocation logging of ${spec.accountId}/${spec.region} (shared by every tenant there)`,
      );
      let plan: LoggingPlan;
      if (ctx.isDryRun) {
        plan = provisioner.plan(spec);
      } else {
        plan = await once(
          ctx,
          auditor,
          {
            action: 'bedrock:logging:ensure',
            input: spec,
            meta: {
              accountId: spec.accountId,
              region: spec.region,
              takeover: spec.takeover,
            },
          },
          () => provisioner.apply(spec),
          result => result.plan,
        );
      }
      ctx.output('logGroupName', plan.logGroup.name);
      ctx.output('logGroupArn', plan.logGroup.arn);
      ctx.output('bucketName', plan.bucket.name);
      ctx.output('bucketArn', plan.bucket.arn);
      ctx.output('roleName', plan.role.name);
      ctx.output('roleArn', plan.role.arn);
      ctx.output('plan', json(plan) as any);
    },
  });
}
