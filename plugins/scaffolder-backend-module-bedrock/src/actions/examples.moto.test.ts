/**
 * Every example the actions publish (the template editor's "Examples" tab) runs, in the order a
 * platform team would use them: logging, create, update, suspend, resume, delete. Each example's
 * step is parsed from its YAML, names its own action, runs first as a dry run (no AWS change)
 * and then for real against moto and the inference-profile stand-in. An example that drifts
 * from its action's input schema or from what the action can do fails here.
 */
import {
  BudgetsClient,
  UpdateBudgetCommand,
  type UpdateBudgetCommandInput,
} from '@aws-sdk/client-budgets';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { parse as fromYaml } from 'yaml';
import { buildActions, run } from '../__testUtils__/actions';
import type { BindingsClient } from '../bindings/BedrockBindingsClient';
import { createBedrockTenantAdoptAction } from './tenantAdopt';
import { ConfigReader } from '@backstage/config';
import { readProvisioningConfig } from '../config';
import {
  ACCOUNT,
  startTestEnv,
  TEST_CONFIG,
  TestEnv,
} from '../__testUtils__/testEnv';

jest.setTimeout(600_000);

let env: TestEnv;
let actions: ReturnType<typeof buildActions>;

beforeAll(async () => {
  env = await startTestEnv();
  // the operator configuration the examples assume: the test one, and the support-bot example's
  // runtime role among the principals allowed to assume tenant roles
  const p = TEST_CONFIG.bedrock.provisioning;
  const config = readProvisioningConfig(
    new ConfigReader({
      bedrock: {
        provisioning: {
          ...p,
          trustPrincipals: [
            ...p.trustPrincipals,
            `arn:aws:iam::${ACCOUNT}:role/support-bot-runtime`,
          ],
        },
      },
    }),
  );
  actions = buildActions(env.factory(), config);
});
afterAll(async () => {
  await env?.stop();
});

/** The one step of an example, checked to name the action that publishes it. */
function stepsOf(action: TemplateAction<any, any, any>) {
  expect(action.examples?.length).toBeGreaterThan(0);
  return action.examples!.map(e => {
    const { steps } = fromYaml(e.example) as {
      steps: Array<{ action: string; input: Record<string, unknown> }>;
    };
    expect(steps).toHaveLength(1);
    expect(steps[0].action).toBe(action.id);
    return { description: e.description, input: steps[0].input };
  });
}

/**
 * moto has no UpdateBudget (reference/aws-emulator.md): the update example's new limit is
 * answered here and recorded; every other Budgets call goes to moto.
 */
const budgetUpdates: UpdateBudgetCommandInput[] = [];
const send = BudgetsClient.prototype.send;
beforeEach(() => {
  jest
    .spyOn(BudgetsClient.prototype, 'send')
    .mockImplementation(function answer(this: BudgetsClient, command: any) {
      if (command instanceof UpdateBudgetCommand) {
        budgetUpdates.push(command.input);
        return Promise.resolve({ $metadata: {} });
      }
      return (send as any).apply(this, arguments);
    });
});

const mutatingCalls = () => env.calls.filter(c => c.mutating).length;

/** Dry run (nothing changes in AWS), then the real run; the real run's outputs. */
async function runExample(
  action: TemplateAction<any, any, any>,
  input: Record<string, unknown>,
) {
  const before = mutatingCalls();
  await run(action, input, { dryRun: true });
  expect(mutatingCalls()).toBe(before);
  return run(action, input);
}

describe('the published examples of the bedrock actions', () => {
  it('run in order on the emulator: logging, create, update, suspend, resume, delete', async () => {
    for (const { input } of stepsOf(actions.logging)) {
      const out = await runExample(actions.logging, input);
      expect(out.logGroupName).toEqual(expect.any(String));
    }

    const created: string[] = [];
    for (const { input } of stepsOf(actions.create)) {
      const out = await runExample(actions.create, input);
      expect(out.roleArn).toContain(`:role/`);
      created.push(String(input.tenantId));
    }
    // the update, lifecycle and delete examples act on a tenant the create examples made
    for (const { input } of stepsOf(actions.update)) {
      expect(created).toContain(input.tenantId);
      await runExample(actions.update, input);
    }
    // the update example raises the budget: one UpdateBudget, with the example's limit
    expect(
      budgetUpdates.map(u => [
        u.NewBudget?.BudgetName,
        u.NewBudget?.BudgetLimit,
      ]),
    ).toEqual([['bedrock-checkout-assistant', { Amount: '800', Unit: 'USD' }]]);
    for (const a of [actions.suspend, actions.resume]) {
      for (const { input } of stepsOf(a)) {
        expect(created).toContain(input.tenantId);
        await runExample(a, input);
      }
    }
    for (const { input } of stepsOf(actions.delete)) {
      expect(created).toContain(input.tenantId);
      await runExample(actions.delete, input);
    }
    expect(mutatingCalls()).toBeGreaterThan(0);
  });

  it('the adopt example binds its tenant to its entity through the bindings API', async () => {
    const puts: unknown[] = [];
    const bindings = {
      put: async (tenantId: string, body: unknown, o: { adopt?: boolean }) => {
        puts.push({ tenantId, body, adopt: o.adopt });
      },
    } as unknown as BindingsClient;
    const adopt = createBedrockTenantAdoptAction({ bindings });
    for (const { input } of stepsOf(adopt)) {
      await run(adopt, input, { dryRun: true });
      expect(puts).toEqual([]);
      await run(adopt, input);
    }
    expect(puts).toEqual([
      {
        tenantId: 'fraud-analyst',
        body: expect.objectContaining({
          entityRef: 'component:default/fraud-analyst',
          accountId: '210987654321',
          regions: ['us-east-1'],
          attribution: 'account',
        }),
        adopt: true,
      },
    ]);
  });
});
