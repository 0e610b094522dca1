/**
 * Integration tests: the real SDK clients against moto (plus the test-only stand-in for the
 * inference-profile API moto lacks), read back through the AWS APIs and moto's data dump.
 */
import { GetModelInvocationLoggingConfigurationCommand } from '@aws-sdk/client-bedrock';
import {
  DescribeBudgetCommand,
  DescribeNotificationsForBudgetCommand,
} from '@aws-sdk/client-budgets';
import {
  DescribeAlarmsCommand,
  GetDashboardCommand,
  ListTagsForResourceCommand as ListAlarmTags,
  type Dimension,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
} from '@aws-sdk/client-iam';
import {
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand as ListTopicTags,
} from '@aws-sdk/client-sns';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  readTenantAnnotations,
  TAG_ENTITY_REF,
  TAG_MANAGED_BY,
  TAG_OWNER,
  TAG_TENANT,
  MANAGED_BY_VALUE,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { AwsClients } from '@bedrock-tenancy/plugin-bedrock-node';
import { buildActions, run } from '../__testUtils__/actions';
import {
  ACCOUNT,
  HAIKU,
  InjectedFailure,
  NOVA_PRO,
  REGION,
  SONNET,
  startTestEnv,
  TestEnv,
  testConfig,
} from '../__testUtils__/testEnv';
import { parsePolicy } from './policies';
import { readAlarms, setAlarmActions } from './resources/alarms';
import { tenantNames } from './naming';

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

const input = (patch: Record<string, unknown> = {}) => ({
  tenantId: 'shop-bot',
  accountId: ACCOUNT,
  region: REGION,
  owner: 'group:default/team-shop',
  models: [HAIKU, NOVA_PRO],
  monthlyBudgetUsd: 300,
  thresholds: { tokensPerHour: 50_000 },
  notificationEmails: ['Oncall@Example.com', 'finops@example.com'],
  ...patch,
});
const mutations = () => env.calls.filter(c => c.mutating);
const tagsOf = (list: Array<{ Key?: string; Value?: string }> | undefined) =>
  Object.fromEntries((list ?? []).map(t => [t.Key, t.Value]));
const TENANT_TAGS = {
  [TAG_TENANT]: 'shop-bot',
  [TAG_OWNER]: 'group:default/team-shop',
  // the backend rebuilds the tenant's binding from this tag
  [TAG_ENTITY_REF]: 'component:default/shop-bot',
  [TAG_MANAGED_BY]: MANAGED_BY_VALUE,
};

