/**
 * A tenant in two regions against moto (and the stand-in): profiles, topic, alarms and guardrail
 * in each region, one role whose policy covers both, one dashboard with both regions' widgets,
 * one budget; re-run identical, a region dropped by an update, deleted clean in both regions.
 */
import { DescribeBudgetsCommand } from '@aws-sdk/client-budgets';
import {
  DescribeAlarmsCommand,
  GetDashboardCommand,
} from '@aws-sdk/client-cloudwatch';
import { GetRolePolicyCommand, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import { ListTopicsCommand } from '@aws-sdk/client-sns';
import type { TenantBindingBody } from '@bedrock-tenancy/plugin-bedrock-common';
import type { AwsClients } from '@bedrock-tenancy/plugin-bedrock-node';
import { buildActions, run } from '../__testUtils__/actions';
import { snapshot } from '../__testUtils__/snapshot';
import {
  ACCOUNT,
  HAIKU,
  NOVA_PRO,
  startTestEnv,
  TestEnv,
  testConfig,
} from '../__testUtils__/testEnv';
import type { BindingsClient } from '../bindings/BedrockBindingsClient';
import { parsePolicy } from './policies';

jest.setTimeout(300_000);

const EAST = 'us-east-1';
const WEST = 'us-west-2';
const held = new Map<string, TenantBindingBody>();
const bindings: BindingsClient = {
  check: async () => ({ admin: true, bound: false }),
  put: async (tenantId, body) => {
    held.set(tenantId, body);
  },
  remove: async tenantId => ({ removed: held.delete(tenantId) }),
};

let env: TestEnv;
let east: AwsClients;
let west: AwsClients;
let actions: ReturnType<typeof buildActions>;

beforeAll(async () => {
  env = await startTestEnv();
  actions = buildActions(env.factory(), testConfig(), bindings);
  east = await env.factory().forTarget(ACCOUNT, EAST);
  west = await env.factory().forTarget(ACCOUNT, WEST);
});
afterAll(async () => {
  await env?.stop();
});
beforeEach(async () => {
  await env.reset();
  held.clear();
});

const input = (patch: Record<string, unknown> = {}) => ({
  tenantId: 'geo-bot',
  accountId: ACCOUNT,
  regions: [EAST, WEST],
  owner: 'group:default/team-geo',
  models: [HAIKU, NOVA_PRO],
  notificationEmails: ['geo@example.com'],
  guardrail: { enabled: true, enforce: true },
  ...patch,
});
const mutations = () => env.calls.filter(c => c.mutating);
/** Both regions, read through the AWS APIs, and the stand-in's profiles and guardrails. */
const state = async () => ({
  all: await env.state(),
  west: await snapshot(west),
});
const alarmsIn = async (aws: AwsClients) =>
  (
    (
      await aws.cloudwatch.send(
        new DescribeAlarmsCommand({ AlarmNamePrefix: 'bedrock-geo-bot-' }),
      )
    ).MetricAlarms ?? []
  ).filter(a => a.AlarmName!.startsWith('bedrock-geo-bot-'));
const topicsIn = async (aws: AwsClients) =>
  ((await aws.sns.send(new ListTopicsCommand({}))).Topics ?? []).map(
    t => t.TopicArn,
  );

it('creates the regional resources in each region and the global ones once, converges, drops a region and deletes clean', async () => {
  const empty = await state();
  const out = await run(actions.create, input());

  const profiles = [...env.bedrock.profiles.values()];
  expect(profiles.map(p => p.inferenceProfileArn.split(':')[3]).sort()).toEqual(
    [EAST, EAST, WEST, WEST],
  );
  expect(out.inferenceProfiles).toHaveLength(4);
  const guardrails = [...env.bedrock.guardrails.values()];
  expect(guardrails.map(g => g.guardrailArn.split(':')[3]).sort()).toEqual([
    EAST,
    WEST,
  ]);

  // one role: its policy names every region's profiles and guardrail
  const policy = parsePolicy(
    (
      await east.iam.send(
        new GetRolePolicyCommand({
          RoleName: 'bedrock-tenant-geo-bot',
          PolicyName: 'bedrock-tenant-invoke',
        }),
      )
    ).PolicyDocument,
  ) as any;
  const invoke = policy.Statement.find(
    (s: any) => s.Sid === 'InvokeTenantInferenceProfiles',
  );
  expect([...invoke.Resource].sort()).toEqual(
    profiles.map(p => p.inferenceProfileArn).sort(),
  );
  expect(
    [...invoke.Condition.StringEquals['bedrock:GuardrailIdentifier']].sort(),
  ).toEqual(guardrails.map(g => `${g.guardrailArn}:1`).sort());
  const roleTags = Object.fromEntries(
    (
      (
        await east.iam.send(
          new ListRoleTagsCommand({ RoleName: 'bedrock-tenant-geo-bot' }),
        )
      ).Tags ?? []
    ).map(t => [t.Key, t.Value]),
  );
  expect(roleTags['bedrock-tenancy:regions']).toBe(`${EAST} ${WEST}`);

  // alarms and topic in each region, each alarm notifying its own region's topic
  for (const [region, aws] of [
    [EAST, east],
    [WEST, west],
  ] as const) {
    const topic = `arn:aws:sns:${region}:${ACCOUNT}:bedrock-geo-bot-alerts`;
    expect(await topicsIn(aws)).toEqual([topic]);
    const alarms = await alarmsIn(aws);
    expect(alarms).toHaveLength(5);
    expect(alarms.every(a => a.AlarmActions?.[0] === topic)).toBe(true);
    const profileIds = profiles
      .filter(p => p.inferenceProfileArn.split(':')[3] === region)
      .map(p => p.inferenceProfileId)
      .sort();
    const tokens = alarms.find(a => a.AlarmName === 'bedrock-geo-bot-tokens')!;
    expect(
      [
        ...new Set(
          tokens
            .Metrics!.filter(m => m.MetricStat)
            .map(m => m.MetricStat!.Metric!.Dimensions![0].Value),
        ),
      ].sort(),
    ).toEqual(profileIds);
  }

  // one dashboard, each region's widgets titled with it and drawing from it
  const body = JSON.parse(
    (
      await east.cloudwatch.send(
        new GetDashboardCommand({ DashboardName: 'bedrock-geo-bot' }),
      )
    ).DashboardBody!,
  );
  const invocations = body.widgets.filter((w: any) =>
    String(w.properties.title).endsWith(': Invocations'),
  );
  expect(
    invocations.map((w: any) => [w.properties.title, w.properties.region]),
  ).toEqual([
    [`${EAST}: Invocations`, EAST],
    [`${WEST}: Invocations`, WEST],
  ]);

  // one budget
  const budgets = await east.budgets.send(
    new DescribeBudgetsCommand({ AccountId: ACCOUNT }),
  );
  expect((budgets.Budgets ?? []).map(b => b.BudgetName)).toEqual([
    'bedrock-geo-bot',
  ]);

  expect(out.annotations['bedrock-tenancy.io/regions']).toBe(`${EAST},${WEST}`);
  expect(held.get('geo-bot')).toMatchObject({
    regions: [EAST, WEST],
    inferenceProfiles: Object.fromEntries(
      profiles.map(p => [p.inferenceProfileId, expect.any(String)]),
    ),
  });

  // re-run: identical, no mutating call; its dry run: everything unchanged
  const made = await state();
  env.calls.length = 0;
  expect(await run(actions.create, input())).toEqual(out);
  expect(mutations()).toEqual([]);
  expect(await state()).toEqual(made);
  const { preview } = await run(actions.create, input(), { dryRun: true });
  expect(preview.create).toEqual([]);
  expect(preview.update).toEqual([]);
  expect(preview.delete).toEqual([]);
  // role, policy, dashboard, budget once; 2 profiles, guardrail, topic, 5 alarms per region
  expect(preview.unchanged).toHaveLength(4 + 2 * 9);

  // suspend and resume reach the alarms of both regions
  const target = { tenantId: 'geo-bot', accountId: ACCOUNT, region: EAST };
  await run(actions.suspend, target);
  for (const aws of [east, west]) {
    expect((await alarmsIn(aws)).map(a => a.ActionsEnabled)).toEqual(
      Array(5).fill(false),
    );
  }
  await run(actions.resume, target);
  for (const aws of [east, west]) {
    expect((await alarmsIn(aws)).map(a => a.ActionsEnabled)).toEqual(
      Array(5).fill(true),
    );
  }

  // the dry run of an update to one region lists what goes in the other
  env.calls.length = 0;
  const oneRegion = input({ regions: [EAST] });
  const dropping = await run(actions.update, oneRegion, { dryRun: true });
  expect(
    dropping.preview.delete.map((e: any) => `${e.resource} ${e.name}`).sort(),
  ).toEqual(
    [
      ...profiles
        .filter(p => p.inferenceProfileArn.split(':')[3] === WEST)
        .map(
          p =>
            `application inference profile ${p.inferenceProfileName} (${WEST})`,
        ),
      `guardrail ${
        guardrails.find(g => g.guardrailArn.includes(WEST))!.guardrailArn
      } (${WEST})`,
      `SNS topic topic of geo-bot (${WEST})`,
      ...['tokens', 'errors', 'invocations', 'latency', 'throttles'].map(
        k => `CloudWatch alarm bedrock-geo-bot-${k} (${WEST})`,
      ),
    ].sort(),
  );
  expect(mutations()).toEqual([]);

  // the update drops us-west-2's regional resources, keeps us-east-1's
  await run(actions.update, oneRegion);
  expect(await alarmsIn(west)).toEqual([]);
  expect(await topicsIn(west)).toEqual([]);
  expect(
    [...env.bedrock.profiles.values()].map(
      p => p.inferenceProfileArn.split(':')[3],
    ),
  ).toEqual([EAST, EAST]);
  expect(env.bedrock.guardrails.size).toBe(1);
  expect(await alarmsIn(east)).toHaveLength(5);
  expect(held.get('geo-bot')!.regions).toEqual([EAST]);

  // back to both, then delete: nothing of it left in either region
  await run(actions.update, input());
  await run(actions.delete, {
    tenantId: 'geo-bot',
    accountId: ACCOUNT,
    region: EAST,
    confirm: 'geo-bot',
  });
  expect(await state()).toEqual(empty);
  expect(held.has('geo-bot')).toBe(false);
});

it('refuses a region outside the configuration, a repeated one, and a region that is not the first of regions, before any AWS call', async () => {
  for (const [bad, message] of [
    [{ regions: [EAST, 'eu-west-1'] }, /regions.1: region "eu-west-1"/],
    [{ regions: [EAST, EAST] }, /regions must not repeat/],
    [{ region: WEST }, /must be the first of regions/],
    [{ regions: undefined }, /give region \(one\) or regions \(several\)/],
  ] as const) {
    env.calls.length = 0;
    await expect(run(actions.create, input(bad))).rejects.toThrow(message);
    expect(env.calls).toEqual([]);
  }
});
