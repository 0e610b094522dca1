/**
 * The dry run's plan against moto (and the inference-profile stand-in): the exact resources a
 * create would make, and for an update the diff against what AWS has, all from read-only calls.
 */
import { NotFoundError } from '@backstage/errors';
import { buildActions, run } from '../__testUtils__/actions';
import {
  ACCOUNT,
  HAIKU,
  NOVA_PRO,
  REGION,
  SONNET,
  startTestEnv,
  TestEnv,
  testConfig,
} from '../__testUtils__/testEnv';

jest.setTimeout(300_000);

let env: TestEnv;
let actions: ReturnType<typeof buildActions>;

beforeAll(async () => {
  env = await startTestEnv();
  actions = buildActions(env.factory(), testConfig());
});
afterAll(async () => {
  await env?.stop();
});
beforeEach(async () => {
  await env.reset();
});

const input = (patch: Record<string, unknown> = {}) => ({
  tenantId: 'plan-bot',
  accountId: ACCOUNT,
  region: REGION,
  owner: 'group:default/team-plan',
  models: [HAIKU, NOVA_PRO],
  monthlyBudgetUsd: 300,
  thresholds: { tokensPerHour: 50_000 },
  notificationEmails: ['oncall@example.com'],
  ...patch,
});
const mutations = () => env.calls.filter(c => c.mutating);
const names = (entries: Array<{ resource: string; name: string }>) =>
  entries.map(e => `${e.resource} ${e.name}`);
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:bedrock-plan-bot-alerts`;
const ALARMS = ['tokens', 'errors', 'invocations', 'latency', 'throttles'].map(
  k => `CloudWatch alarm bedrock-plan-bot-${k}`,
);

describe('dry run of bedrock:tenant:create', () => {
  it('lists every resource to create, with its documents and thresholds, and changes nothing', async () => {
    const state = await env.state();
    const out = await run(actions.create, input(), {
      dryRun: true,
      withText: true,
    });
    expect(mutations()).toEqual([]);
    expect(await env.state()).toEqual(state);

    const { preview } = out;
    expect(preview.note).toBeUndefined();
    expect(names(preview.create)).toEqual([
      'IAM role bedrock-tenant-plan-bot',
      'IAM inline policy bedrock-tenant-plan-bot/bedrock-tenant-invoke',
      `application inference profile ${out.plan.profiles[0].name}`,
      `application inference profile ${out.plan.profiles[1].name}`,
      `SNS topic ${TOPIC}`,
      ...ALARMS,
      'CloudWatch dashboard bedrock-plan-bot',
      'AWS Budget bedrock-plan-bot',
    ]);
    expect(preview.update).toEqual([]);
    expect(preview.delete).toEqual([]);
    expect(preview.unchanged).toEqual([]);
    const byName = (n: string) =>
      preview.create.find((e: any) => `${e.resource} ${e.name}` === n);
    expect(
      byName('IAM inline policy bedrock-tenant-plan-bot/bedrock-tenant-invoke')
        .details.policy,
    ).toEqual(out.plan.role.invokePolicy);
    expect(byName('CloudWatch alarm bedrock-plan-bot-tokens').details).toEqual(
      expect.objectContaining({
        threshold: 50_000,
        periodSeconds: 3600,
        expression: 'SUM([m0x0,m0x1,m1x0,m1x1])',
      }),
    );
    expect(byName('AWS Budget bedrock-plan-bot').details).toEqual({
      limitUsd: 300,
      costFilters: { TagKeyValue: ['user:bedrock-tenancy:tenant$plan-bot'] },
      notifications: [
        'ACTUAL > 50%',
        'ACTUAL > 80%',
        'ACTUAL > 100%',
        'FORECASTED > 100%',
      ],
      subscriber: TOPIC,
    });
    // what the template shows
    expect(out.planText).toContain(
      '12 to create, 0 to change, 0 to delete, 0 unchanged. Nothing has been changed.',
    );
    expect(out.planText).toContain('"Sid": "InvokeTenantInferenceProfiles"');
    expect(out.planText).toContain('- threshold: `50000`');
  });

  it('after an identical run: everything unchanged', async () => {
    await run(actions.create, input());
    env.calls.length = 0;
    const { preview } = await run(actions.create, input(), { dryRun: true });
    expect(mutations()).toEqual([]);
    expect(preview.create).toEqual([]);
    expect(preview.update).toEqual([]);
    expect(preview.delete).toEqual([]);
    expect(preview.unchanged).toHaveLength(12);
  });
});

describe('dry run of bedrock:tenant:update', () => {
  it('diffs against the existing tenant: the added and removed model, threshold, subscribers and budget', async () => {
    await run(actions.create, input());
    const created = await run(actions.create, input(), { dryRun: true });
    const novaProfile = created.plan.profiles[1];
    const state = await env.state();
    env.calls.length = 0;

    const out = await run(
      actions.update,
      input({
        models: [HAIKU, SONNET],
        thresholds: { tokensPerHour: 80_000 },
        notificationEmails: ['oncall@example.com', 'finops@example.com'],
        monthlyBudgetUsd: 500,
      }),
      { dryRun: true, withText: true },
    );
    expect(mutations()).toEqual([]);
    expect(await env.state()).toEqual(state);
    const { preview } = out;
    const sonnet = out.plan.profiles[1];
    expect(names(preview.create)).toEqual([
      `application inference profile ${sonnet.name}`,
    ]);
    expect(names(preview.delete)).toEqual([
      `application inference profile ${novaProfile.name}`,
    ]);
    const diffs = Object.fromEntries(
      preview.update.map((e: any) => [`${e.resource} ${e.name}`, e.diff]),
    );
    expect(Object.keys(diffs).sort()).toEqual(
      [
        'IAM inline policy bedrock-tenant-plan-bot/bedrock-tenant-invoke',
        `SNS topic ${TOPIC}`,
        ...ALARMS,
        'CloudWatch dashboard bedrock-plan-bot',
        'AWS Budget bedrock-plan-bot',
      ].sort(),
    );
    expect(diffs[`SNS topic ${TOPIC}`]).toEqual([
      {
        path: 'emailSubscriptions',
        from: ['oncall@example.com'],
        to: ['finops@example.com', 'oncall@example.com'],
      },
    ]);
    expect(diffs['AWS Budget bedrock-plan-bot']).toEqual([
      { path: 'limitUsd', from: 300, to: 500 },
    ]);
    expect(diffs['CloudWatch alarm bedrock-plan-bot-tokens']).toEqual(
      expect.arrayContaining([{ path: 'threshold', from: 50_000, to: 80_000 }]),
    );
    // the invoke policy names the existing haiku profile and a pending one for the new model
    const policyDiff =
      diffs['IAM inline policy bedrock-tenant-plan-bot/bedrock-tenant-invoke'];
    expect(
      policyDiff.some(
        (d: any) =>
          JSON.stringify(d.from).includes(novaProfile.arn) &&
          JSON.stringify(d.to).includes(`<pending:${sonnet.name}>`),
      ),
    ).toBe(true);
    expect(names(preview.unchanged)).toEqual([
      'IAM role bedrock-tenant-plan-bot',
      `application inference profile ${out.plan.profiles[0].name}`,
    ]);
    expect(out.planText).toContain(
      '1 to create, 9 to change, 1 to delete, 2 unchanged.',
    );
    expect(out.planText).toContain('- limitUsd: `300` → `500`');
  });

  it('is the same NotFoundError as the update itself for a tenant that does not exist', async () => {
    await expect(
      run(actions.update, input(), { dryRun: true }),
    ).rejects.toThrow(NotFoundError);
    expect(mutations()).toEqual([]);
  });
});
