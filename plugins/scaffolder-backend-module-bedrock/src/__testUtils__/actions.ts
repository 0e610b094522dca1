/* TEST-ONLY: builds the actions over a client factory and runs them with a mock context. */
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import type { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import type { ProvisioningConfig } from '../config';
import type { BindingsClient } from '../bindings/BedrockBindingsClient';
import {
  createBedrockLoggingEnsureAction,
  createBedrockTenantAdoptAction,
  createBedrockTenantCreateAction,
  createBedrockTenantDeleteAction,
  createBedrockTenantResumeAction,
  createBedrockTenantSuspendAction,
  createBedrockTenantUpdateAction,
} from '../actions';
import {
  operatorAuthorizer,
  type TaskAuthorizer,
} from '../actions/authorization';
import { LoggingProvisioner } from '../provisioning/LoggingProvisioner';
import { TenantProvisioner } from '../provisioning/TenantProvisioner';

/** The actions; without an authorizer they run as the operator (no person is checked). */
export function buildActions(
  clients: AwsClientFactory,
  config: ProvisioningConfig,
  bindings?: BindingsClient,
  authorizer: TaskAuthorizer = operatorAuthorizer,
) {
  const tenants = TenantProvisioner.create({ clients, config });
  const logging = LoggingProvisioner.create({ clients, config });
  const o = { provisioner: tenants, config, bindings, authorizer };
  return {
    logging: createBedrockLoggingEnsureAction({
      provisioner: logging,
      config,
      authorizer,
    }),
    create: createBedrockTenantCreateAction(o),
    update: createBedrockTenantUpdateAction(o),
    suspend: createBedrockTenantSuspendAction(o),
    resume: createBedrockTenantResumeAction(o),
    delete: createBedrockTenantDeleteAction(o),
    ...(bindings
      ? { adopt: createBedrockTenantAdoptAction({ bindings }) }
      : {}),
  };
}

/**
 * Runs an action; returns its outputs. `planText` (the Markdown of what a run changed, which
 * differs between a first run and an identical re-run by design) only with `withText`.
 */
export async function run(
  action: TemplateAction<any, any, any>,
  input: Record<string, unknown>,
  options: { dryRun?: boolean; withText?: boolean } = {},
): Promise<Record<string, any>> {
  const outputs: Record<string, any> = {};
  const ctx = createMockActionContext({
    input: input as any,
    user: { ref: 'user:default/tester' },
  });
  await action.handler({
    ...ctx,
    output: (k: string, v: unknown) => {
      outputs[k] = v;
    },
    isDryRun: options.dryRun ?? false,
  } as any);
  if (!options.withText) delete outputs.planText;
  return outputs;
}
