/**
 * Integration tests of the optional time-to-first-token alarm (`thresholds.ttftMs`): the real SDK
 * clients against moto (plus the inference-profile stand-in), read back through the AWS APIs.
 */
import {
  DescribeAlarmsCommand,
  ListTagsForResourceCommand as ListAlarmTags,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import { ListRoleTagsCommand } from '@aws-sdk/client-iam';
import { ConflictError } from '@backstage/errors';
import {
  MANAGED_BY_VALUE,
  TAG_ENTITY_REF,
  TAG_MANAGED_BY,
  TAG_OWNER,
  TAG_TENANT,
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
import { setAlarmActions } from './resources/alarms';

jest.setTimeout(300_000);

let env: TestEnv;
let aws: AwsClients;
let actions: ReturnType<typeof buildActions>;
const cfg = testConfig();

beforeAll(async () => {
  env = await startTestEnv();
  actions = buildActions(env.factory(), cfg);
  aws = await env.factory().forTarget(ACCOUNT, REGION);
});
afterAll(async () => {
  await env?.stop();
});
beforeEach(async () => {
  await env.reset();
});

const input = (thresholds: Record<string, unknown> = {}) => ({
  tenantId: 'shop-bot',
  accountId: ACCOUNT,
  region: REGION,
  owner: 'group:default/team-shop',
  models: [HAIKU, NOVA_PRO],
  monthlyBudgetUsd: 300,
  thresholds: { tokensPerHour: 50_000, ...thresholds },
  notificationEmails: ['oncall@example.com'],
});
const target = { tenantId: 'shop-bot', accountId: ACCOUNT, region: REGION };
const TTFT = 'bedrock-shop-bot-ttft';
const FIVE = [
  'bedrock-shop-bot-errors',
  'bedrock-shop-bot-invocations',
  'bedrock-shop-bot-latency',
  'bedrock-shop-bot-throttles',
  'bedrock-shop-bot-tokens',
];
const mutations = () => env.calls.filter(c => c.mutating);
const tagsOf = (list: Array<{ Key?: string; Value?: string }> | undefined) =>
  Object.fromEntries((list ?? []).map(t => [t.Key, t.Value]));
const alarms = async () =>
  (
    await aws.cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: 'bedrock-shop-bot-' }),
    )
  ).MetricAlarms ?? [];
/** alarm name to ActionsEnabled, for every alarm of the tenant */
const actionsEnabled = async () =>
  Object.fromEntries(
    (await alarms()).map(a => [a.AlarmName, a.ActionsEnabled]),
  );
const suspendedAlarmsTag = async () =>
  tagsOf(
    (
      await aws.iam.send(
        new ListRoleTagsCommand({ RoleName: 'bedrock-tenant-shop-bot' }),
      )
    ).Tags,
  )['bedrock-tenancy:suspended-alarms'];

describe('thresholds.ttftMs', () => {
  it('unset: the tenant has the five alarms as before and no ttft alarm', async () => {
    const out = await run(actions.create, input());
    expect((await alarms()).map(a => a.AlarmName).sort()).toEqual(FIVE);
    expect([...out.alarmNames].sort()).toEqual(FIVE);
  });

  it('set: an alarm on the average TimeToFirstToken of each profile, the worst over the threshold, notifying the tenant topic, with the tenant tags; unset on update: deleted', async () => {
    const out = await run(actions.create, input({ ttftMs: 2500 }));
    expect([...out.alarmNames].sort()).toEqual([...FIVE, TTFT].sort());
    const all = await alarms();
    expect(all.map(a => a.AlarmName).sort()).toEqual([...FIVE, TTFT].sort());
    const ttft = all.find(a => a.AlarmName === TTFT)!;
    const latency = all.find(a => a.AlarmName === 'bedrock-shop-bot-latency')!;
    const profileIds = out.inferenceProfiles.map((p: any) => p.profileId);
    expect(profileIds).toHaveLength(2);
    expect(ttft.Threshold).toBe(2500);
    expect(ttft.ComparisonOperator).toBe('GreaterThanThreshold');
    expect(ttft.EvaluationPeriods).toBe(1);
    expect(ttft.TreatMissingData).toBe('notBreaching');
    expect(ttft.ActionsEnabled).toBe(true);
    expect(ttft.AlarmActions).toEqual([out.topicArn]);
    expect(ttft.AlarmActions).toEqual(latency.AlarmActions);
    expect(ttft.AlarmDescription).toBe(
      'Bedrock tenant shop-bot: Average time to first token of a model over 2500 ms',
    );
    const stats = ttft.Metrics!.filter(m => m.MetricStat);
    expect(
      stats.map(m => ({
        id: m.Id,
        ns: m.MetricStat!.Metric!.Namespace,
        metric: m.MetricStat!.Metric!.MetricName,
        dims: m.MetricStat!.Metric!.Dimensions!.map(d => [d.Name, d.Value]),
        period: m.MetricStat!.Period,
        stat: m.MetricStat!.Stat,
        returnData: m.ReturnData,
      })),
    ).toEqual(
      profileIds.map((pid: string, i: number) => ({
        id: `m${i}x0`,
        ns: 'AWS/Bedrock',
        metric: 'TimeToFirstToken',
        dims: [['ModelId', pid]],
        period: 300,
        stat: 'Average',
        returnData: false,
      })),
    );
    const expr = ttft.Metrics!.find(m => m.Expression)!;
    expect(expr.Expression).toBe('MAX([m0x0,m1x0])');
    expect(expr.ReturnData).toBe(true);
    // the same dimensions, over the same profiles, as the latency alarm
    expect(stats.map(m => m.MetricStat!.Metric!.Dimensions)).toEqual(
      latency
        .Metrics!.filter(m => m.MetricStat)
        .map(m => m.MetricStat!.Metric!.Dimensions),
    );
    const tags = tagsOf(
      (
        await aws.cloudwatch.send(
          new ListAlarmTags({ ResourceARN: ttft.AlarmArn }),
        )
      ).Tags,
    );
    expect(tags).toEqual({
      [TAG_TENANT]: 'shop-bot',
      [TAG_OWNER]: 'group:default/team-shop',
      [TAG_ENTITY_REF]: 'component:default/shop-bot',
      [TAG_MANAGED_BY]: MANAGED_BY_VALUE,
    });

    // the same input again: nothing to change
    env.calls.length = 0;
    await run(actions.update, input({ ttftMs: 2500 }));
    expect(mutations()).toEqual([]);

    // a new threshold: the alarm is put again, nothing else
    await run(actions.update, input({ ttftMs: 4000 }));
    expect((await alarms()).find(a => a.AlarmName === TTFT)!.Threshold).toBe(
      4000,
    );

    // unset: the ttft alarm is deleted, the five others are left as they are
    const five = (await alarms()).filter(a => a.AlarmName !== TTFT);
    env.calls.length = 0;
    const unset = await run(actions.update, input());
    expect(mutations().map(c => c.command)).toEqual(['DeleteAlarms']);
    expect([...unset.alarmNames].sort()).toEqual(FIVE);
    expect(await alarms()).toEqual(five);
  });

  it("an alarm under the ttft name that is not the tenant's is a conflict, as under any of its alarm names", async () => {
    await aws.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: TTFT,
        MetricName: 'TimeToFirstToken',
        Namespace: 'AWS/Bedrock',
        Statistic: 'Average',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        Tags: [{ Key: TAG_TENANT, Value: 'someone-else' }],
      }),
    );
    await expect(run(actions.create, input({ ttftMs: 2500 }))).rejects.toThrow(
      ConflictError,
    );
    await expect(run(actions.create, input())).rejects.toThrow(
      /alarm bedrock-shop-bot-ttft/,
    );
  });
});

