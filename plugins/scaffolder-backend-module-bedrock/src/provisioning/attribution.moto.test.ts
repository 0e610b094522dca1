/**
 * Account- and identity-attributed tenants against moto (and the inference-profile stand-in):
 * no profiles, the models invoked directly, alarms on the account's metrics (account) or none
 * (identity), the budget on the linked account, the binding recorded in the tenant's own mode.
 */
import { DescribeBudgetCommand } from '@aws-sdk/client-budgets';
import {
  DescribeAlarmsCommand,
  GetDashboardCommand,
} from '@aws-sdk/client-cloudwatch';
import { GetRolePolicyCommand, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import { InputError } from '@backstage/errors';
import {
  readTenantAnnotations,
  type TenantBindingBody,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { AwsClients } from '@bedrock-tenancy/plugin-bedrock-node';
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
import type { BindingsClient } from '../bindings/BedrockBindingsClient';
import { parsePolicy } from './policies';

jest.setTimeout(300_000);

const held = new Map<string, TenantBindingBody>();
const bindings: BindingsClient = {
  check: async () => ({ admin: true, bound: false }),
  put: async (tenantId, body) => {
    held.set(tenantId, body);
  },
  remove: async tenantId => ({ removed: held.delete(tenantId) }),
};

let env: TestEnv;
let aws: AwsClients;
let actions: ReturnType<typeof buildActions>;

beforeAll(async () => {
  env = await startTestEnv();
  actions = buildActions(env.factory(), testConfig(), bindings);
  aws = await env.factory().forTarget(ACCOUNT, REGION);
});
afterAll(async () => {
  await env?.stop();
});
beforeEach(async () => {
  await env.reset();
  held.clear();
});

const WORKERS = `arn:aws:iam::${ACCOUNT}:role/labeling-workers`;
const input = (patch: Record<string, unknown> = {}) => ({
  tenantId: 'risk-bot',
  accountId: ACCOUNT,
  region: REGION,
  owner: 'group:default/team-risk',
  models: [HAIKU, NOVA_PRO],
  notificationEmails: ['risk@example.com'],
  attribution: 'account',
  ...patch,
});
const target = { tenantId: 'risk-bot', accountId: ACCOUNT, region: REGION };
const mutations = () => env.calls.filter(c => c.mutating);
const invokePolicy = async () =>
  parsePolicy(
    (
      await aws.iam.send(
        new GetRolePolicyCommand({
          RoleName: 'bedrock-tenant-risk-bot',
          PolicyName: 'bedrock-tenant-invoke',
        }),
      )
    ).PolicyDocument,
  ) as any;
const roleTags = async () =>
  Object.fromEntries(
    (
      (
        await aws.iam.send(
          new ListRoleTagsCommand({ RoleName: 'bedrock-tenant-risk-bot' }),
        )
      ).Tags ?? []
    ).map(t => [t.Key, t.Value]),
  );
const ownAlarms = async () =>
  (
    (
      await aws.cloudwatch.send(
        new DescribeAlarmsCommand({ AlarmNamePrefix: 'bedrock-risk-bot-' }),
      )
    ).MetricAlarms ?? []
  ).filter(a => a.AlarmName!.startsWith('bedrock-risk-bot-'));

describe('attribution: account', () => {
  it('creates no profiles, lets the role invoke the models directly, alarms on the account metrics, budgets the account', async () => {
    const empty = await env.state();
    const out = await run(actions.create, input());
    expect(env.bedrock.profiles.size).toBe(0);
    expect(out.inferenceProfiles).toEqual([]);

    expect((await invokePolicy()).Statement).toEqual([
      {
        Sid: 'InvokeAllowedModels',
        Effect: 'Allow',
        Action: [
          'bedrock:InvokeModel',
          'bedrock:InvokeModelWithResponseStream',
        ],
        Resource: [
          `arn:aws:bedrock:${REGION}::foundation-model/${HAIKU}`,
          `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/us.${NOVA_PRO}`,
          `arn:aws:bedrock:*::foundation-model/${NOVA_PRO}`,
        ],
      },
      // Priority and Flex allowed by default: the Reserved tier only is denied
      {
        Sid: 'DenyServiceTiersNotAllowed',
        Effect: 'Deny',
        Action: [
          'bedrock:InvokeModel',
          'bedrock:InvokeModelWithResponseStream',
        ],
        Resource: '*',
        Condition: { StringEquals: { 'bedrock:ServiceTier': ['reserved'] } },
      },
    ]);
    expect(await roleTags()).toMatchObject({
      'bedrock-tenancy:attribution': 'account',
      'bedrock-tenancy:regions': REGION,
    });

    // every alarm sums the ModelId the callers use: the model id, or the system profile id
    const alarms = await ownAlarms();
    expect(alarms.map(a => a.AlarmName).sort()).toEqual(
      ['errors', 'invocations', 'latency', 'throttles', 'tokens']
        .map(k => `bedrock-risk-bot-${k}`)
        .sort(),
    );
    const tokens = alarms.find(a => a.AlarmName === 'bedrock-risk-bot-tokens')!;
    expect(
      tokens
        .Metrics!.filter(m => m.MetricStat)
        .map(m => [
          m.MetricStat!.Metric!.MetricName,
          m.MetricStat!.Metric!.Dimensions,
        ]),
    ).toEqual([
      ['InputTokenCount', [{ Name: 'ModelId', Value: HAIKU }]],
      ['OutputTokenCount', [{ Name: 'ModelId', Value: HAIKU }]],
      ['InputTokenCount', [{ Name: 'ModelId', Value: `us.${NOVA_PRO}` }]],
      ['OutputTokenCount', [{ Name: 'ModelId', Value: `us.${NOVA_PRO}` }]],
    ]);

    const { Budget } = await aws.budgets.send(
      new DescribeBudgetCommand({
        AccountId: ACCOUNT,
        BudgetName: 'bedrock-risk-bot',
      }),
    );
    expect(Budget!.CostFilters).toEqual({ LinkedAccount: [ACCOUNT] });

    // the whole account's invocation logs are the tenant's: no filter
    const { DashboardBody } = await aws.cloudwatch.send(
      new GetDashboardCommand({ DashboardName: 'bedrock-risk-bot' }),
    );
    const log = JSON.parse(DashboardBody!).widgets.find(
      (w: any) => w.type === 'log',
    );
    expect(log.properties.query).not.toContain('filter');

    const annotations = readTenantAnnotations({
      apiVersion: 'v1',
      kind: 'Component',
      metadata: { name: 'risk-bot', annotations: out.annotations },
    });
    expect(annotations).toMatchObject({
      kind: 'ok',
      tenant: { attribution: 'account', inferenceProfiles: {} },
    });
    expect(held.get('risk-bot')).toEqual({
      entityRef: 'component:default/risk-bot',
      owner: 'group:default/team-risk',
      accountId: ACCOUNT,
      regions: [REGION],
      attribution: 'account',
      inferenceProfiles: {},
      principalArns: [],
      alarmPrefix: 'bedrock-risk-bot-',
      budgetName: 'bedrock-risk-bot',
      // not opted in to budget enforcement
      budgetEnforcement: null,
    });

    // re-run: identical state and outputs, no mutating call
    const state = await env.state();
    env.calls.length = 0;
    expect(await run(actions.create, input())).toEqual(out);
    expect(mutations()).toEqual([]);
    expect(await env.state()).toEqual(state);

    // delete leaves nothing of it
    const { deleted } = await run(actions.delete, {
      ...target,
      confirm: 'risk-bot',
    });
    expect(deleted).toContain('budget bedrock-risk-bot');
    expect(await env.state()).toEqual(empty);
    expect(held.has('risk-bot')).toBe(false);
  });

  it('an update from inference-profile to account mode removes the profiles after the policy stops granting them', async () => {
    await run(actions.create, input({ attribution: 'inference-profile' }));
    expect(env.bedrock.profiles.size).toBe(2);
    env.calls.length = 0;
    await run(actions.update, input());
    expect(env.bedrock.profiles.size).toBe(0);
    const order = mutations().map(c => c.command);
    expect(order.indexOf('PutRolePolicy')).toBeLessThan(
      order.indexOf('DeleteInferenceProfile'),
    );
    expect(held.get('risk-bot')).toMatchObject({
      attribution: 'account',
      inferenceProfiles: {},
    });
    // and converged: a re-run changes nothing
    env.calls.length = 0;
    await run(actions.update, input());
    expect(mutations()).toEqual([]);
  });
});

describe('attribution: identity', () => {
  const identity = (patch: Record<string, unknown> = {}) =>
    input({ attribution: 'identity', principalArns: [WORKERS], ...patch });

  it('records the principals on the role and in the binding, makes no alarms and a caller-filtered log table', async () => {
    const empty = await env.state();
    const out = await run(actions.create, identity());
    expect(env.bedrock.profiles.size).toBe(0);
    expect(out.alarmNames).toEqual([]);
    expect(await ownAlarms()).toEqual([]);
    expect(await roleTags()).toMatchObject({
      'bedrock-tenancy:attribution': 'identity',
      'bedrock-tenancy:principal-arns': WORKERS,
    });
    expect(out.annotations['bedrock-tenancy.io/principal-arns']).toBe(WORKERS);
    expect(held.get('risk-bot')).toMatchObject({
      attribution: 'identity',
      principalArns: [WORKERS],
      inferenceProfiles: {},
    });
    const { DashboardBody } = await aws.cloudwatch.send(
      new GetDashboardCommand({ DashboardName: 'bedrock-risk-bot' }),
    );
    const widgets = JSON.parse(DashboardBody!).widgets;
    expect(widgets.map((w: any) => w.type)).toEqual(['text', 'log']);
    expect(widgets[1].properties.query).toContain(
      `filter identity.arn = "${WORKERS}" or identity.arn like ":assumed-role/labeling-workers/"`,
    );

    const state = await env.state();
    env.calls.length = 0;
    expect(await run(actions.create, identity())).toEqual(out);
    expect(mutations()).toEqual([]);
    expect(await env.state()).toEqual(state);

    // to account mode: the principal tag goes
    await run(actions.update, input());
    expect(await roleTags()).not.toHaveProperty(
      'bedrock-tenancy:principal-arns',
    );

    await run(actions.delete, { ...target, confirm: 'risk-bot' });
    expect(await env.state()).toEqual(empty);
  });

  it('defaults the principals to the tenant role', async () => {
    const out = await run(
      actions.create,
      identity({ principalArns: undefined }),
    );
    expect(out.annotations['bedrock-tenancy.io/principal-arns']).toBe(
      `arn:aws:iam::${ACCOUNT}:role/bedrock-tenant-risk-bot`,
    );
  });

  it.each([
    [
      'principals outside identity mode',
      input({ principalArns: [WORKERS] }),
      /principalArns: only for attribution "identity"/,
    ],
    [
      'a principal of another account',
      input({
        attribution: 'identity',
        principalArns: ['arn:aws:iam::999999999999:role/x'],
      }),
      /not in account 123456789012/,
    ],
    [
      'more principals than one tag holds',
      input({
        attribution: 'identity',
        principalArns: [1, 2, 3, 4, 5].map(
          i => `arn:aws:iam::${ACCOUNT}:role/${'w'.repeat(40)}-${i}`,
        ),
      }),
      /at most 256 characters together/,
    ],
    ['an unknown mode', input({ attribution: 'team' }), /attribution: /],
  ])('refuses %s before any AWS call', async (_, bad, message) => {
    env.calls.length = 0;
    const p = run(actions.create, bad);
    await expect(p).rejects.toThrow(InputError);
    await expect(p).rejects.toThrow(message);
    expect(env.calls).toEqual([]);
  });
});