describe('bedrock:tenant:create', () => {
  it('creates every resource with the documented names, policies, alarms, budget and tags', async () => {
    const out = await run(actions.create, input());
    const profiles = [...env.bedrock.profiles.values()];
    expect(
      profiles.map(p => [p.inferenceProfileName, p.copyFrom]).sort(),
    ).toEqual([
      [
        expect.stringMatching(/^shop-bot-amazon-nova-pro-v1-0-[0-9a-f]{8}$/),
        `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/us.${NOVA_PRO}`,
      ],
      [
        expect.stringMatching(
          /^shop-bot-anthropic-claude-3-haiku-20240307-v1-0-[0-9a-f]{8}$/,
        ),
        `arn:aws:bedrock:${REGION}::foundation-model/${HAIKU}`,
      ],
    ]);
    for (const p of profiles) {
      expect(Object.fromEntries(p.tags.map(t => [t.key, t.value]))).toEqual(
        TENANT_TAGS,
      );
      expect(p.clientRequestToken).toMatch(/^bt-[0-9a-f]{32}$/);
    }
    const haiku = profiles.find(p => p.copyFrom.includes('haiku'))!;
    const nova = profiles.find(p => p.copyFrom.includes('nova'))!;
    const profileArns = [haiku.inferenceProfileArn, nova.inferenceProfileArn];

    // outputs and catalog annotations
    expect(out.roleArn).toBe(
      `arn:aws:iam::${ACCOUNT}:role/bedrock-tenant-shop-bot`,
    );
    expect(out.topicArn).toBe(
      `arn:aws:sns:${REGION}:${ACCOUNT}:bedrock-shop-bot-alerts`,
    );
    expect(out.inferenceProfiles).toEqual([
      {
        modelId: HAIKU,
        name: haiku.inferenceProfileName,
        profileId: haiku.inferenceProfileId,
        profileArn: haiku.inferenceProfileArn,
      },
      {
        modelId: NOVA_PRO,
        name: nova.inferenceProfileName,
        profileId: nova.inferenceProfileId,
        profileArn: nova.inferenceProfileArn,
      },
    ]);
    const read = readTenantAnnotations({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'shop-bot', annotations: out.annotations },
    });
    expect(read).toEqual({
      kind: 'ok',
      tenant: {
        tenantId: 'shop-bot',
        accountId: ACCOUNT,
        regions: [REGION],
        attribution: 'inference-profile',
        inferenceProfiles: {
          [haiku.inferenceProfileId]: HAIKU,
          [nova.inferenceProfileId]: NOVA_PRO,
        },
        principalArns: [],
        alarmPrefix: 'bedrock-shop-bot-',
        budgetName: 'bedrock-shop-bot',
      },
    });

    // IAM role: trust policy, invoke policy statement by statement, tags
    const role = await aws.iam.send(
      new GetRoleCommand({ RoleName: 'bedrock-tenant-shop-bot' }),
    );
    expect(parsePolicy(role.Role!.AssumeRolePolicyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'TenantWorkloadsAssumeRole',
          Effect: 'Allow',
          Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`] },
          Action: 'sts:AssumeRole',
        },
      ],
    });
    const inline = await aws.iam.send(
      new GetRolePolicyCommand({
        RoleName: 'bedrock-tenant-shop-bot',
        PolicyName: 'bedrock-tenant-invoke',
      }),
    );
    const statements = (parsePolicy(inline.PolicyDocument) as any).Statement;
    expect(statements[0]).toEqual({
      Sid: 'InvokeTenantInferenceProfiles',
      Effect: 'Allow',
      Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      Resource: profileArns,
    });
    expect(statements[1]).toEqual({
      Sid: 'InvokeModelsOnlyThroughTenantProfiles',
      Effect: 'Allow',
      Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      Resource: [
        `arn:aws:bedrock:${REGION}::foundation-model/${HAIKU}`,
        `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/us.${NOVA_PRO}`,
        `arn:aws:bedrock:*::foundation-model/${NOVA_PRO}`,
      ],
      Condition: { ArnEquals: { 'bedrock:InferenceProfileArn': profileArns } },
    });
    expect(statements[2]).toEqual({
      Sid: 'ReadTenantInferenceProfiles',
      Effect: 'Allow',
      Action: 'bedrock:GetInferenceProfile',
      Resource: profileArns,
    });
    // Priority and Flex allowed by default: the Reserved tier only is denied
    expect(statements[3]).toEqual({
      Sid: 'DenyServiceTiersNotAllowed',
      Effect: 'Deny',
      Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      Resource: '*',
      Condition: { StringEquals: { 'bedrock:ServiceTier': ['reserved'] } },
    });
    expect(statements).toHaveLength(4);
    expect(
      tagsOf(
        (
          await aws.iam.send(
            new ListRoleTagsCommand({ RoleName: 'bedrock-tenant-shop-bot' }),
          )
        ).Tags,
      ),
    ).toEqual({
      ...TENANT_TAGS,
      // what the backend rebuilds a binding without profiles from
      'bedrock-tenancy:attribution': 'inference-profile',
      'bedrock-tenancy:regions': REGION,
    });

    // SNS topic: tags, policy, e-mail subscriptions (lower-cased)
    const topicArn = out.topicArn;
    expect(
      tagsOf(
        (await aws.sns.send(new ListTopicTags({ ResourceArn: topicArn }))).Tags,
      ),
    ).toEqual(TENANT_TAGS);
    const attrs = await aws.sns.send(
      new GetTopicAttributesCommand({ TopicArn: topicArn }),
    );
    const topicPolicy = parsePolicy(attrs.Attributes!.Policy) as any;
    expect(topicPolicy.Statement.map((s: any) => [s.Sid, s.Principal])).toEqual(
      [
        ['AccountOwnerAccess', { AWS: `arn:aws:iam::${ACCOUNT}:root` }],
        ['TenantAlarmsPublish', { Service: 'cloudwatch.amazonaws.com' }],
        ['TenantBudgetPublish', { Service: 'budgets.amazonaws.com' }],
      ],
    );
    expect(topicPolicy.Statement[1].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': ACCOUNT },
      ArnLike: {
        'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:bedrock-shop-bot-*`,
      },
    });
    const subs = await aws.sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }),
    );
    expect(
      subs.Subscriptions!.map(s => [s.Protocol, s.Endpoint]).sort(),
    ).toEqual([
      ['email', 'finops@example.com'],
      ['email', 'oncall@example.com'],
    ]);

    // alarms: names, thresholds, metrics on the profile ids, actions, tags
    const alarms = (
      await aws.cloudwatch.send(
        new DescribeAlarmsCommand({ AlarmNamePrefix: 'bedrock-shop-bot-' }),
      )
    ).MetricAlarms!;
    const byName = Object.fromEntries(alarms.map(a => [a.AlarmName, a]));
    expect(Object.keys(byName).sort()).toEqual([
      'bedrock-shop-bot-errors',
      'bedrock-shop-bot-invocations',
      'bedrock-shop-bot-latency',
      'bedrock-shop-bot-throttles',
      'bedrock-shop-bot-tokens',
    ]);
    const expected: Record<string, [number, number, string[], string, string]> =
      {
        'bedrock-shop-bot-tokens': [
          50_000,
          3600,
          ['InputTokenCount', 'OutputTokenCount'],
          'Sum',
          'SUM',
        ],
        'bedrock-shop-bot-errors': [
          10,
          300,
          ['InvocationClientErrors', 'InvocationServerErrors'],
          'Sum',
          'SUM',
        ],
        'bedrock-shop-bot-invocations': [
          1000,
          3600,
          ['Invocations'],
          'Sum',
          'SUM',
        ],
        'bedrock-shop-bot-latency': [
          10_000,
          300,
          ['InvocationLatency'],
          'Average',
          'MAX',
        ],
        'bedrock-shop-bot-throttles': [
          0,
          300,
          ['InvocationThrottles'],
          'Sum',
          'SUM',
        ],
      };
    for (const [
      name,
      [threshold, period, metricNames, stat, fn],
    ] of Object.entries(expected)) {
      const a = byName[name];
      expect(a.Threshold).toBe(threshold);
      expect(a.ComparisonOperator).toBe('GreaterThanThreshold');
      expect(a.ActionsEnabled).toBe(true);
      expect(a.AlarmActions).toEqual([topicArn]);
      expect(a.TreatMissingData).toBe('notBreaching');
      const stats = a.Metrics!.filter((m: MetricDataQuery) => m.MetricStat);
      expect(stats).toHaveLength(2 * metricNames.length);
      for (const m of stats) {
        expect(m.MetricStat!.Metric!.Namespace).toBe('AWS/Bedrock');
        expect(metricNames).toContain(m.MetricStat!.Metric!.MetricName);
        expect(m.MetricStat!.Period).toBe(period);
        expect(m.MetricStat!.Stat).toBe(stat);
        expect(m.ReturnData).toBe(false);
      }
      expect(
        stats
          .map((m: MetricDataQuery) => m.MetricStat!.Metric!.Dimensions![0])
          .map((d: Dimension) => [d.Name, d.Value])
          .sort(),
      ).toEqual(
        [haiku, nova]
          .flatMap(p =>
            metricNames.map(() => ['ModelId', p.inferenceProfileId]),
          )
          .sort(),
      );
      const expr = a.Metrics!.find((m: MetricDataQuery) => m.Expression)!;
      expect(expr.Expression).toBe(
        `${fn}([${stats.map((m: MetricDataQuery) => m.Id).join(',')}])`,
      );
      expect(expr.ReturnData).toBe(true);
      expect(
        tagsOf(
          (
            await aws.cloudwatch.send(
              new ListAlarmTags({ ResourceARN: a.AlarmArn }),
            )
          ).Tags,
        ),
      ).toEqual(TENANT_TAGS);
    }

    // dashboard: widgets on the profile ids and a Logs Insights widget on the profile ARNs
    const dash = JSON.parse(
      (
        await aws.cloudwatch.send(
          new GetDashboardCommand({ DashboardName: 'bedrock-shop-bot' }),
        )
      ).DashboardBody!,
    );
    const titles = dash.widgets
      .map((w: any) => w.properties.title)
      .filter(Boolean);
    expect(titles).toEqual([
      'Invocations',
      'Tokens in / out',
      'Latency (ms, average)',
      'Client / server errors',
      'Throttles',
      'Invocations by caller and model (invocation logs)',
    ]);
    expect(dash.widgets[1].properties.metrics.map((m: any[]) => m[3])).toEqual([
      haiku.inferenceProfileId,
      nova.inferenceProfileId,
    ]);
    const logWidget = dash.widgets.find((w: any) => w.type === 'log');
    expect(logWidget.properties.query).toContain(
      `SOURCE '/aws/bedrock/modelinvocations'`,
    );
    expect(logWidget.properties.query).toContain(
      `filter modelId in ["${haiku.inferenceProfileArn}", "${nova.inferenceProfileArn}"]`,
    );

    // budget: limit, tenant cost-allocation tag filter, 4 notifications to the topic
    const budget = (
      await aws.budgets.send(
        new DescribeBudgetCommand({
          AccountId: ACCOUNT,
          BudgetName: 'bedrock-shop-bot',
        }),
      )
    ).Budget!;
    expect(Number(budget.BudgetLimit!.Amount)).toBe(300);
    expect(budget.TimeUnit).toBe('MONTHLY');
    expect(budget.BudgetType).toBe('COST');
    expect(budget.CostFilters).toEqual({
      TagKeyValue: ['user:bedrock-tenancy:tenant$shop-bot'],
    });
    const notes = await aws.budgets.send(
      new DescribeNotificationsForBudgetCommand({
        AccountId: ACCOUNT,
        BudgetName: 'bedrock-shop-bot',
      }),
    );
    expect(
      notes
        .Notifications!.map(
          n =>
            `${n.NotificationType} ${n.ComparisonOperator} ${n.Threshold} ${n.ThresholdType}`,
        )
        .sort(),
    ).toEqual([
      'ACTUAL GREATER_THAN 100 PERCENTAGE',
      'ACTUAL GREATER_THAN 50 PERCENTAGE',
      'ACTUAL GREATER_THAN 80 PERCENTAGE',
      'FORECASTED GREATER_THAN 100 PERCENTAGE',
    ]);
    const data = (await (
      await fetch(`${env.moto.endpoint}/moto-api/data.json`)
    ).json()) as any;
    for (const n of data.budgets.Notification) {
      expect(n.subscribers).toEqual([
        { SubscriptionType: 'SNS', Address: topicArn },
      ]);
    }
  });

  it('is idempotent: a second run changes nothing, makes no mutating call and gives the same outputs', async () => {
    const first = await run(actions.create, input());
    const state = await env.state();
    env.calls.length = 0;
    const second = await run(actions.create, input());
    expect(mutations()).toEqual([]);
    expect(second).toEqual(first);
    expect(await env.state()).toEqual(state);
  });

  it('dry run leaves the emulator untouched and only reads', async () => {
    await run(actions.create, input({ tenantId: 'other-bot' }));
    const state = await env.state();
    const dump = await env.motoDump();
    env.calls.length = 0;
    const out = await run(actions.create, input(), { dryRun: true });
    expect(env.calls.length).toBeGreaterThan(0);
    expect(mutations()).toEqual([]);
    expect(await env.state()).toEqual(state);
    expect(await env.motoDump()).toEqual(dump);
    expect(out.plan.role.invokePolicy.Statement).toHaveLength(4);
  });

  it('resumes after a failure at every mutating step and ends exactly like a clean run', async () => {
    const clean = await run(actions.create, input());
    const cleanState = await env.state();
    const steps = mutations().map(c => `${c.service}:${c.command}`);
    expect(steps.length).toBeGreaterThanOrEqual(15);
    for (let n = 1; n <= steps.length; n++) {
      await env.reset();
      env.failAtMutation = n;
      await expect(run(actions.create, input())).rejects.toThrow(
        InjectedFailure,
      );
      const rerun = await run(actions.create, input());
      expect({ step: steps[n - 1], outputs: rerun }).toEqual({
        step: steps[n - 1],
        outputs: clean,
      });
      expect({ step: steps[n - 1], state: await env.state() }).toEqual({
        step: steps[n - 1],
        state: cleanState,
      });
    }
  });

  it('refuses with a ConflictError and changes nothing when a resource belongs to another tenant', async () => {
    await aws.iam.send(
      new CreateRoleCommand({
        RoleName: 'bedrock-tenant-shop-bot',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [],
        }),
        Tags: [
          { Key: TAG_TENANT, Value: 'someone-else' },
          { Key: TAG_MANAGED_BY, Value: MANAGED_BY_VALUE },
        ],
      }),
    );
    const state = await env.state();
    const dump = await env.motoDump();
    env.calls.length = 0;
    const p = run(actions.create, input());
    await expect(p).rejects.toThrow(ConflictError);
    await expect(p).rejects.toThrow(
      /role bedrock-tenant-shop-bot exists but is tagged for tenant "someone-else"/,
    );
    expect(mutations()).toEqual([]);
    expect(await env.state()).toEqual(state);
    expect(await env.motoDump()).toEqual(dump);
  });

  it('refuses a profile name taken by an untagged profile', async () => {
    await run(actions.create, input());
    const haiku = [...env.bedrock.profiles.values()].find(p =>
      p.copyFrom.includes('haiku'),
    )!;
    haiku.tags = [];
    env.calls.length = 0;
    await expect(run(actions.create, input())).rejects.toThrow(
      /inference profile .* no tenant of this suite/,
    );
    expect(mutations()).toEqual([]);
  });
});

