/**
 * The provisioning actions record, move and remove tenant bindings: against moto (and the
 * inference-profile stand-in), with a bindings client that keeps what the bedrock backend would.
 */
import { ListRoleTagsCommand } from '@aws-sdk/client-iam';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  TAG_ENTITY_REF,
  type TenantBindingBody,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { buildActions, run } from '../__testUtils__/actions';
import {
  ACCOUNT,
  HAIKU,
  NOVA_PRO,
  REGION,
  startTestEnv,
  TestEnv,
  testConfig,
} from '../__testUtils__/testEnv';
import type { BindingsClient } from './BedrockBindingsClient';

jest.setTimeout(300_000);

/** What the bedrock backend holds: tenant id -> binding, and who wrote each. */
class FakeBindings implements BindingsClient {
  readonly held = new Map<string, TenantBindingBody>();
  readonly writers: string[] = [];
  down = false;
  async put(
    tenantId: string,
    body: TenantBindingBody,
    options: { onBehalfOf?: any } = {},
  ) {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:7007');
    this.held.set(tenantId, body);
    this.writers.push(
      options.onBehalfOf?.principal?.userEntityRef ?? 'plugin:scaffolder',
    );
  }
  async check() {
    return { admin: true, bound: false };
  }
  async remove(tenantId: string) {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:7007');
    return { removed: this.held.delete(tenantId) };
  }
}

let env: TestEnv;
const cfg = testConfig();
const bindings = new FakeBindings();
let actions: ReturnType<typeof buildActions>;

beforeAll(async () => {
  env = await startTestEnv();
  actions = buildActions(env.factory(), cfg, bindings);
});
afterAll(async () => {
  await env?.stop();
});

const input = (patch: Record<string, unknown> = {}) => ({
  tenantId: 'bind-me',
  accountId: ACCOUNT,
  region: REGION,
  owner: 'group:default/team-shop',
  entityRef: 'component:default/bind-me',
  models: [HAIKU],
  notificationEmails: ['oncall@example.com'],
  ...patch,
});

it('create binds the tenant to its entity and tags its resources with it; update follows its profiles', async () => {
  const out = await run(actions.create, input());
  const bound = bindings.held.get('bind-me')!;
  expect(bound).toMatchObject({
    entityRef: 'component:default/bind-me',
    accountId: ACCOUNT,
    regions: [REGION],
    attribution: 'inference-profile',
    inferenceProfiles: Object.fromEntries(
      out.inferenceProfiles.map((p: any) => [p.profileId, p.modelId]),
    ),
  });
  // the annotations the template publishes agree with the binding, so the entity verifies
  expect(out.annotations['bedrock-tenancy.io/inference-profiles']).toBe(
    Object.entries(bound.inferenceProfiles!)
      .map(([id, model]) => `${id}=${model}`)
      .join(','),
  );
  const aws = await env.factory().forTarget(ACCOUNT, REGION);
  const roleTags = await aws.iam.send(
    new ListRoleTagsCommand({ RoleName: 'bedrock-tenant-bind-me' }),
  );
  expect(roleTags.Tags).toContainEqual({
    Key: TAG_ENTITY_REF,
    Value: 'component:default/bind-me',
  });

  await run(actions.update!, input({ models: [HAIKU, NOVA_PRO] }));
  expect(
    Object.values(bindings.held.get('bind-me')!.inferenceProfiles!).sort(),
  ).toEqual([NOVA_PRO, HAIKU].sort());
});

it('records the opt-in to budget enforcement in the binding and as a role tag; an update that does not say keeps it', async () => {
  const aws = await env.factory().forTarget(ACCOUNT, REGION);
  const optInTag = async () =>
    (
      await aws.iam.send(
        new ListRoleTagsCommand({ RoleName: 'bedrock-tenant-bind-me' }),
      )
    ).Tags?.find(t => t.Key === 'bedrock-tenancy:budget-enforcement')?.Value;
  const out = await run(
    actions.update!,
    input({ suspendAtBudget: true, autoResume: true }),
  );
  const optIn = { action: 'suspend', basis: 'actual', autoResume: true };
  expect(out.budgetEnforcement).toEqual(optIn);
  expect(bindings.held.get('bind-me')!.budgetEnforcement).toEqual(optIn);
  expect(await optInTag()).toBe('suspend actual auto-resume');
  // an update that does not mention it leaves the binding's opt-in to the backend (absent)
  await run(actions.update!, input());
  expect(bindings.held.get('bind-me')!.budgetEnforcement).toBeUndefined();
  expect(await optInTag()).toBe('suspend actual auto-resume');
  await run(actions.update!, input({ suspendAtBudget: false }));
  expect(bindings.held.get('bind-me')!.budgetEnforcement).toBeNull();
  expect(await optInTag()).toBeUndefined();
});

it('adopt moves the binding, acting as the initiator (the backend checks bedrock.binding.manage on them)', async () => {
  const before = bindings.held.get('bind-me')!;
  await run(actions.adopt!, {
    tenantId: 'bind-me',
    entityRef: 'component:default/bind-me-renamed',
    accountId: before.accountId,
    regions: before.regions,
    attribution: 'inference-profile',
    inferenceProfiles: before.inferenceProfiles,
  });
  expect(bindings.held.get('bind-me')!.entityRef).toBe(
    'component:default/bind-me-renamed',
  );
  expect(bindings.writers.at(-1)).toBe('user:default/mock');
  await expect(
    run(actions.adopt!, {
      tenantId: 'bind-me',
      entityRef: 'not a ref',
      accountId: ACCOUNT,
      regions: [REGION],
      attribution: 'account',
    }),
  ).rejects.toThrow(/entityRef/);
});

it('delete removes the binding', async () => {
  await run(actions.delete, {
    tenantId: 'bind-me',
    accountId: ACCOUNT,
    region: REGION,
    confirm: 'bind-me',
  });
  expect(bindings.held.has('bind-me')).toBe(false);
});

it('fails clearly when the backend is down, and a re-run records the binding without redoing the AWS work', async () => {
  const checkpoints = new Map<string, unknown>();
  const runStep = async (action: TemplateAction<any, any, any>) => {
    const ctx = createMockActionContext({ input: input() as any });
    await action.handler({
      ...ctx,
      output: () => {},
      isDryRun: false,
      async checkpoint(o: { key: string; fn: () => Promise<unknown> }) {
        if (!checkpoints.has(o.key)) checkpoints.set(o.key, await o.fn());
        return checkpoints.get(o.key);
      },
    } as any);
  };
  bindings.down = true;
  await expect(runStep(actions.create)).rejects.toThrow(
    /AWS resources of tenant bind-me are in place, but recording its binding failed: connect ECONNREFUSED.*run the task again/,
  );
  expect(bindings.held.has('bind-me')).toBe(false);
  bindings.down = false;
  const mutatingBefore = env.calls.filter(c => c.mutating).length;
  await runStep(actions.create);
  expect(env.calls.filter(c => c.mutating).length).toBe(mutatingBefore);
  expect(bindings.held.get('bind-me')?.entityRef).toBe(
    'component:default/bind-me',
  );
});
