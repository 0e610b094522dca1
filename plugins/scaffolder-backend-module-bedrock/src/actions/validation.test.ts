import { InputError } from '@backstage/errors';
import { buildActions, run } from '../__testUtils__/actions';
import { noAwsFactory } from '../__testUtils__/noAws';
import {
  ACCOUNT,
  HAIKU,
  NOVA_PRO,
  REGION,
  testConfig,
} from '../__testUtils__/testEnv';

const aws = noAwsFactory();
const factory = aws.factory;
const actions = buildActions(factory, testConfig());

const good = {
  tenantId: 'shop-bot',
  accountId: ACCOUNT,
  region: REGION,
  owner: 'group:default/team-a',
  models: [HAIKU],
  notificationEmails: ['a@example.com'],
};

// Each test judges only its own calls: one failing test must not fail every later one.
beforeEach(() => {
  aws.reset();
});

/** Every test ends here: not one AWS call, not even a credential lookup. */
const expectNoAwsCall = () => aws.expectNone();

describe.each(['create', 'update'] as const)(
  'bedrock:tenant:%s validation',
  name => {
    it.each([
      ['tenantId', { tenantId: 'Shop_Bot' }],
      ['tenantId', { tenantId: 'ab' }],
      ['tenantId', { tenantId: 'a'.repeat(33) }],
      ['tenantId', { tenantId: 'shop--bot' }],
      ['tenantId', { tenantId: 'shop-bot-' }],
      ['accountId', { accountId: '12345' }],
      ['accountId', { accountId: '999999999999' }],
      ['region', { region: 'eu-west-1' }],
      ['region', { region: 'not a region' }],
      ['models', { models: [] }],
      ['models.0', { models: ['openai.gpt-5'] }],
      ['models', { models: [HAIKU, HAIKU] }],
      ['models', { models: [HAIKU, NOVA_PRO, 'a', 'b', 'c'] }],
      ['monthlyBudgetUsd', { monthlyBudgetUsd: 0 }],
      ['monthlyBudgetUsd', { monthlyBudgetUsd: -5 }],
      ['thresholds.tokensPerHour', { thresholds: { tokensPerHour: 0 } }],
      ['thresholds.latencyMs', { thresholds: { latencyMs: -1 } }],
      [
        'thresholds.errorsPer5Minutes',
        { thresholds: { errorsPer5Minutes: -1 } },
      ],
      [
        'thresholds.invocationsPerHour',
        { thresholds: { invocationsPerHour: 0 } },
      ],
      [
        'thresholds.throttlesPer5Minutes',
        { thresholds: { throttlesPer5Minutes: -2 } },
      ],
      ['thresholds', { thresholds: { bogus: 1 } }],
      ['notificationEmails.0', { notificationEmails: ['not-an-email'] }],
      ['notificationEmails', { notificationEmails: [] }],
      ['owner', { owner: '' }],
      ['owner', { owner: 'team;drop' }],
      ['trustPrincipals.0', { trustPrincipals: ['*'] }],
      // the operator's list is a ceiling
      [
        'trustPrincipals',
        { trustPrincipals: ['arn:aws:iam::999999999999:root'] },
      ],
    ])(
      'rejects a bad %s with an InputError naming it, before any AWS call',
      async (field, patch) => {
        const p = run(actions[name], { ...good, ...patch });
        await expect(p).rejects.toThrow(InputError);
        await expect(p).rejects.toThrow(
          new RegExp(`${field.replace('.', '\\.')}:`),
        );
        expectNoAwsCall();
      },
    );

    it('also rejects bad input in a dry run', async () => {
      await expect(
        run(actions[name], { ...good, tenantId: 'X' }, { dryRun: true }),
      ).rejects.toThrow(/tenantId:/);
      expectNoAwsCall();
    });
  },
);

describe('lifecycle validation', () => {
  const target = { tenantId: 'shop-bot', accountId: ACCOUNT, region: REGION };
  it.each(['suspend', 'resume', 'delete'] as const)(
    '%s rejects bad target fields',
    async name => {
      for (const [field, patch] of [
        ['tenantId', { tenantId: 'BAD' }],
        ['accountId', { accountId: '111111111111' }],
        ['region', { region: 'xx' }],
      ] as const) {
        await expect(
          run(actions[name], { ...target, confirm: 'shop-bot', ...patch }),
        ).rejects.toThrow(new RegExp(`${field}:`));
      }
      expectNoAwsCall();
    },
  );

  it('delete refuses without confirm equal to the tenant id', async () => {
    await expect(
      run(actions.delete, { ...target, confirm: 'other' }),
    ).rejects.toThrow(/confirm:/);
    await expect(run(actions.delete, { ...target })).rejects.toThrow(
      /confirm:/,
    );
    await expect(
      run(actions.delete, { ...target, confirm: 'other' }, { dryRun: true }),
    ).rejects.toThrow(/confirm:/);
    expectNoAwsCall();
  });
});

