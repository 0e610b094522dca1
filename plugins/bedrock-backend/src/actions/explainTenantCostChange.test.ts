/**
 * bedrock:explain-tenant-cost-change through the real actions registry of a test backend, as the
 * MCP actions backend calls it. The expected dollars are worked out by hand from the rows stored
 * here and in the fixture, at the default price table:
 *   Claude 3 Haiku     input 0.00025, output 0.00125, cache read 0.000025, cache write 0.0003125 /1k
 *   Claude 3.5 Sonnet  input 0.003, output 0.015 /1k
 *   Nova Micro 0.000035 / 0.00014, Nova Lite 0.00006, Nova Pro 0.0008 (input /1k)
 *   Llama 3.1 8B 0.00022, 70B 0.00072, 405B 0.0024 (input /1k)
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import {
  ADMIN,
  ALICE,
  ALPHA_REF,
  asUser,
  BETA_REF,
  BOB,
  HAIKU,
  startActionsBackend,
} from '../__testUtils__/actionsFixture';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { emptyUsageRow, HourlyUsageRow } from '../database/types';

jest.setTimeout(60_000);

const SONNET = 'anthropic.claude-3-5-sonnet-20241022-v2:0';
const NOVA_MICRO = 'amazon.nova-micro-v1:0';
const MYSTERY = 'acme.mystery-v1:0';
const ALPHA_ACCOUNT = '444455556661';

const row = (
  modelId: string,
  hour: string,
  counts: Partial<HourlyUsageRow>,
): HourlyUsageRow => ({
  ...emptyUsageRow({
    tenantId: 'alpha',
    accountId: ALPHA_ACCOUNT,
    region: 'us-east-1',
    modelId,
    hour,
  }),
  ...counts,
});

/** Alpha's usage in March 2026 (both weeks) and May 2026 (seven models in the second week). */
async function seedAlpha(knex: Knex) {
  const store = DatabaseUsageStore.fromKnex(knex);
  const put = (from: string, to: string, rows: HourlyUsageRow[]) =>
    store.replaceWindow({
      tenantId: 'alpha',
      accountId: ALPHA_ACCOUNT,
      region: 'us-east-1',
      from,
      to,
      rows,
    });
  await put('2026-03-01T00:00:00.000Z', '2026-03-15T00:00:00.000Z', [
    // previous week: Haiku 2M in + 200k out = 0.50 + 0.25 = USD 0.75
    row(HAIKU, '2026-03-03T10:00:00.000Z', {
      invocations: 100,
      inputTokens: 2_000_000,
      outputTokens: 200_000,
    }),
    // previous week only: Nova Micro 1M in + 500k out = 0.035 + 0.07 = USD 0.105
    row(NOVA_MICRO, '2026-03-04T10:00:00.000Z', {
      invocations: 20,
      inputTokens: 1_000_000,
      outputTokens: 500_000,
    }),
    // current week: Haiku 0.50 in + 0.50 out + 0.10 cache read + 0.25 cache write = USD 1.35
    row(HAIKU, '2026-03-10T10:00:00.000Z', {
      invocations: 150,
      inputTokens: 2_000_000,
      outputTokens: 400_000,
      cacheReadTokens: 4_000_000,
      cacheWriteTokens: 800_000,
    }),
    // current week only: Sonnet 100k in + 10k out = 0.30 + 0.15 = USD 0.45
    row(SONNET, '2026-03-11T10:00:00.000Z', {
      invocations: 10,
      inputTokens: 100_000,
      outputTokens: 10_000,
    }),
    // current week only: a model without a price
    row(MYSTERY, '2026-03-12T10:00:00.000Z', {
      invocations: 5,
      inputTokens: 1_000,
    }),
  ]);
  // 1M input tokens each: 405B 2.40, Nova Pro 0.80, 70B 0.72, Haiku 0.25, 8B 0.22,
  // Nova Lite 0.06, Nova Micro 0.035
  const may = [
    'meta.llama3-1-405b-instruct-v1:0',
    'amazon.nova-pro-v1:0',
    'meta.llama3-1-70b-instruct-v1:0',
    HAIKU,
    'meta.llama3-1-8b-instruct-v1:0',
    'amazon.nova-lite-v1:0',
    NOVA_MICRO,
  ];
  await put(
    '2026-05-01T00:00:00.000Z',
    '2026-05-15T00:00:00.000Z',
    may.map(m =>
      row(m, '2026-05-10T10:00:00.000Z', {
        invocations: 1,
        inputTokens: 1_000_000,
      }),
    ),
  );
}

