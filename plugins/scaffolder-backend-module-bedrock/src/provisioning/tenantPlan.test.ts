import { bindingOfPlan } from '../bindings/record';
import { ACCOUNT, HAIKU, NOVA_PRO, testConfig } from '../__testUtils__/testEnv';
import { parseTenantSpec } from './inputs';
import { buildTenantPlan } from './regionsPlan';
import { pricedModelId } from './tenantPlan';

const SONNET_45 = 'anthropic.claude-sonnet-4-5-20250929-v1:0';

describe('pricedModelId', () => {
  it('prices a copy of a global cross-Region profile as global, any other as the base model', () => {
    expect(
      pricedModelId({
        modelId: SONNET_45,
        copyFrom: `arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.${SONNET_45}`,
      }),
    ).toBe(`global.${SONNET_45}`);
    expect(
      pricedModelId({
        modelId: SONNET_45,
        copyFrom: `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${SONNET_45}`,
      }),
    ).toBe(SONNET_45);
    expect(
      pricedModelId({
        modelId: SONNET_45,
        copyFrom: `arn:aws:bedrock:us-east-1::foundation-model/${SONNET_45}`,
      }),
    ).toBe(SONNET_45);
  });

  it('is what the annotations and the binding of a global-profile tenant say', () => {
    const base = testConfig();
    const cfg = {
      ...base,
      models: [
        ...base.models,
        {
          id: SONNET_45,
          copyFrom: `arn:aws:bedrock:{region}:{accountId}:inference-profile/global.${SONNET_45}`,
        },
      ],
    };
    const spec = parseTenantSpec(cfg, {
      tenantId: 'global-bot',
      accountId: base.accounts[0],
      region: 'us-east-1',
      owner: 'group:default/team-a',
      models: [SONNET_45],
      notificationEmails: ['a@example.com'],
    });
    const plan = buildTenantPlan(spec, cfg, {
      'us-east-1': { [SONNET_45]: { id: 'abc123', arn: 'arn:x/abc123' } },
    });
    expect(plan.annotations['bedrock-tenancy.io/inference-profiles']).toBe(
      `abc123=global.${SONNET_45}`,
    );
    expect(
      bindingOfPlan(plan, {
        entityRef: 'component:default/global-bot',
        owner: 'group:default/team-a',
      }).inferenceProfiles,
    ).toEqual({ abc123: `global.${SONNET_45}` });
  });
});