describe('suspend and resume with and without the ttft alarm', () => {
  it('without it: records and turns off the five alarms, and resume restores exactly those', async () => {
    await run(actions.create, input());
    const before = await actionsEnabled();
    expect(Object.keys(before).sort()).toEqual(FIVE);
    const base = await env.state();

    env.calls.length = 0;
    const s = await run(actions.suspend, target);
    expect([...s.alarmsDisabled].sort()).toEqual(FIVE);
    expect(await suspendedAlarmsTag()).toBe(
      'tokens errors invocations latency throttles',
    );
    expect(
      mutations().filter(c => c.command === 'PutMetricAlarm'),
    ).toHaveLength(5);
    expect(await actionsEnabled()).toEqual(
      Object.fromEntries(FIVE.map(n => [n, false])),
    );

    const r = await run(actions.resume, target);
    expect([...r.alarmsEnabled].sort()).toEqual(FIVE);
    expect(await actionsEnabled()).toEqual(before);
    expect(await suspendedAlarmsTag()).toBeUndefined();
    expect(await env.state()).toEqual(base);
  });

  it('with it: records and turns off the six alarms, and resume restores exactly those (a muted one stays muted)', async () => {
    await run(actions.create, input({ ttftMs: 2500 }));
    // an operator muted the ttft alarm before: suspend does not record it, resume leaves it muted
    const muted = (
      await aws.cloudwatch.send(
        new DescribeAlarmsCommand({ AlarmNames: [TTFT] }),
      )
    ).MetricAlarms!;
    await setAlarmActions(aws, muted, false);
    const before = await actionsEnabled();
    expect(before).toEqual({
      ...Object.fromEntries(FIVE.map(n => [n, true])),
      [TTFT]: false,
    });
    const base = await env.state();

    const s = await run(actions.suspend, target);
    expect([...s.alarmsDisabled].sort()).toEqual(FIVE);
    expect(await suspendedAlarmsTag()).toBe(
      'tokens errors invocations latency throttles',
    );
    await run(actions.resume, target);
    expect(await actionsEnabled()).toEqual(before);
    expect(await env.state()).toEqual(base);

    // unmuted: the ttft alarm is recorded, turned off and restored with the others
    await setAlarmActions(
      aws,
      (
        await aws.cloudwatch.send(
          new DescribeAlarmsCommand({ AlarmNames: [TTFT] }),
        )
      ).MetricAlarms!,
      true,
    );
    const all = await actionsEnabled();
    const s2 = await run(actions.suspend, target);
    expect([...s2.alarmsDisabled].sort()).toEqual([...FIVE, TTFT].sort());
    expect(await suspendedAlarmsTag()).toBe(
      'tokens errors invocations latency throttles ttft',
    );
    expect(await actionsEnabled()).toEqual(
      Object.fromEntries([...FIVE, TTFT].map(n => [n, false])),
    );
    const r2 = await run(actions.resume, target);
    expect([...r2.alarmsEnabled].sort()).toEqual([...FIVE, TTFT].sort());
    expect(await actionsEnabled()).toEqual(all);
    expect(Object.values(all).every(Boolean)).toBe(true);
  });
});
