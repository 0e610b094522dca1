/**
 * What moto cannot serve, with aws-sdk-client-mock: the Bedrock inference-profile API and
 * UpdateBudget. The other services still run against moto.
 */
import {
  BedrockClient,
  CreateInferenceProfileCommand,
  DeleteInferenceProfileCommand,
  ListGuardrailsCommand,
  ListInferenceProfilesCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
import {
  BudgetsClient,
  CreateBudgetCommand,
  DescribeBudgetCommand,
  DescribeNotificationsForBudgetCommand,
  UpdateBudgetCommand,
} from '@aws-sdk/client-budgets';
import {
  MANAGED_BY_VALUE,
  TAG_MANAGED_BY,
  TAG_ENTITY_REF,
  TAG_OWNER,
  TAG_TENANT,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ACCOUNT,
  HAIKU,
  NOVA_PRO,
  REGION,
  startTestEnv,
  TestEnv,
  testConfig,
} from '../__testUtils__/testEnv';
import { parseTenantSpec } from './inputs';
import { TenantProvisioner } from './TenantProvisioner';
import { tenantNames } from './naming';

jest.setTimeout(120_000);

const bedrock = mockClient(BedrockClient);
const budgets = mockClient(BudgetsClient);
let env: TestEnv;
const cfg = testConfig();
const spec = (patch: Record<string, unknown> = {}) =>
  parseTenantSpec(cfg, {
    tenantId: 'shop-bot',
    accountId: ACCOUNT,
    region: REGION,
    owner: 'group:default/team-shop',
    models: [HAIKU, NOVA_PRO],
    notificationEmails: ['a@example.com'],
    ...patch,
  });
const TAGS = [
  { key: TAG_TENANT, value: 'shop-bot' },
  { key: TAG_OWNER, value: 'group:default/team-shop' },
  { key: TAG_ENTITY_REF, value: 'component:default/shop-bot' },
  { key: TAG_MANAGED_BY, value: MANAGED_BY_VALUE },
];
const arn = (id: string) =>
  `arn:aws:bedrock:${REGION}:${ACCOUNT}:application-inference-profile/${id}`;

beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(async () => {
  bedrock.restore();
  budgets.restore();
  await env?.stop();
});
beforeEach(async () => {
  await env.reset();
  bedrock.reset();
  budgets.reset();
  budgets
    .on(DescribeBudgetCommand)
    .rejects(
      Object.assign(new Error('no budget'), { name: 'NotFoundException' }),
    );
  budgets.on(CreateBudgetCommand).resolves({});
  // no guardrail in the account (the tenants here ask for none)
  bedrock.on(ListGuardrailsCommand).resolves({ guardrails: [] });
});

it('creates one application profile per model with copyFrom, tags and a deterministic client token', async () => {
  bedrock
    .on(ListInferenceProfilesCommand)
    .resolves({ inferenceProfileSummaries: [] });
  bedrock
    .on(CreateInferenceProfileCommand)
    .resolvesOnce({
      inferenceProfileArn: arn('aaaaaaaaaaaa'),
      status: 'ACTIVE',
    })
    .resolvesOnce({
      inferenceProfileArn: arn('bbbbbbbbbbbb'),
      status: 'ACTIVE',
    });
  const p = TenantProvisioner.create({ clients: env.factory(), config: cfg });
  const result = await p.apply(spec());

  expect(
    bedrock.commandCalls(ListInferenceProfilesCommand)[0].args[0].input,
  ).toMatchObject({ typeEquals: 'APPLICATION' });
  const creates = bedrock
    .commandCalls(CreateInferenceProfileCommand)
    .map(c => c.args[0].input);
  expect(creates).toEqual([
    {
      inferenceProfileName: expect.stringMatching(
        /^shop-bot-anthropic-claude-3-haiku-20240307-v1-0-[0-9a-f]{8}$/,
      ),
      description: `Bedrock tenant shop-bot: ${HAIKU}`,
      clientRequestToken: expect.stringMatching(/^bt-[0-9a-f]{32}$/),
      modelSource: {
        copyFrom: `arn:aws:bedrock:${REGION}::foundation-model/${HAIKU}`,
      },
      tags: TAGS,
    },
    {
      inferenceProfileName: expect.stringMatching(
        /^shop-bot-amazon-nova-pro-v1-0-[0-9a-f]{8}$/,
      ),
      description: `Bedrock tenant shop-bot: ${NOVA_PRO}`,
      clientRequestToken: expect.stringMatching(/^bt-[0-9a-f]{32}$/),
      modelSource: {
        copyFrom: `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/us.${NOVA_PRO}`,
      },
      tags: TAGS,
    },
  ]);
  for (const name of creates.map(c => c.inferenceProfileName!)) {
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(/^([0-9a-zA-Z][ _-]?)+$/);
  }
  expect(result.plan.annotations['bedrock-tenancy.io/inference-profiles']).toBe(
    `aaaaaaaaaaaa=${HAIKU},bbbbbbbbbbbb=${NOVA_PRO}`,
  );
  expect(result.plan.role.invokePolicy.Statement[0].Resource).toEqual([
    arn('aaaaaaaaaaaa'),
    arn('bbbbbbbbbbbb'),
  ]);

  // the same client token on a retry: the API answers with the same profile instead of a duplicate
  const again = TenantProvisioner.create({
    clients: env.factory(),
    config: cfg,
  });
  bedrock.reset();
  bedrock.on(ListGuardrailsCommand).resolves({ guardrails: [] });
  bedrock
    .on(ListInferenceProfilesCommand)
    .resolves({ inferenceProfileSummaries: [] });
  bedrock
    .on(CreateInferenceProfileCommand)
    .resolves({ inferenceProfileArn: arn('aaaaaaaaaaaa') });
  await again.apply(spec({ models: [HAIKU] })).catch(() => undefined);
  expect(
    bedrock.commandCalls(CreateInferenceProfileCommand)[0].args[0].input
      .clientRequestToken,
  ).toBe(creates[0].clientRequestToken);
});

it('pages through ListInferenceProfiles and only deletes profiles tagged for the tenant', async () => {
  const names = tenantNames('shop-bot');
  bedrock
    .on(ListInferenceProfilesCommand)
    .resolvesOnce({
      inferenceProfileSummaries: [
        {
          inferenceProfileName: names.profileName(HAIKU),
          inferenceProfileId: 'h1',
          inferenceProfileArn: arn('h1'),
        } as any,
        {
          inferenceProfileName: 'shop-bot-old-model-12345678',
          inferenceProfileId: 'o1',
          inferenceProfileArn: arn('o1'),
        } as any,
      ],
      nextToken: 'page2',
    })
    .resolvesOnce({
      inferenceProfileSummaries: [
        {
          inferenceProfileName: 'shop-bot-2-something',
          inferenceProfileId: 'x1',
          inferenceProfileArn: arn('x1'),
        } as any,
      ],
    });
  bedrock
    .on(ListTagsForResourceCommand, { resourceARN: arn('h1') })
    .resolves({ tags: TAGS });
  bedrock
    .on(ListTagsForResourceCommand, { resourceARN: arn('o1') })
    .resolves({ tags: TAGS });
  bedrock.on(ListTagsForResourceCommand, { resourceARN: arn('x1') }).resolves({
    tags: [
      { key: TAG_TENANT, value: 'shop-bot-2' },
      { key: TAG_MANAGED_BY, value: MANAGED_BY_VALUE },
    ],
  });
  bedrock.on(DeleteInferenceProfileCommand).resolves({});
  const p = TenantProvisioner.create({ clients: env.factory(), config: cfg });
  await p.apply(spec({ models: [HAIKU] }));
  expect(
    bedrock.commandCalls(ListInferenceProfilesCommand)[1].args[0].input
      .nextToken,
  ).toBe('page2');
  expect(bedrock.commandCalls(CreateInferenceProfileCommand)).toHaveLength(0);
  expect(
    bedrock
      .commandCalls(DeleteInferenceProfileCommand)
      .map(c => c.args[0].input),
  ).toEqual([{ inferenceProfileIdentifier: arn('o1') }]);
});

it('updates the budget limit with UpdateBudget (moto lacks it) and keeps its notifications', async () => {
  bedrock
    .on(ListInferenceProfilesCommand)
    .resolves({ inferenceProfileSummaries: [] });
  bedrock
    .on(CreateInferenceProfileCommand)
    .resolves({ inferenceProfileArn: arn('aaaaaaaaaaaa') });
  budgets.on(DescribeBudgetCommand).resolves({
    Budget: {
      BudgetName: 'bedrock-shop-bot',
      BudgetLimit: { Amount: '100.0', Unit: 'USD' },
      TimeUnit: 'MONTHLY',
      BudgetType: 'COST',
      CostFilters: { TagKeyValue: ['user:bedrock-tenancy:tenant$shop-bot'] },
    },
  });
  budgets.on(DescribeNotificationsForBudgetCommand).resolves({
    Notifications: [
      {
        NotificationType: 'ACTUAL',
        ComparisonOperator: 'GREATER_THAN',
        Threshold: 50,
        ThresholdType: 'PERCENTAGE',
      },
      {
        NotificationType: 'ACTUAL',
        ComparisonOperator: 'GREATER_THAN',
        Threshold: 80,
        ThresholdType: 'PERCENTAGE',
      },
      {
        NotificationType: 'ACTUAL',
        ComparisonOperator: 'GREATER_THAN',
        Threshold: 100,
        ThresholdType: 'PERCENTAGE',
      },
      {
        NotificationType: 'FORECASTED',
        ComparisonOperator: 'GREATER_THAN',
        Threshold: 100,
        ThresholdType: 'PERCENTAGE',
      },
    ],
  });
  budgets.on(UpdateBudgetCommand).resolves({});
  const p = TenantProvisioner.create({ clients: env.factory(), config: cfg });
  await p.apply(spec({ models: [HAIKU], monthlyBudgetUsd: 300 }));
  expect(
    budgets.commandCalls(UpdateBudgetCommand).map(c => c.args[0].input),
  ).toEqual([
    {
      AccountId: ACCOUNT,
      NewBudget: {
        BudgetName: 'bedrock-shop-bot',
        BudgetLimit: { Amount: '300', Unit: 'USD' },
        TimeUnit: 'MONTHLY',
        BudgetType: 'COST',
        CostFilters: { TagKeyValue: ['user:bedrock-tenancy:tenant$shop-bot'] },
      },
    },
  ]);
  expect(budgets.commandCalls(CreateBudgetCommand)).toHaveLength(0);

  budgets.resetHistory();
  await p.apply(spec({ models: [HAIKU], monthlyBudgetUsd: 100 }));
  expect(budgets.commandCalls(UpdateBudgetCommand)).toHaveLength(0);
});