describe('bedrock:tenant:update', () => {
  it('converges models, thresholds and subscribers, adding and removing what differs', async () => {
    await run(actions.create, input({ models: [HAIKU] }));
    const before = [...env.bedrock.profiles.values()];
    const out = await run(
      actions.update,
      input({
        models: [SONNET, NOVA_PRO],
        thresholds: { tokensPerHour: 75_000, latencyMs: 4000 },
        notificationEmails: ['finops@example.com', 'new@example.com'],
      }),
    );
    const after = [...env.bedrock.profiles.values()];
    expect(after.map(p => p.copyFrom).sort()).toEqual(
      [
        `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/us.${NOVA_PRO}`,
        `arn:aws:bedrock:${REGION}::foundation-model/${SONNET}`,
      ].sort(),
    );
    expect(
      after.some(p => p.inferenceProfileArn === before[0].inferenceProfileArn),
    ).toBe(false);
    const inline = await aws.iam.send(
      new GetRolePolicyCommand({
        RoleName: 'bedrock-tenant-shop-bot',
        PolicyName: 'bedrock-tenant-invoke',
      }),
    );
    expect(
      (parsePolicy(inline.PolicyDocument) as any).Statement[0].Resource,
    ).toEqual(out.inferenceProfiles.map((p: any) => p.profileArn));
    const alarms = (
      await aws.cloudwatch.send(
        new DescribeAlarmsCommand({ AlarmNamePrefix: 'bedrock-shop-bot-' }),
      )
    ).MetricAlarms!;
    const tokens = alarms.find(a => a.AlarmName === 'bedrock-shop-bot-tokens')!;
    expect(tokens.Threshold).toBe(75_000);
    expect(
      new Set(
        tokens
          .Metrics!.filter(m => m.MetricStat)
          .map(m => m.MetricStat!.Metric!.Dimensions![0].Value),
      ),
    ).toEqual(new Set(out.inferenceProfiles.map((p: any) => p.profileId)));
    expect(
      alarms.find(a => a.AlarmName === 'bedrock-shop-bot-latency')!.Threshold,
    ).toBe(4000);
    const subs = await aws.sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: out.topicArn }),
    );
    expect(subs.Subscriptions!.map(s => s.Endpoint).sort()).toEqual([
      'finops@example.com',
      'new@example.com',
    ]);
    expect(out.annotations['bedrock-tenancy.io/inference-profiles']).toBe(
      out.inferenceProfiles
        .map((p: any) => `${p.profileId}=${p.modelId}`)
        .join(','),
    );

    env.calls.length = 0;
    const again = await run(
      actions.update,
      input({
        models: [SONNET, NOVA_PRO],
        thresholds: { tokensPerHour: 75_000, latencyMs: 4000 },
        notificationEmails: ['finops@example.com', 'new@example.com'],
      }),
    );
    expect(mutations()).toEqual([]);
    expect(again).toEqual(out);
  });

  it('resumes after a failure at every mutating step of an update', async () => {
    const before = input({ models: [HAIKU] });
    const after = input({
      models: [SONNET],
      monthlyBudgetUsd: 300,
      thresholds: { tokensPerHour: 60_000 },
      notificationEmails: ['new@example.com'],
    });
    await run(actions.create, before);
    env.calls.length = 0;
    const clean = await run(actions.update, after);
    const cleanState = await env.state();
    const steps = mutations().map(c => `${c.service}:${c.command}`);
    expect(steps.length).toBeGreaterThanOrEqual(8);
    for (let n = 1; n <= steps.length; n++) {
      await env.reset();
      await run(actions.create, before);
      env.failAtMutation = n;
      await expect(run(actions.update, after)).rejects.toThrow(InjectedFailure);
      expect({
        step: steps[n - 1],
        outputs: await run(actions.update, after),
      }).toEqual({ step: steps[n - 1], outputs: clean });
      expect({ step: steps[n - 1], state: await env.state() }).toEqual({
        step: steps[n - 1],
        state: cleanState,
      });
    }
  });

  it('is a NotFoundError for a tenant that does not exist, with no change', async () => {
    await expect(run(actions.update, input())).rejects.toThrow(NotFoundError);
    expect(mutations()).toEqual([]);
  });
});

