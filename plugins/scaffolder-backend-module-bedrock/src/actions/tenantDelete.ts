import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { DELETE_INPUT, parseInput, type Target } from '../provisioning/inputs';
import { inputParser } from '../provisioning/inputSchema';
import { tenantNames } from '../provisioning/naming';
import { recordBinding } from '../bindings/record';
import { once } from './audit';
import { actionInput } from './common';
import {
  authorize,
  step,
  type LifecycleActionOptions,
} from './tenantLifecycle';
import { tenantDeleteExamples } from './tenantDelete.examples';

/**
 * bedrock:tenant:delete — removes every resource of the tenant once `confirm` equals the tenant id.
 */
export function createBedrockTenantDeleteAction(
  options: LifecycleActionOptions,
) {
  const { provisioner, config, auditor, bindings, authorizer } = options;
  return createTemplateAction({
    id: 'bedrock:tenant:delete',
    description:
      "Deletes every resource of a Bedrock tenant (found by name and checked by tag); never the shared logging resources or another tenant's. Needs confirm = the tenant id",
    examples: tenantDeleteExamples,
    supportsDryRun: true,
    schema: {
      input: actionInput(DELETE_INPUT),
      output: { deleted: z => z.array(z.string()) },
    },
    async handler(ctx) {
      const parsed = parseInput<Target & { confirm: string }>(
        inputParser(DELETE_INPUT, config),
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
