/**
 * The tenant guardrail through the create, update and delete actions: the real SDK against moto
 * and the test-only guardrail stand-in, read back through the Bedrock and IAM APIs.
 */
import {
  CreateGuardrailCommand,
  GetGuardrailCommand,
  ListGuardrailsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
import { GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { ConfigReader } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import {
  MANAGED_BY_VALUE,
  TAG_ENTITY_REF,
  TAG_MANAGED_BY,
  TAG_OWNER,
  TAG_TENANT,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { AwsClients } from '@bedrock-tenancy/plugin-bedrock-node';
import { readProvisioningConfig } from '../config';
import { buildActions, run } from '../__testUtils__/actions';
import {
  ACCOUNT,
  HAIKU,
  REGION,
  startTestEnv,
  TestEnv,
  TEST_CONFIG,
} from '../__testUtils__/testEnv';
import { parsePolicy } from './policies';

jest.setTimeout(300_000);

type JsonObject = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;
const DEFAULTS: JsonObject = {
  contentFilters: {
    hate: { input: 'HIGH', output: 'HIGH' },
    insults: { input: 'MEDIUM', output: 'MEDIUM' },
    promptAttack: { input: 'HIGH' },
  },
  deniedTopics: [
    {
      name: 'Investment advice',
      definition: 'Recommendations to buy or sell securities.',
    },
  ],
  piiEntities: [
    { type: 'EMAIL', action: 'ANONYMIZE' },
    { type: 'CREDIT_DEBIT_CARD_NUMBER', action: 'BLOCK' },
  ],
  blockedInputMessage: 'Blocked by the platform guardrail.',
  blockedOutputMessage: 'Answer blocked by the platform guardrail.',
};
const config = (guardrail: JsonObject = DEFAULTS) =>
  readProvisioningConfig(
    new ConfigReader({
      bedrock: {
        provisioning: { ...TEST_CONFIG.bedrock.provisioning, guardrail },
      },
    }),
  );

let env: TestEnv;
let aws: AwsClients;
let actions: ReturnType<typeof buildActions>;

beforeAll(async () => {
  env = await startTestEnv();
  actions = buildActions(env.factory(), config());
  aws = await env.factory().forTarget(ACCOUNT, REGION);
});
afterAll(async () => env?.stop());
beforeEach(async () => env.reset());

const input = (guardrail?: Record<string, unknown>) => ({
  tenantId: 'shop-bot',
  accountId: ACCOUNT,
  region: REGION,
  owner: 'group:default/team-shop',
  models: [HAIKU],
  notificationEmails: ['oncall@example.com'],
  ...(guardrail ? { guardrail } : {}),
});
const mutations = () => env.calls.filter(c => c.mutating);
const invokePolicy = async () =>
  parsePolicy(
    (
      await aws.iam.send(
        new GetRolePolicyCommand({
          RoleName: 'bedrock-tenant-shop-bot',
          PolicyName: 'bedrock-tenant-invoke',
        }),
      )
    ).PolicyDocument,
  ) as { Statement: Array<Record<string, any>> };
const guardrailCount = async () =>
  (await aws.bedrock.send(new ListGuardrailsCommand({}))).guardrails?.length;

describe('tenant guardrail', () => {
  it('is created from the operator defaults, published as version 1 and tagged like the other resources', async () => {
    const out = await run(actions.create, input({ enabled: true }));
    expect(out.guardrail).toEqual({
      guardrailId: expect.stringMatching(/^[a-z0-9]{12}$/),
      guardrailArn: expect.stringMatching(
        new RegExp(`^arn:aws:bedrock:${REGION}:${ACCOUNT}:guardrail/`),
      ),
      version: '1',
      enforced: false,
    });
    const { guardrailArn } = out.guardrail;
    const v1 = await aws.bedrock.send(
      new GetGuardrailCommand({
        guardrailIdentifier: guardrailArn,
        guardrailVersion: '1',
      }),
    );
    expect(v1).toMatchObject({
      name: 'bedrock-shop-bot',
      blockedInputMessaging: 'Blocked by the platform guardrail.',
      blockedOutputsMessaging: 'Answer blocked by the platform guardrail.',
      contentPolicy: {
        filters: [
          { type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' },
          {
            type: 'INSULTS',
            inputStrength: 'MEDIUM',
            outputStrength: 'MEDIUM',
          },
          {
            type: 'PROMPT_ATTACK',
            inputStrength: 'HIGH',
            outputStrength: 'NONE',
          },
        ],
      },
      topicPolicy: {
        topics: [
          {
            name: 'Investment advice',
            definition: 'Recommendations to buy or sell securities.',
            type: 'DENY',
          },
        ],
      },
      sensitiveInformationPolicy: {
        piiEntities: [
          { type: 'EMAIL', action: 'ANONYMIZE' },
          { type: 'CREDIT_DEBIT_CARD_NUMBER', action: 'BLOCK' },
        ],
      },
    });
    const { tags } = await aws.bedrock.send(
      new ListTagsForResourceCommand({ resourceARN: guardrailArn }),
    );
    expect(Object.fromEntries(tags!.map(t => [t.key, t.value]))).toEqual({
      [TAG_TENANT]: 'shop-bot',
      [TAG_OWNER]: 'group:default/team-shop',
      [TAG_ENTITY_REF]: 'component:default/shop-bot',
      [TAG_MANAGED_BY]: MANAGED_BY_VALUE,
    });
    // not enforced: the policy does not mention it
    expect(JSON.stringify(await invokePolicy())).not.toContain(
      'GuardrailIdentifier',
    );
  });

  it('enforced: the role may invoke only with the published version, and a re-run changes nothing', async () => {
    const out = await run(
      actions.create,
      input({ enabled: true, enforce: true }),
    );
    const identifier = `${out.guardrail.guardrailArn}:1`;
    const doc = await invokePolicy();
    const sid = (s: string) => doc.Statement.find(x => x.Sid === s)!;
    expect(sid('InvokeTenantInferenceProfiles').Condition).toEqual({
      StringEquals: { 'bedrock:GuardrailIdentifier': identifier },
    });
    expect(
      sid('InvokeModelsOnlyThroughTenantProfiles').Condition.StringEquals,
    ).toEqual({ 'bedrock:GuardrailIdentifier': identifier });
    expect(sid('DenyInvokeWithoutTenantGuardrail')).toEqual({
      Sid: 'DenyInvokeWithoutTenantGuardrail',
      Effect: 'Deny',
      Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      Resource: '*',
      Condition: {
        StringNotEquals: { 'bedrock:GuardrailIdentifier': identifier },
      },
    });

    const state = await env.state();
    env.calls.length = 0;
    const again = await run(
      actions.create,
      input({ enabled: true, enforce: true }),
    );
    expect(mutations()).toEqual([]);
    expect(again.guardrail).toEqual(out.guardrail);
    expect(await env.state()).toEqual(state);
  });

  it('update tightens it: the draft changes, version 2 is published and the policy moves to it', async () => {
    const first = await run(
      actions.create,
      input({ enabled: true, enforce: true }),
    );
    const out = await run(
      actions.update,
      input({
        enabled: true,
        enforce: true,
        contentFilters: { insults: { input: 'HIGH', output: 'HIGH' } },
        piiEntities: [{ type: 'EMAIL', action: 'BLOCK' }],
        deniedTopics: [
          { name: 'Medical advice', definition: 'Diagnoses or treatments.' },
        ],
      }),
    );
    expect(out.guardrail.guardrailId).toBe(first.guardrail.guardrailId);
    expect(out.guardrail.version).toBe('2');
    const v2 = await aws.bedrock.send(
      new GetGuardrailCommand({
        guardrailIdentifier: out.guardrail.guardrailId,
        guardrailVersion: '2',
      }),
    );
    expect(v2.contentPolicy?.filters).toContainEqual({
      type: 'INSULTS',
      inputStrength: 'HIGH',
      outputStrength: 'HIGH',
    });
    expect(v2.sensitiveInformationPolicy?.piiEntities).toContainEqual({
      type: 'EMAIL',
      action: 'BLOCK',
    });
    expect(v2.topicPolicy?.topics?.map(t => t.name)).toEqual([
      'Investment advice',
      'Medical advice',
    ]);
    expect(JSON.stringify(await invokePolicy())).toContain(
      `${out.guardrail.guardrailArn}:2`,
    );
    expect(JSON.stringify(await invokePolicy())).not.toContain(
      `${out.guardrail.guardrailArn}:1"`,
    );
  });

  it.each([
    [
      { enabled: true, contentFilters: { hate: { input: 'LOW' } } },
      'guardrail.contentFilters.hate.input: LOW is weaker than the default HIGH',
    ],
    [
      {
        enabled: true,
        piiEntities: [
          { type: 'CREDIT_DEBIT_CARD_NUMBER', action: 'ANONYMIZE' },
        ],
      },
      'guardrail.piiEntities.CREDIT_DEBIT_CARD_NUMBER: ANONYMIZE is weaker than the default BLOCK',
    ],
    [
      { enabled: true, contentFilters: { promptAttack: { output: 'LOW' } } },
      'guardrail.contentFilters.promptAttack.output: must be NONE',
    ],
    [
      {
        enabled: true,
        deniedTopics: [{ name: 'investment advice', definition: 'anything' }],
      },
      'cannot redefine one',
    ],
    [
      { enabled: true, piiEntities: [{ type: 'SHOE_SIZE', action: 'BLOCK' }] },
      '"SHOE_SIZE" is not a PII entity type',
    ],
  ])(
    'refuses a template that loosens the defaults (%j) before any AWS call',
    async (guardrail, message) => {
      const attempt = run(actions.create, input(guardrail));
      await expect(attempt).rejects.toThrow(InputError);
      await expect(attempt).rejects.toThrow(message);
      expect(env.calls).toEqual([]);
    },
  );

  it('refuses to opt out of a required or enforced guardrail, and to ask for one with no defaults', async () => {
    const strict = buildActions(
      env.factory(),
      config({ ...DEFAULTS, required: true, enforce: true }),
    );
    await expect(run(strict.create, input({ enabled: false }))).rejects.toThrow(
      'guardrail.enabled: every tenant has a guardrail here',
    );
    await expect(
      run(strict.create, input({ enabled: true, enforce: false })),
    ).rejects.toThrow('guardrail.enforce: enforcement is on for every tenant');
    const { guardrail: _defaults, ...withoutDefaults } =
      TEST_CONFIG.bedrock.provisioning;
    const none = buildActions(
      env.factory(),
      readProvisioningConfig(
        new ConfigReader({ bedrock: { provisioning: withoutDefaults } }),
      ),
    );
    await expect(run(none.create, input({ enabled: true }))).rejects.toThrow(
      'this portal has no guardrail defaults',
    );
    expect(env.calls).toEqual([]);
    // required: a template that says nothing gets one
    const out = await run(strict.create, input());
    expect(out.guardrail).toMatchObject({ version: '1', enforced: true });
  });

  it('an update without it removes the guardrail once the policy no longer requires it', async () => {
    await run(actions.create, input({ enabled: true, enforce: true }));
    await run(actions.update, input({ enabled: false }));
    expect(await guardrailCount()).toBe(0);
    expect(JSON.stringify(await invokePolicy())).not.toContain(
      'GuardrailIdentifier',
    );
  });

  it('delete removes it with every version', async () => {
    const out = await run(actions.create, input({ enabled: true }));
    const deleted = await run(actions.delete, {
      tenantId: 'shop-bot',
      accountId: ACCOUNT,
      region: REGION,
      confirm: 'shop-bot',
    });
    expect(JSON.stringify(deleted)).toContain(
      `guardrail ${out.guardrail.guardrailArn}`,
    );
    expect(await guardrailCount()).toBe(0);
    expect(((await env.state()) as any).guardrails).toEqual([]);
  });

  it("refuses a guardrail with the tenant's name that the suite did not tag for it", async () => {
    await aws.bedrock.send(
      new CreateGuardrailCommand({
        name: 'bedrock-shop-bot',
        blockedInputMessaging: 'x',
        blockedOutputsMessaging: 'x',
        tags: [{ key: TAG_TENANT, value: 'someone-else' }],
      }),
    );
    env.calls.length = 0;
    await expect(run(actions.create, input({ enabled: true }))).rejects.toThrow(
      ConflictError,
    );
    expect(mutations()).toEqual([]);
  });
});