describe('bedrock:tenant:suspend and resume', () => {
  it('blocks invocations, turns off alarm actions, records it, and resume restores exactly that', async () => {
    await run(actions.create, input());
    // an operator muted one alarm before: resume must leave it muted
    const latency = (
      await aws.cloudwatch.send(
        new DescribeAlarmsCommand({ AlarmNames: ['bedrock-shop-bot-latency'] }),
      )
    ).MetricAlarms!;
    await setAlarmActions(aws, latency, false);
    const enabled = async () =>
      Object.fromEntries(
        (
          (
            await aws.cloudwatch.send(
              new DescribeAlarmsCommand({
                AlarmNamePrefix: 'bedrock-shop-bot-',
              }),
            )
          ).MetricAlarms ?? []
        ).map(a => [a.AlarmName, a.ActionsEnabled]),
      );
    const before = await enabled();

    const s = await run(actions.suspend, {
      tenantId: 'shop-bot',
      accountId: ACCOUNT,
      region: REGION,
    });
    expect(s.alarmsDisabled.sort()).toEqual([
      'bedrock-shop-bot-errors',
      'bedrock-shop-bot-invocations',
      'bedrock-shop-bot-throttles',
      'bedrock-shop-bot-tokens',
    ]);
    expect(Object.values(await enabled())).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    const deny = await aws.iam.send(
      new GetRolePolicyCommand({
        RoleName: 'bedrock-tenant-shop-bot',
        PolicyName: 'bedrock-tenancy-suspended',
      }),
    );
    expect(parsePolicy(deny.PolicyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'TenantSuspended',
          Effect: 'Deny',
          Action: 'bedrock:*',
          Resource: '*',
        },
      ],
    });
    const tags = tagsOf(
      (
        await aws.iam.send(
          new ListRoleTagsCommand({ RoleName: 'bedrock-tenant-shop-bot' }),
        )
      ).Tags,
    );
    expect(tags['bedrock-tenancy:suspended-alarms']).toBe(
      'tokens errors invocations throttles',
    );
    // a hand suspension names the person: budget enforcement never resumes it
    expect(tags['bedrock-tenancy:suspended-by']).toBe('user:default/tester');

    env.calls.length = 0;
    await run(actions.suspend, {
      tenantId: 'shop-bot',
      accountId: ACCOUNT,
      region: REGION,
    });
    expect(mutations()).toEqual([]);
    await expect(run(actions.update, input())).rejects.toThrow(/suspended/);
    expect(mutations()).toEqual([]);

    const r = await run(actions.resume, {
      tenantId: 'shop-bot',
      accountId: ACCOUNT,
      region: REGION,
    });
    expect(r.alarmsEnabled.sort()).toEqual(s.alarmsDisabled.sort());
    expect(await enabled()).toEqual(before);
    const policies = await aws.iam.send(
      new ListRolePoliciesCommand({ RoleName: 'bedrock-tenant-shop-bot' }),
    );
    expect(policies.PolicyNames).toEqual(['bedrock-tenant-invoke']);
    const after = tagsOf(
      (
        await aws.iam.send(
          new ListRoleTagsCommand({ RoleName: 'bedrock-tenant-shop-bot' }),
        )
      ).Tags,
    );
    expect(after).toEqual({
      ...TENANT_TAGS,
      'bedrock-tenancy:attribution': 'inference-profile',
      'bedrock-tenancy:regions': REGION,
    });

    env.calls.length = 0;
    await run(actions.resume, {
      tenantId: 'shop-bot',
      accountId: ACCOUNT,
      region: REGION,
    });
    expect(mutations()).toEqual([]);
  });

  it('suspend resumes after failing at each step', async () => {
    await run(actions.create, input());
    const target = { tenantId: 'shop-bot', accountId: ACCOUNT, region: REGION };
    const base = await env.state();
    env.calls.length = 0;
    await run(actions.suspend, target);
    const suspended = await env.state();
    const steps = mutations().length;
    await run(actions.resume, target);
    expect(await env.state()).toEqual(base);
    for (let n = 1; n <= steps; n++) {
      env.failAtMutation = n;
      await expect(run(actions.suspend, target)).rejects.toThrow(
        InjectedFailure,
      );
      await run(actions.suspend, target);
      expect(await env.state()).toEqual(suspended);
      await run(actions.resume, target);
      expect(await env.state()).toEqual(base);
    }
  });
});

