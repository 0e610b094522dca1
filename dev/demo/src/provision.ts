/*
 * The demo's AWS stacks are made by the suite's own scaffolder actions, as a team's template run
 * would make them: bedrock:logging:ensure for the account with invocation logging, and
 * bedrock:tenant:create for every demo tenant. Only what AWS itself would produce (traffic,
 * alarm states, the budget's spend) is added by the seed afterwards.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import {
  createBedrockActions,
  type TenantPlan,
} from '@bedrock-tenancy/plugin-scaffolder-backend-module-bedrock';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { DEMO_ACCOUNTS } from '@bedrock-tenancy/aws-emulator';
import { DEMO_LOGGING, DEMO_REGIONS, DEMO_TENANTS } from './tenants';
import type { DemoTenant } from './tenants';

/** The demo's bedrock.provisioning settings: every model a demo tenant uses is allowed. */
export function demoProvisioningConfig() {
  const models = [
    ...new Set(DEMO_TENANTS.flatMap(t => t.models.map(m => m.modelId))),
  ];
  return new ConfigReader({
    bedrock: {
      provisioning: {
        accounts: Object.values(DEMO_ACCOUNTS),
        regions: [...DEMO_REGIONS],
        models: models.map(id => ({
          id,
          copyFrom: `arn:aws:bedrock:{region}::foundation-model/${id}`,
        })),
        trustPrincipals: [`arn:aws:iam::${DEMO_ACCOUNTS.platform}:root`],
      },
    },
  });
}

const quietLogger = (log: (m: string) => void): LoggerService => {
  const logger: LoggerService = {
    info: m => log(m),
    warn: m => log(m),
    error: m => log(m),
    debug: () => {},
    child: () => logger,
  };
  return logger;
};

/** Runs one action's handler outside a scaffolder task, as a task step would, and returns its outputs. */
async function runAction(
  action: TemplateAction<any, any, any>,
  input: JsonObject,
  log: (m: string) => void,
): Promise<Record<string, any>> {
  const outputs: Record<string, any> = {};
  const workspacePath = await mkdtemp(join(tmpdir(), 'bedrock-demo-'));
  const credentials = {
    $$type: '@backstage/BackstageCredentials',
    principal: { type: 'service', subject: 'bedrock-demo-seed' },
  } as BackstageCredentials;
  await action.handler({
    input,
    logger: quietLogger(log),
    workspacePath,
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
    checkpoint: async opts => opts.fn(),
    createTemporaryDirectory: () => mkdtemp(join(tmpdir(), 'bedrock-demo-')),
    getInitiatorCredentials: async () => credentials,
    task: { id: 'bedrock-demo-seed' },
    user: { ref: 'user:default/bedrock-demo-seed' },
  });
  return outputs;
}

export interface DemoStacks {
  /** the create action's plan per tenant id */
  plans: Map<string, TenantPlan>;
}

/**
 * Creates the invocation logging of the demo's logging account and region, then every demo
 * tenant's stack, through the actions. Throws if a created inference profile's id is not the
 * one the demo data set reports traffic under.
 */
export async function provisionDemoStacks(options: {
  endpoint: string;
  bedrockEndpoint: string;
  credentials: (accountId: string) => AwsCredentialIdentity;
  anchor: Date;
  budgetLimitUsd: (tenant: DemoTenant) => number;
  log: (m: string) => void;
}): Promise<DemoStacks> {
  const clients = AwsClientFactory.create({
    credentials: async accountId => async () => options.credentials(accountId),
    endpoint: options.endpoint,
    bedrockEndpoint: options.bedrockEndpoint,
    maxAttempts: 2,
  });
  const actions = new Map(
    createBedrockActions({
      config: demoProvisioningConfig(),
      clients,
      retry: { attempts: 2, delayMs: 200 },
    }).map(a => [a.id, a]),
  );
  const quiet = () => {};
  await runAction(
    actions.get('bedrock:logging:ensure')!,
    { accountId: DEMO_LOGGING.accountId, region: DEMO_LOGGING.region },
    quiet,
  );
  options.log(
    `bedrock:logging:ensure made the invocation logging of ${DEMO_LOGGING.accountId} ${DEMO_LOGGING.region}`,
  );
  const create = actions.get('bedrock:tenant:create')!;
  const plans = new Map<string, TenantPlan>();
  for (const tenant of DEMO_TENANTS) {
    const out = await runAction(
      create,
      {
        tenantId: tenant.tenantId,
        accountId: tenant.accountId,
        region: tenant.region,
        owner: `group:default/${tenant.ownerGroup}`,
        models: tenant.models.map(m => m.modelId),
        // each tenant in its own mode: the backend binds it from the tags the action writes
        attribution: tenant.attribution,
        ...(tenant.principalArn
          ? { principalArns: [tenant.principalArn] }
          : {}),
        monthlyBudgetUsd: options.budgetLimitUsd(tenant),
        notificationEmails: [`${tenant.ownerGroup}@example.com`],
        ...(tenant.budgetEnforcement && {
          suspendAtBudget: true,
          budgetBasis: tenant.budgetEnforcement.basis,
          autoResume: tenant.budgetEnforcement.autoResume,
        }),
      },
      quiet,
    );
    const plan = out.plan as TenantPlan;
    for (const model of tenant.models) {
      const made = plan.profiles.find(p => p.modelId === model.modelId);
      if (model.profileId && made?.id !== model.profileId) {
        throw new Error(
          `Demo tenant ${tenant.tenantId}: the profile for ${model.modelId} got id ${made?.id}, the demo data expects ${model.profileId}`,
        );
      }
    }
    plans.set(tenant.tenantId, plan);
    options.log(`bedrock:tenant:create made the stack of ${tenant.tenantId}`);
  }
  return { plans };
}