describe('the optional time-to-first-token alarm', () => {
  const cfg = testConfig();
  const spec = (thresholds?: Record<string, unknown>) =>
    parseTenantSpec(cfg, {
      tenantId: 'shop-bot',
      accountId: ACCOUNT,
      regions: ['us-east-1', 'us-west-2'],
      owner: 'group:default/team-shop',
      models: [HAIKU, NOVA_PRO],
      notificationEmails: ['a@example.com'],
      ...(thresholds && { thresholds }),
    });
  const existing = {
    'us-east-1': {
      [HAIKU]: { id: 'haiku1', arn: 'arn:x/haiku1' },
      [NOVA_PRO]: { id: 'nova1', arn: 'arn:x/nova1' },
    },
    'us-west-2': {
      [HAIKU]: { id: 'haiku2', arn: 'arn:x/haiku2' },
      [NOVA_PRO]: { id: 'nova2', arn: 'arn:x/nova2' },
    },
  };
  const BASE_KINDS = [
    'tokens',
    'errors',
    'invocations',
    'latency',
    'throttles',
  ];

  it('is not planned without thresholds.ttftMs: the five alarms as before, in every region', () => {
    for (const s of [spec(), spec({ latencyMs: 4000 }), spec({ ttftMs: '' })]) {
      expect(s.thresholds.ttftMs).toBeUndefined();
      const plan = buildTenantPlan(s, cfg, existing);
      for (const r of plan.regional) {
        expect(r.alarms.map(a => a.kind)).toEqual(BASE_KINDS);
        expect(r.alarms.map(a => a.name)).toEqual(
          BASE_KINDS.map(k => `bedrock-shop-bot-${k}`),
        );
      }
    }
  });

  it('with thresholds.ttftMs, is an alarm on the average TimeToFirstToken of each profile, the worst one over the threshold, in every region', () => {
    const plan = buildTenantPlan(spec({ ttftMs: 2500 }), cfg, existing);
    expect(plan.regional.map(r => r.region)).toEqual([
      'us-east-1',
      'us-west-2',
    ]);
    const ids = {
      'us-east-1': ['haiku1', 'nova1'],
      'us-west-2': ['haiku2', 'nova2'],
    };
    for (const r of plan.regional) {
      expect(r.alarms.map(a => a.kind)).toEqual([...BASE_KINDS, 'ttft']);
      const ttft = r.alarms.find(a => a.kind === 'ttft')!;
      const latency = r.alarms.find(a => a.kind === 'latency')!;
      expect(ttft.name).toBe('bedrock-shop-bot-ttft');
      expect(ttft.threshold).toBe(2500);
      expect(ttft.periodSeconds).toBe(300);
      expect(ttft.description).toBe(
        'Average time to first token of a model over 2500 ms',
      );
      const profileIds = ids[r.region as keyof typeof ids];
      expect(ttft.metrics).toEqual([
        ...profileIds.map((pid, i) => ({
          Id: `m${i}x0`,
          ReturnData: false,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/Bedrock',
              MetricName: 'TimeToFirstToken',
              Dimensions: [{ Name: 'ModelId', Value: pid }],
            },
            Period: 300,
            Stat: 'Average',
          },
        })),
        {
          Id: 'total',
          Expression: 'MAX([m0x0,m1x0])',
          Label: 'Average time to first token (ms)',
          ReturnData: true,
        },
      ]);
      // built as the latency alarm is: the same queries but the metric name
      expect(
        JSON.stringify(ttft.metrics.slice(0, -1)).replace(
          /TimeToFirstToken/g,
          'InvocationLatency',
        ),
      ).toBe(JSON.stringify(latency.metrics.slice(0, -1)));
      // the other alarms are unchanged by it
      expect(r.alarms.filter(a => a.kind !== 'ttft')).toEqual(
        buildTenantPlan(spec(), cfg, existing).regional.find(
          x => x.region === r.region,
        )!.alarms,
      );
    }
  });

  it.each([
    [0, /thresholds\.ttftMs: at least 1 ms/],
    [-5, /thresholds\.ttftMs: at least 1 ms/],
    [600_001, /thresholds\.ttftMs: at most 600000 ms/],
    ['fast', /thresholds\.ttftMs: Expected number, received string/],
  ])('rejects ttftMs %p with an InputError naming the field', (ttftMs, msg) => {
    let error: unknown;
    try {
      spec({ ttftMs });
    } catch (e) {
      error = e;
    }
    expect((error as Error)?.name).toBe('InputError');
    expect((error as Error).message).toMatch(msg);
  });

  it('accepts the bounds 1 and 600000 ms', () => {
    expect(spec({ ttftMs: 1 }).thresholds.ttftMs).toBe(1);
    expect(spec({ ttftMs: 600_000 }).thresholds.ttftMs).toBe(600_000);
  });
});

describe('the service tiers a tenant may use', () => {
  const cfg = testConfig();
  const spec = (input: Record<string, unknown> = {}) =>
    parseTenantSpec(cfg, {
      tenantId: 'tiers-bot',
      accountId: ACCOUNT,
      region: 'us-east-1',
      owner: 'group:default/team-a',
      models: [HAIKU],
      notificationEmails: ['a@example.com'],
      ...input,
    });
  const deny = (input: Record<string, unknown> = {}, attribution?: string) =>
    buildTenantPlan(
      spec({ ...input, ...(attribution ? { attribution } : {}) }),
      cfg,
      {
        'us-east-1': { [HAIKU]: { id: 'abc123', arn: 'arn:x/abc123' } },
      },
    ).role.invokePolicy.Statement.filter(
      (s: any) => s.Sid === 'DenyServiceTiersNotAllowed',
    );

  it('denies, whatever else grants it, every tier the template did not allow; Standard never', () => {
    const denied = (input: Record<string, unknown>) =>
      deny(input).map(
        (s: any) => s.Condition.StringEquals['bedrock:ServiceTier'],
      );
    expect(denied({})).toEqual([['reserved']]);
    expect(denied({ allowedServiceTiers: ['flex'] })).toEqual([
      ['priority', 'reserved'],
    ]);
    expect(denied({ allowedServiceTiers: [] })).toEqual([
      ['priority', 'flex', 'reserved'],
    ]);
    const [statement] = deny({ allowedServiceTiers: ['priority'] });
    expect(statement).toEqual({
      Sid: 'DenyServiceTiersNotAllowed',
      Effect: 'Deny',
      Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      Resource: '*',
      Condition: {
        StringEquals: { 'bedrock:ServiceTier': ['flex', 'reserved'] },
      },
    });
    // the same in the modes that call models directly
    expect(deny({ allowedServiceTiers: [] }, 'identity')).toHaveLength(1);
  });

  it('refuses a tier it does not know, Reserved, Standard by name, or a tier twice', () => {
    for (const allowedServiceTiers of [
      ['turbo'],
      ['reserved'],
      ['default'],
      ['flex', 'flex'],
    ]) {
      expect(() => spec({ allowedServiceTiers })).toThrow(
        /Invalid input: allowedServiceTiers/,
      );
    }
  });
});