describe('bedrock:tenant:delete', () => {
  it('removes every resource of the tenant and nothing of the logging setup or of another tenant', async () => {
    await run(actions.logging, { accountId: ACCOUNT, region: REGION });
    // shop-bot-2's alarm names start with shop-bot's alarm prefix: only tags tell them apart
    await run(actions.create, input({ tenantId: 'shop-bot-2' }));
    const untouched = await env.state();
    await run(actions.create, input());
    await run(actions.suspend, {
      tenantId: 'shop-bot',
      accountId: ACCOUNT,
      region: REGION,
    });

    const out = await run(actions.delete, {
      tenantId: 'shop-bot',
      accountId: ACCOUNT,
      region: REGION,
      confirm: 'shop-bot',
    });
    expect(out.deleted).toEqual(
      expect.arrayContaining([
        'budget bedrock-shop-bot',
        'alarm bedrock-shop-bot-tokens in us-east-1',
        'dashboard bedrock-shop-bot',
        `topic arn:aws:sns:${REGION}:${ACCOUNT}:bedrock-shop-bot-alerts`,
        'role bedrock-tenant-shop-bot',
      ]),
    );
    expect(
      out.deleted.filter((d: string) => d.startsWith('inference profile')),
    ).toHaveLength(2);
    expect(await env.state()).toEqual(untouched);

    env.calls.length = 0;
    const again = await run(actions.delete, {
      tenantId: 'shop-bot',
      accountId: ACCOUNT,
      region: REGION,
      confirm: 'shop-bot',
    });
    expect(again.deleted).toEqual([]);
    expect(mutations()).toEqual([]);
  });

  it('resumes after failing at each step', async () => {
    const target = {
      tenantId: 'shop-bot',
      accountId: ACCOUNT,
      region: REGION,
      confirm: 'shop-bot',
    };
    const empty = await env.state();
    await run(actions.create, input());
    env.calls.length = 0;
    await run(actions.delete, target);
    const steps = mutations().length;
    expect(await env.state()).toEqual(empty);
    for (let n = 1; n <= steps; n++) {
      await run(actions.create, input());
      env.failAtMutation = n;
      await expect(run(actions.delete, target)).rejects.toThrow(
        InjectedFailure,
      );
      await run(actions.delete, target);
      expect(await env.state()).toEqual(empty);
    }
  });
});