describe('bedrock:logging:ensure validation', () => {
  const base = { accountId: ACCOUNT, region: REGION };
  it.each([
    ['accountId', { accountId: 'abc' }],
    ['region', { region: 'mars-1' }],
    ['retentionDays', { retentionDays: 31 }],
    ['transitionDays', { transitionDays: 10 }],
    ['expirationDays', { expirationDays: 0 }],
    ['expirationDays', { transitionDays: 60, expirationDays: 40 }],
    ['kmsKeyArn', { kmsKeyArn: 'my-key' }],
  ])('rejects a bad %s', async (field, patch) => {
    await expect(run(actions.logging, { ...base, ...patch })).rejects.toThrow(
      new RegExp(`${field}:`),
    );
    expectNoAwsCall();
  });
});

describe('dry run', () => {
  it('returns the full tenant plan with every name and policy document; AWS unreadable, everything is to create and nothing changes', async () => {
    const out = await run(
      actions.create,
      { ...good, models: [HAIKU, NOVA_PRO] },
      { dryRun: true },
    );
    expect(out.roleName).toBe('bedrock-tenant-shop-bot');
    expect(out.alarmNames).toEqual([
      'bedrock-shop-bot-tokens',
      'bedrock-shop-bot-errors',
      'bedrock-shop-bot-invocations',
      'bedrock-shop-bot-latency',
      'bedrock-shop-bot-throttles',
    ]);
    expect(out.plan.role.trustPolicy.Statement).toHaveLength(1);
    expect(out.plan.role.invokePolicy.Statement.map((s: any) => s.Sid)).toEqual(
      [
        'InvokeTenantInferenceProfiles',
        'InvokeModelsOnlyThroughTenantProfiles',
        'ReadTenantInferenceProfiles',
        // Priority and Flex allowed by default: only the Reserved tier is denied
        'DenyServiceTiersNotAllowed',
      ],
    );
    expect(out.plan.role.invokePolicy.Statement[3].Condition).toEqual({
      StringEquals: { 'bedrock:ServiceTier': ['reserved'] },
    });
    expect(out.plan.topic.policy.Statement).toHaveLength(3);
    expect(out.plan.budget.notifications).toHaveLength(4);
    expect(out.inferenceProfiles.map((p: any) => p.profileId)).toEqual([
      expect.stringMatching(/^<pending:shop-bot-anthropic-claude-3-haiku/),
      expect.stringMatching(/^<pending:shop-bot-amazon-nova-pro/),
    ]);
    // the dry run reads the current state for its diff; here nothing answers
    expect(out.preview.note).toMatch(/^The current state could not be read/);
    expect(out.preview.create.map((e: any) => e.resource)).toContain(
      'application inference profile',
    );
    expect(out.preview.update).toEqual([]);
    expect(aws.calls.filter(c => c.mutating)).toEqual([]);
  });

  it('returns the logging plan without AWS calls', async () => {
    const out = await run(
      actions.logging,
      { accountId: ACCOUNT, region: REGION },
      { dryRun: true },
    );
    expect(out.bucketName).toBe(`bedrock-invocation-logs-${ACCOUNT}-${REGION}`);
    expect(out.plan.loggingConfig.textDataDeliveryEnabled).toBe(false);
    expect(out.plan.bucket.policy.Statement[0].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': ACCOUNT },
      ArnLike: { 'aws:SourceArn': `arn:aws:bedrock:${REGION}:${ACCOUNT}:*` },
    });
    expectNoAwsCall();
  });

  it.each(['suspend', 'resume'] as const)(
    '%s dry run makes no AWS call',
    async name => {
      const out = await run(
        actions[name],
        { tenantId: 'shop-bot', accountId: ACCOUNT, region: REGION },
        { dryRun: true },
      );
      expect(out.roleName).toBe('bedrock-tenant-shop-bot');
      expectNoAwsCall();
    },
  );

  it('delete dry run lists what would go and makes no AWS call', async () => {
    const out = await run(
      actions.delete,
      {
        tenantId: 'shop-bot',
        accountId: ACCOUNT,
        region: REGION,
        confirm: 'shop-bot',
      },
      { dryRun: true },
    );
    expect(out.deleted).toContain('role bedrock-tenant-shop-bot');
    expectNoAwsCall();
  });
});