const MARCH = {
  previousFrom: '2026-03-01T00:00:00Z',
  previousTo: '2026-03-08T00:00:00Z',
  from: '2026-03-08T00:00:00Z',
  to: '2026-03-15T00:00:00Z',
};

describe('explain-tenant-cost-change', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let server: any;

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    server = await startActionsBackend({ knex });
    await seedAlpha(knex);
  });

  const invoke = (user: string, input: object) =>
    request(server)
      .post(
        '/api/bedrock/.backstage/actions/v1/actions/bedrock:explain-tenant-cost-change/invoke',
      )
      .set('Authorization', asUser(user))
      .send(input);

  it("explains a member's own tenant by default: the last 7 days against the 7 before", async () => {
    const res = await invoke(ALICE, { entityRef: ALPHA_REF });
    expect(res.status).toBe(200);
    const out = res.body.output;
    expect(out.tenant.tenantId).toBe('alpha');
    const from = Date.parse(out.current.from);
    expect(Date.parse(out.current.to) - from).toBe(7 * 86_400_000);
    expect(out.previous.to).toBe(out.current.from);
    expect(Date.parse(out.previous.from)).toBe(from - 7 * 86_400_000);
    // the fixture's row: 1M Haiku input tokens in the last hour = USD 0.25; nothing the week before
    expect(out.current).toMatchObject({
      estimatedCostUsd: 0.25,
      partial: false,
    });
    expect(out.previous).toMatchObject({
      estimatedCostUsd: 0,
      partial: false,
      unpricedModels: [],
    });
    expect(out.change).toEqual({
      deltaUsd: 0.25,
      percent: null,
      partial: false,
    });
    expect(out.models).toEqual([
      expect.objectContaining({
        modelId: HAIKU,
        presence: 'new',
        previousCostUsd: 0,
        currentCostUsd: 0.25,
        deltaUsd: 0.25,
      }),
    ]);
    expect(out.models[0].drivers.inputTokens).toEqual({
      previous: 0,
      current: 1_000_000,
      delta: 1_000_000,
    });
    expect(out.newModels).toEqual([HAIKU]);
    expect(out.assumptions[0]).toContain(
      'each service tier is its own model line',
    );
  });

  it('compares two explicit ranges: each cost, the change, per model deltas and drivers', async () => {
    const res = await invoke(ALICE, { entityRef: 'alpha', ...MARCH });
    expect(res.status).toBe(200);
    const out = res.body.output;
    expect(out.previous).toEqual({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-08T00:00:00.000Z',
      estimatedCostUsd: 0.855,
      partial: false,
      unpricedModels: [],
    });
    // 1.35 + 0.45: the unpriced model is not in it, and is named
    expect(out.current).toEqual({
      from: '2026-03-08T00:00:00.000Z',
      to: '2026-03-15T00:00:00.000Z',
      estimatedCostUsd: 1.8,
      partial: true,
      unpricedModels: [MYSTERY],
    });
    // 1.80 - 0.855 = 0.945, i.e. +110.53% of 0.855
    expect(out.change).toEqual({
      deltaUsd: 0.945,
      percent: 110.53,
      partial: true,
    });
    expect(
      out.models.map((m: any) => [m.modelId, m.presence, m.deltaUsd]),
    ).toEqual([
      [HAIKU, 'both', 0.6],
      [SONNET, 'new', 0.45],
      [NOVA_MICRO, 'gone', -0.105],
      [MYSTERY, 'new', null],
    ]);
    const haiku = out.models[0];
    expect(haiku).toMatchObject({
      previousCostUsd: 0.75,
      currentCostUsd: 1.35,
    });
    // more invocations, more output, and cache traffic: volume and mix
    expect(haiku.drivers).toEqual({
      invocations: { previous: 100, current: 150, delta: 50 },
      inputTokens: { previous: 2_000_000, current: 2_000_000, delta: 0 },
      outputTokens: { previous: 200_000, current: 400_000, delta: 200_000 },
      cacheReadTokens: { previous: 0, current: 4_000_000, delta: 4_000_000 },
      cacheWriteTokens: { previous: 0, current: 800_000, delta: 800_000 },
      cacheWrite1hTokens: { previous: 0, current: 0, delta: 0 },
    });
    expect(out.models[2]).toMatchObject({
      previousCostUsd: 0.105,
      currentCostUsd: 0,
    });
    expect(out.newModels.sort()).toEqual([MYSTERY, SONNET].sort());
    expect(out.goneModels).toEqual([NOVA_MICRO]);
    expect(out.otherModels).toEqual({ count: 0, deltaUsd: 0 });
  });

  it('flags an unpriced model and never counts it as USD 0', async () => {
    const out = (await invoke(ALICE, { entityRef: ALPHA_REF, ...MARCH })).body
      .output;
    const mystery = out.models.find((m: any) => m.modelId === MYSTERY);
    expect(mystery).toMatchObject({
      priced: false,
      previousCostUsd: null,
      currentCostUsd: null,
      deltaUsd: null,
    });
    expect(mystery.drivers.inputTokens.current).toBe(1_000);
    expect(out.current.unpricedModels).toEqual([MYSTERY]);
    expect(out.assumptions.join(' ')).toContain('never counted as USD 0');
  });

  it('lists the top 5 models by change and counts the rest', async () => {
    const res = await invoke(ALICE, {
      entityRef: ALPHA_REF,
      from: '2026-05-08T00:00:00Z',
      to: '2026-05-15T00:00:00Z',
    });
    expect(res.status).toBe(200);
    const out = res.body.output;
    // the previous range defaults to the 7 days before, which had no traffic
    expect(out.previous).toMatchObject({
      from: '2026-05-01T00:00:00.000Z',
      estimatedCostUsd: 0,
    });
    expect(out.current.estimatedCostUsd).toBeCloseTo(4.485, 6);
    expect(out.change.percent).toBeNull();
    expect(out.models.map((m: any) => [m.modelId, m.deltaUsd])).toEqual([
      ['meta.llama3-1-405b-instruct-v1:0', 2.4],
      ['amazon.nova-pro-v1:0', 0.8],
      ['meta.llama3-1-70b-instruct-v1:0', 0.72],
      [HAIKU, 0.25],
      ['meta.llama3-1-8b-instruct-v1:0', 0.22],
    ]);
    // Nova Lite 0.06 + Nova Micro 0.035
    expect(out.otherModels).toEqual({ count: 2, deltaUsd: 0.095 });
  });

  it("refuses another team's tenant, naming the permission; answers an admin", async () => {
    const refused = await invoke(BOB, { entityRef: ALPHA_REF, ...MARCH });
    expect(refused.status).toBe(403);
    expect(refused.body.error.name).toBe('NotAllowedError');
    expect(refused.body.error.message).toContain('bedrock.usage.read');
    const member = await invoke(ALICE, { entityRef: BETA_REF });
    expect(member.status).toBe(403);
    expect(member.body.error.name).toBe('NotAllowedError');
    const admin = await invoke(ADMIN, { entityRef: ALPHA_REF, ...MARCH });
    expect(admin.status).toBe(200);
    expect(admin.body.output.change.deltaUsd).toBe(0.945);
  });

  it.each([
    [
      'a current range over 93 days',
      { from: '2026-01-01T00:00:00Z', to: '2026-05-01T00:00:00Z' },
      'more than 93 days',
    ],
    [
      'a previous range over 93 days',
      { ...MARCH, previousFrom: '2025-10-01T00:00:00Z' },
      'the previous range covers more than 93 days',
    ],
    [
      'a previous range ending after the current one starts',
      { ...MARCH, previousTo: '2026-03-09T00:00:00Z' },
      'must end where the current one starts or earlier',
    ],
    [
      'a range ending before it starts',
      { from: '2026-03-15T00:00:00Z', to: '2026-03-08T00:00:00Z' },
      'must start before it ends',
    ],
    ['to without from', { to: '2026-03-15T00:00:00Z' }, 'to needs from'],
    [
      'previousTo without previousFrom',
      { previousTo: '2026-03-01T00:00:00Z' },
      'previousTo needs previousFrom',
    ],
    ['a date that is no ISO 8601', { from: 'last week' }, 'not an ISO 8601'],
  ])('refuses %s with an InputError', async (_what, range, message) => {
    const res = await invoke(ALICE, { entityRef: ALPHA_REF, ...range });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toContain(message);
  });
});