describe("tenants checkout and checkout-assistant in one account and region: checkout's alarm prefix starts every alarm name of checkout-assistant", () => {
  const target = (tenantId: string) => ({
    tenantId,
    accountId: ACCOUNT,
    region: REGION,
  });
  const KINDS = ['errors', 'invocations', 'latency', 'throttles', 'tokens'];
  const CHECKOUT = KINDS.map(k => `bedrock-checkout-${k}`);
  const ASSISTANT = KINDS.map(k => `bedrock-checkout-assistant-${k}`);
  /** alarm name to ActionsEnabled, for every alarm of both tenants */
  const actionsEnabled = async () =>
    Object.fromEntries(
      (
        (
          await aws.cloudwatch.send(
            new DescribeAlarmsCommand({ AlarmNamePrefix: 'bedrock-checkout-' }),
          )
        ).MetricAlarms ?? []
      ).map(a => [a.AlarmName, a.ActionsEnabled]),
    );
  const each = (names: string[], enabled: boolean) =>
    Object.fromEntries(names.map(n => [n, enabled]));

  it("converges checkout without touching checkout-assistant's alarms", async () => {
    await run(actions.create, input({ tenantId: 'checkout-assistant' }));
    await run(actions.create, input({ tenantId: 'checkout' }));
    expect(Object.keys(await actionsEnabled()).sort()).toEqual(
      [...ASSISTANT, ...CHECKOUT].sort(),
    );
    // checkout's inventory: its own alarms, none of checkout-assistant's
    expect(
      (await readAlarms(aws, tenantNames('checkout'), 'checkout'))
        .map(a => a.AlarmName)
        .sort(),
    ).toEqual(CHECKOUT);
    env.calls.length = 0;
    await run(actions.update, input({ tenantId: 'checkout' }));
    expect(mutations()).toEqual([]);
  });

  it("suspending checkout turns off only checkout's alarm actions, resuming it turns on only those", async () => {
    await run(actions.create, input({ tenantId: 'checkout-assistant' }));
    await run(actions.create, input({ tenantId: 'checkout' }));

    const s = await run(actions.suspend, target('checkout'));
    expect([...s.alarmsDisabled].sort()).toEqual(CHECKOUT);
    expect(await actionsEnabled()).toEqual({
      ...each(CHECKOUT, false),
      ...each(ASSISTANT, true),
    });

    // checkout-assistant suspended too: resuming checkout must leave its alarms off
    await run(actions.suspend, target('checkout-assistant'));
    const r = await run(actions.resume, target('checkout'));
    expect([...r.alarmsEnabled].sort()).toEqual(CHECKOUT);
    expect(await actionsEnabled()).toEqual({
      ...each(CHECKOUT, true),
      ...each(ASSISTANT, false),
    });
    await run(actions.resume, target('checkout-assistant'));
    expect(await actionsEnabled()).toEqual({
      ...each(CHECKOUT, true),
      ...each(ASSISTANT, true),
    });
  });

  it("deleting checkout removes none of checkout-assistant's alarms", async () => {
    await run(actions.create, input({ tenantId: 'checkout-assistant' }));
    const untouched = await env.state();
    await run(actions.create, input({ tenantId: 'checkout' }));
    const out = await run(actions.delete, {
      ...target('checkout'),
      confirm: 'checkout',
    });
    expect(
      out.deleted.filter((d: string) => d.startsWith('alarm ')).sort(),
    ).toEqual(CHECKOUT.map(n => `alarm ${n} in ${REGION}`));
    expect(Object.keys(await actionsEnabled()).sort()).toEqual(ASSISTANT);
    expect(await env.state()).toEqual(untouched);
  });
});

describe('bedrock:logging:ensure', () => {
  it('creates the log group, bucket, role and configuration, idempotently', async () => {
    const out = await run(actions.logging, {
      accountId: ACCOUNT,
      region: REGION,
    });
    const conf = await aws.bedrock.send(
      new GetModelInvocationLoggingConfigurationCommand({}),
    );
    expect(conf.loggingConfig).toMatchObject({
      cloudWatchConfig: {
        logGroupName: '/aws/bedrock/modelinvocations',
        roleArn: out.roleArn,
        largeDataDeliveryS3Config: {
          bucketName: out.bucketName,
          keyPrefix: 'bedrock-logs',
        },
      },
      s3Config: { bucketName: out.bucketName, keyPrefix: 'bedrock-logs' },
      textDataDeliveryEnabled: false,
      imageDataDeliveryEnabled: false,
      embeddingDataDeliveryEnabled: false,
    });
    const state = await env.state();
    env.calls.length = 0;
    expect(
      await run(actions.logging, { accountId: ACCOUNT, region: REGION }),
    ).toEqual(out);
    expect(mutations()).toEqual([]);
    expect(await env.state()).toEqual(state);
  });
});
