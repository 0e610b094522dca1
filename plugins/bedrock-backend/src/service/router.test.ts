import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BudgetsClient } from '@aws-sdk/client-budgets';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DEMO_TENANTS,
  demoTenantEntity,
  hourlyUsage,
} from '@bedrock-tenancy/demo';
import {
  ANNOTATION_TENANT_ID,
  EntitySummary,
  GroupRollup,
  normalizeModelId,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { mockClient } from 'aws-sdk-client-mock';
import request from 'supertest';
import { bindEntities } from '../__testUtils__/bindings';
import { startBedrockBackend } from '../__testUtils__/startBedrockBackend';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { emptyUsageRow, HourlyUsageRow } from '../database/types';

jest.setTimeout(60_000);

const HOUR = 3_600_000;
/** List prices of the demo's models, USD per 1,000 tokens, written by hand from the price table. */
const USD_PER_1K: Record<string, { in: number; out: number }> = {
  'anthropic.claude-3-5-sonnet-20240620-v1:0': { in: 0.003, out: 0.015 },
  'anthropic.claude-3-haiku-20240307-v1:0': { in: 0.00025, out: 0.00125 },
  'amazon.nova-pro-v1:0': { in: 0.0008, out: 0.0032 },
};
const ANCHOR = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const checkout = DEMO_TENANTS.find(t => t.tenantId === 'checkout-assistant')!;
const labeling = DEMO_TENANTS.find(t => t.tenantId === 'data-labeling')!;
const ranker = DEMO_TENANTS.find(t => t.tenantId === 'search-ranker')!;
const risk = DEMO_TENANTS.find(t => t.attribution === 'account')!;

/**
 * A tenant with one of each kind of token, so each price is checked on its own. Expected dollars
 * (from the price table, by hand): Claude 3 Haiku $0.00025 in, $0.00125 out, $0.000025 cache
 * read, $0.0003125 cache write per 1K; Nova Pro $0.0008 in, $0.0032 out, cache at the input price.
 */
function probeRows(): HourlyUsageRow[] {
  const r = (
    hoursAgo: number,
    modelId: string,
    tokens: Partial<HourlyUsageRow>,
  ): HourlyUsageRow => ({
    ...emptyUsageRow({
      tenantId: 'pricing-probe',
      accountId: '444455556666',
      region: 'us-east-1',
      modelId,
      hour: new Date(ANCHOR.getTime() - hoursAgo * HOUR).toISOString(),
    }),
    invocations: 1,
    ...tokens,
  });
  const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';
  return [
    r(2, haiku, { inputTokens: 1_000_000 }), // $0.25
    r(3, haiku, { outputTokens: 1_000_000 }), // $1.25
    r(4, haiku, { cacheReadTokens: 1_000_000 }), // $0.025
    r(5, haiku, { cacheWriteTokens: 1_000_000 }), // $0.3125
    // $1.60 + $1.60 + $0.80
    r(2, 'amazon.nova-pro-v1:0', {
      inputTokens: 2_000_000,
      outputTokens: 500_000,
      cacheReadTokens: 1_000_000,
    }),
    // 30 hours ago: outside 24 h, inside 7 d: $0.0025
    r(30, haiku, { inputTokens: 10_000 }),
  ];
}

function rowsOf(tenant: typeof checkout): HourlyUsageRow[] {
  return tenant.models.flatMap(m =>
    hourlyUsage(tenant, m, ANCHOR)
      .filter(h => h.invocations > 0)
      .map(h => ({
        tenantId: tenant.tenantId,
        accountId: tenant.accountId,
        region: tenant.region,
        modelId: normalizeModelId(m.modelId),
        hour: h.time.toISOString(),
        invocations: h.invocations,
        inputTokens: h.inputTokens,
        outputTokens: h.outputTokens,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        cacheWrite1hTokens: 0,
        clientErrors: h.clientErrors,
        serverErrors: h.serverErrors,
        throttles: h.throttles,
        latencyAvgMs: h.latencyMs,
        latencyMaxMs: h.latencyMs,
        latencyP99Ms: null,
        ttftAvgMs: null,
        ttftRequests: 0,
        ttftP99Ms: null,
      })),
  );
}

const component = (
  name: string,
  owner: string,
  annotations: Record<string, string> = {},
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', lifecycle: 'production', owner },
});
const group = (name: string, children: string[] = []) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children },
});

/** A member of team-mallory, who may read only his team's entities (the permission mock below). */
const MALLORY = 'user:default/mallory';
const annotationsOf = (t: typeof checkout) =>
  demoTenantEntity(t).metadata.annotations as Record<string, string>;

/**
 * Entities team-mallory added to the catalog, claiming what belongs to bound tenants: the
 * attack of issue 9. Each must get no data, for Mallory and for an admin.
 */
const IMPOSTORS: Record<string, Record<string, string>> = {
  'copied-tenant-id': annotationsOf(checkout),
  'copied-profiles': {
    ...annotationsOf(checkout),
    [ANNOTATION_TENANT_ID]: 'checkout-copy',
  },
  'copied-account-region': {
    ...annotationsOf(risk),
    [ANNOTATION_TENANT_ID]: 'risk-copy',
  },
  'copied-role': {
    ...annotationsOf(labeling),
    [ANNOTATION_TENANT_ID]: 'labeling-copy',
  },
  // an account-region nobody bound in account mode: still nobody's to read
  'unbound-account': {
    [ANNOTATION_TENANT_ID]: 'whole-account',
    'bedrock-tenancy.io/account-id': checkout.accountId,
    'bedrock-tenancy.io/regions': checkout.region,
    'bedrock-tenancy.io/attribution': 'account',
  },
};
const impostorRef = (name: string) => `component:default/${name}`;

/**
 * Entities with random annotations, mostly pieces of the bound tenants' (tenant ids, accounts,
 * regions, profile maps, role ARNs) and some junk: none is bound, so none may get data.
 */
const FUZZ_ENTITIES = (() => {
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const sources = [checkout, labeling, ranker, risk].map(annotationsOf);
  const keys = [
    ANNOTATION_TENANT_ID,
    'bedrock-tenancy.io/account-id',
    'bedrock-tenancy.io/regions',
    'bedrock-tenancy.io/attribution',
    'bedrock-tenancy.io/inference-profiles',
    'bedrock-tenancy.io/principal-arns',
    'bedrock-tenancy.io/alarm-prefix',
    'bedrock-tenancy.io/budget-name',
  ];
  const junk = [
    '',
    ' ',
    'x',
    'account',
    'identity',
    '123',
    'us-east-1,',
    '=',
    'a=b,c',
  ];
  return Array.from({ length: 40 }, (_, i) => {
    const annotations: Record<string, string> = {};
    for (const key of keys) {
      const r = rnd();
      if (r < 0.6) {
        const v = pick(sources)[key];
        if (v !== undefined) annotations[key] = v;
      } else if (r < 0.75) annotations[key] = pick(junk);
    }
    return component(`fuzz-${i}`, 'team-fuzz', annotations);
  });
})();

const entities = [
  demoTenantEntity(checkout),
  demoTenantEntity(labeling),
  demoTenantEntity(ranker),
  demoTenantEntity(risk),
  ...Object.entries(IMPOSTORS).map(([name, annotations]) =>
    component(name, 'team-mallory', annotations),
  ),
  group('team-mallory'),
  ...FUZZ_ENTITIES,
  group('team-fuzz'),
  component('plain-service', 'team-search'),
  component('broken-tenant', 'team-search', {
    [ANNOTATION_TENANT_ID]: 'Not_A_Tenant',
    'bedrock-tenancy.io/account-id': '123456789012',
    'bedrock-tenancy.io/regions': 'us-east-1',
  }),
  component('denied-tenant', 'team-other', {
    [ANNOTATION_TENANT_ID]: 'denied-tenant',
    'bedrock-tenancy.io/account-id': '123456789012',
    'bedrock-tenancy.io/regions': 'us-east-1',
  }),
  // account attribution: the probe owns an account-region of its own
  component('pricing-probe', 'team-probe', {
    [ANNOTATION_TENANT_ID]: 'pricing-probe',
    'bedrock-tenancy.io/account-id': '444455556666',
    'bedrock-tenancy.io/regions': 'us-east-1',
  }),
  group('team-search'),
  group('team-checkout'),
  group('storefront', ['team-checkout', 'team-search']),
];

describe('bedrock router', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const awsMocks = [
    CloudWatchClient,
    CloudWatchLogsClient,
    BudgetsClient,
    BedrockClient,
    CostExplorerClient,
  ].map(c => mockClient(c as any));
  const denied = new Set<string>();
  let server: any;

  const awsCalls = () => awsMocks.reduce((n, m) => n + m.calls().length, 0);

  beforeAll(async () => {
    for (const m of awsMocks) m.onAnyCommand().resolves({});
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const store = DatabaseUsageStore.fromKnex(knex);
    await bindEntities(knex, [
      ...[checkout, labeling, ranker, risk].map(demoTenantEntity),
      entities.find(e => e.metadata.name === 'pricing-probe')!,
    ]);
    for (const t of [checkout, labeling, ranker, risk]) {
      const rows = rowsOf(t);
      await store.replaceWindow({
        tenantId: t.tenantId,
        accountId: t.accountId,
        region: t.region,
        from: '2000-01-01T00:00:00.000Z',
        to: '2100-01-01T00:00:00.000Z',
        rows,
      });
      await store.markCollected({
        tenantId: t.tenantId,
        watermark: ANCHOR.toISOString(),
        at: new Date().toISOString(),
      });
    }
    await store.replaceWindow({
      tenantId: 'pricing-probe',
      accountId: '444455556666',
      region: 'us-east-1',
      from: '2000-01-01T00:00:00.000Z',
      to: '2100-01-01T00:00:00.000Z',
      rows: probeRows(),
    });
    await store.markCollected({
      tenantId: 'pricing-probe',
      watermark: ANCHOR.toISOString(),
      at: new Date().toISOString(),
    });
    await store.putSnapshot({
      kind: 'budget',
      key: checkout.tenantId,
      payload: {
        name: 'bedrock-checkout-assistant',
        limitUsd: 1000,
        actualSpendUsd: 850,
        forecastedSpendUsd: null,
        notifications: [
          { percent: 80, type: 'ACTUAL' },
          { percent: 100, type: 'ACTUAL' },
        ],
      },
      error: null,
      fetchedAt: new Date().toISOString(),
    });
    await store.putSnapshot({
      kind: 'alarms',
      key: checkout.tenantId,
      payload: null,
      error:
        'AccessDenied: not authorized to perform cloudwatch:DescribeAlarms',
      fetchedAt: new Date().toISOString(),
    });

    server = await startBedrockBackend({
      entities,
      knex,
      accountId: '123456789012',
      features: [
        mockServices.permissions.mock({
          authorize: async (reqs, opts) =>
            reqs.map(r => {
              const ref = (r as any).resourceRef as string;
              const mallory =
                (opts?.credentials.principal as any)?.userEntityRef === MALLORY;
              const allowed = mallory
                ? Object.keys(IMPOSTORS).map(impostorRef).includes(ref)
                : !denied.has(ref);
              return {
                result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
              };
            }) as any,
        }).factory,
      ],
    });
  });

  beforeEach(() => {
    denied.clear();
    denied.add('component:default/denied-tenant');
    denied.add('component:default/search-ranker');
    for (const m of awsMocks) m.resetHistory();
  });

  it('answers /health without credentials', async () => {
    const res = await request(server)
      .get('/api/bedrock/health')
      .set('Authorization', '');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('summarises a tenant with the price table math and makes no AWS call', async () => {
    const res = await request(server).get(
      '/api/bedrock/entity/component/default/checkout-assistant/summary?range=24h',
    );
    expect(res.status).toBe(200);
    const body = res.body as EntitySummary;
    const from = Date.parse(body.range.from);
    const inRange = rowsOf(checkout).filter(r => Date.parse(r.hour) >= from);
    expect(inRange.length).toBeGreaterThan(0);
    // token counts from the demo generator, prices by hand from the price table
    const cost = inRange.reduce((s, r) => {
      const p = USD_PER_1K[r.modelId];
      return (
        s + (r.inputTokens / 1000) * p.in + (r.outputTokens / 1000) * p.out
      );
    }, 0);
    expect(body.totals.invocations).toBe(
      inRange.reduce((s, r) => s + r.invocations, 0),
    );
    expect(body.totals.inputTokens).toBe(
      inRange.reduce((s, r) => s + r.inputTokens, 0),
    );
    expect(body.totals.outputTokens).toBe(
      inRange.reduce((s, r) => s + r.outputTokens, 0),
    );
    expect(body.totals.estimatedCostUsd).toBeCloseTo(cost, 9);
    expect(body.cost.status).toBe('ok');
    const costData = (
      body.cost as {
        data: { rangeEstimatedUsd: number; unpricedModels: string[] };
      }
    ).data;
    expect(costData.rangeEstimatedUsd).toBeCloseTo(cost, 9);
    expect(costData.unpricedModels).toEqual([]);
    expect(body.models.map(m => m.modelId).sort()).toEqual(
      checkout.models.map(m => m.modelId).sort(),
    );
    expect(body.range.granularity).toBe('hour');
    expect(body.budget).toMatchObject({
      status: 'ok',
      data: {
        limitUsd: 1000,
        usedFraction: 0.85,
        thresholds: [
          { percent: 80, crossed: true },
          { percent: 100, crossed: false },
        ],
      },
    });
    expect(body.alarms.status).toBe('error');
    expect(body.governance.status).toBe('unavailable');
    expect(body.freshness.dataUntil).toBe(ANCHOR.toISOString());
    expect(body.suggestions.map(s => s.kind)).toContain('model-mix');
    expect(awsCalls()).toBe(0);
  });

  it('prices input, output, cache read and cache write tokens each at their list price', async () => {
    const res = await request(server).get(
      '/api/bedrock/entity/component/default/pricing-probe/summary?range=24h',
    );
    expect(res.status).toBe(200);
    const body = res.body as EntitySummary;
    const byModel = Object.fromEntries(
      body.models.map(m => [m.modelId, m.estimatedCostUsd]),
    );
    expect(byModel['anthropic.claude-3-haiku-20240307-v1:0']).toBeCloseTo(
      0.25 + 1.25 + 0.025 + 0.3125,
      9,
    );
    expect(byModel['amazon.nova-pro-v1:0']).toBeCloseTo(1.6 + 1.6 + 0.8, 9);
    expect(body.totals.estimatedCostUsd).toBeCloseTo(5.8375, 9);
    expect(body.totals.cacheReadTokens).toBe(2_000_000);
    expect(body.totals.cacheWriteTokens).toBe(1_000_000);
    expect(body.cost.status === 'ok' && body.cost.data).toMatchObject({
      rangeEstimatedUsd: expect.closeTo(5.8375, 9),
      unpricedModels: [],
    });
    const week = await request(server).get(
      '/api/bedrock/entity/component/default/pricing-probe/summary?range=7d',
    );
    expect(week.body.totals.estimatedCostUsd).toBeCloseTo(5.84, 9);
  });

  it('reports an unpriced model as unpriced, never as $0', async () => {
    const res = await request(server).get(
      '/api/bedrock/entity/component/default/data-labeling/summary?range=7d',
    );
    expect(res.status).toBe(200);
    const body = res.body as EntitySummary;
    expect(body.totals.estimatedCostUsd).toBeNull();
    const commandR = body.models.find(
      m => m.modelId === 'cohere.command-r-v1:0',
    )!;
    expect(commandR.priced).toBe(false);
    expect(commandR.estimatedCostUsd).toBeNull();
    expect(body.cost.status === 'ok' && body.cost.data.unpricedModels).toEqual([
      'cohere.command-r-v1:0',
    ]);
    expect(body.range.granularity).toBe('day');
  });

  it('reports an idle tenant with a suggestion to suspend it', async () => {
    denied.delete('component:default/search-ranker');
    const res = await request(server).get(
      '/api/bedrock/entity/component/default/search-ranker/summary?range=30d',
    );
    expect(res.status).toBe(200);
    const body = res.body as EntitySummary;
    expect(body.idle.idle).toBe(true);
    expect(body.idle.thresholdDays).toBe(7);
    expect(Date.parse(body.idle.lastInvocationAt!)).toBeLessThan(
      ANCHOR.getTime() - 12 * 86_400_000,
    );
    expect(body.suggestions.map(s => s.kind)).toContain('suspend-idle');
    const busy = await request(server).get(
      '/api/bedrock/entity/component/default/checkout-assistant/summary?range=30d',
    );
    expect(busy.body.idle.idle).toBe(false);
  });

  it('answers 404 naming the annotation to add', async () => {
    const res = await request(server).get(
      '/api/bedrock/entity/component/default/plain-service/summary',
    );
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('bedrock-tenancy.io/tenant-id');
  });

  it('answers 400 naming the malformed annotation and the expected form', async () => {
    const res = await request(server).get(
      '/api/bedrock/entity/component/default/broken-tenant/summary',
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('bedrock-tenancy.io/tenant-id');
    expect(res.body.error.message).toContain('e.g. "checkout-assistant"');
  });

  it('answers 403 when the permission is denied', async () => {
    const res = await request(server).get(
      '/api/bedrock/entity/component/default/denied-tenant/summary',
    );
    expect(res.status).toBe(403);
  });

  it('answers 404 when the catalog hides the entity', async () => {
    const res = await request(server).get(
      '/api/bedrock/entity/component/default/not-visible/summary',
    );
    expect(res.status).toBe(404);
  });

  it.each([
    'range=1y',
    'range=24h&from=2026-01-01T00:00:00Z',
    'from=yesterday',
    'to=2026-01-01T00:00:00Z',
    'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    'from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    'range=24h&range=7d',
    'unknown=1',
  ])('answers 400 for the range query %s', async query => {
    const res = await request(server).get(
      `/api/bedrock/entity/component/default/checkout-assistant/summary?${query}`,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/range|from|to|days|unrecognized/i);
  });

  it.each([
    '/entity/component/default/bad%20name/summary',
    '/entity/x!/default/a/summary',
    '/group/default/..%2F/rollup',
  ])('answers 400 for the path %s', async path => {
    const res = await request(server).get(`/api/bedrock${path}`);
    expect([400, 404]).toContain(res.status);
  });

  it('rolls up only the readable tenants of a group and lists unannotated entities', async () => {
    const res = await request(server).get(
      '/api/bedrock/group/default/team-search/rollup?range=7d',
    );
    expect(res.status).toBe(200);
    const body = res.body as GroupRollup;
    expect(body.tenants.map(t => t.tenantId)).toEqual(['data-labeling']);
    // spec.owner is shorthand ("team-search"); the API answers a full ref the UI can parse
    expect(body.tenants[0].owner).toBe('group:default/team-search');
    expect(body.totals.tenants).toBe(1);
    expect(body.totals.unpricedTenants).toBe(1);
    expect(body.unannotated.map(u => u.entityRef)).toEqual([
      'component:default/broken-tenant',
      'component:default/plain-service',
    ]);
    expect(awsCalls()).toBe(0);
  });

  it('includes child groups by default, and leaves them out when asked', async () => {
    denied.delete('component:default/search-ranker');
    const without = await request(server).get(
      '/api/bedrock/group/default/storefront/rollup?range=7d&includeChildren=false',
    );
    expect(without.body.tenants).toEqual([]);
    const res = await request(server).get(
      '/api/bedrock/group/default/storefront/rollup?range=7d',
    );
    expect(res.status).toBe(200);
    expect(
      (res.body as GroupRollup).tenants.map(t => t.tenantId).sort(),
    ).toEqual(['checkout-assistant', 'data-labeling', 'search-ranker']);
    const bad = await request(server).get(
      '/api/bedrock/group/default/storefront/rollup?includeChildren=maybe',
    );
    expect(bad.status).toBe(400);
  });

  it('answers the top rows up to `limit`, totals over every tenant, and refuses a bad limit', async () => {
    denied.delete('component:default/search-ranker');
    const all = (
      await request(server).get(
        '/api/bedrock/group/default/storefront/rollup?range=7d',
      )
    ).body as GroupRollup;
    const res = await request(server).get(
      '/api/bedrock/group/default/storefront/rollup?range=7d&limit=1',
    );
    expect(res.status).toBe(200);
    const top = res.body as GroupRollup;
    expect(top.tenants).toEqual(all.tenants.slice(0, 1));
    expect(top).toMatchObject({ tenantCount: 3, truncated: true });
    expect(all).toMatchObject({ tenantCount: 3, truncated: false });
    expect(top.totals).toEqual(all.totals);
    for (const limit of ['0', '2001', 'x', '1.5', '-1', '']) {
      const bad = await request(server).get(
        `/api/bedrock/group/default/storefront/rollup?limit=${limit}`,
      );
      expect(bad.status).toBe(400);
    }
  });

  it('refreshes a tenant once, then rate-limits it', async () => {
    const first = await request(server).post(
      '/api/bedrock/entity/component/default/checkout-assistant/refresh',
    );
    expect(first.body).toMatchObject({ tenantId: 'checkout-assistant' });
    expect(first.status).toBe(200);
    expect(first.body.tenantId).toBe('checkout-assistant');
    expect(awsCalls()).toBeGreaterThan(0);
    const second = await request(server).post(
      '/api/bedrock/entity/component/default/checkout-assistant/refresh',
    );
    expect(second.status).toBe(429);
    expect(second.body.error.message).toMatch(/try again in \d+ s/);
  });

  it('answers fuzzed paths, queries and annotations with 2xx/4xx, never 5xx, and no data for unbound claims', async () => {
    let seed = 42;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = [
      'a',
      'Z',
      '0',
      '-',
      '_',
      '.',
      '%',
      ' ',
      '/',
      '?',
      '&',
      '=',
      '\u00e9',
      '\u{1F600}',
      '..',
      '\u0000',
      '24h',
      'from',
      'to',
      'range',
      ':',
    ];
    const junk = () =>
      Array.from(
        { length: 1 + Math.floor(rnd() * 12) },
        () => alphabet[Math.floor(rnd() * alphabet.length)],
      ).join('');
    const statuses = new Set<number>();
    const entityNames = [
      'checkout-assistant',
      ...FUZZ_ENTITIES.map(e => e.metadata.name),
    ];
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    for (let i = 0; i < 150; i++) {
      const seg = () =>
        rnd() < 0.3 ? pick(entityNames) : encodeURIComponent(junk());
      const query =
        rnd() < 0.4
          ? `range=${pick(['24h', '7d', '30d', 'mtd'])}`
          : `${encodeURIComponent(junk())}=${encodeURIComponent(
              junk(),
            )}&range=${encodeURIComponent(junk())}`;
      const paths = [
        `/api/bedrock/entity/${seg()}/${seg()}/${seg()}/summary?${query}`,
        `/api/bedrock/entity/component/default/${pick(
          entityNames,
        )}/summary?${query}`,
        `/api/bedrock/group/${seg()}/${seg()}/rollup?${query}`,
        `/api/bedrock/group/default/${pick([
          'team-fuzz',
          'team-search',
        ])}/rollup?${query}`,
      ];
      for (const path of paths) {
        const res = await request(server).get(path);
        statuses.add(res.status);
        expect({ path, status: res.status < 500 }).toEqual({
          path,
          status: true,
        });
        // a fuzz entity is never bound: never data, whatever it claims
        const fuzzEntity = /\/entity\/component\/default\/fuzz-/.test(path);
        expect({ path, data: fuzzEntity && res.status === 200 }).toEqual({
          path,
          data: false,
        });
        const rolledUp = (res.body as Partial<GroupRollup>).tenants ?? [];
        expect(
          rolledUp
            .filter(t => t.entityRef.includes('/fuzz-'))
            .map(t => t.entityRef),
        ).toEqual([]);
      }
      const refresh = await request(server).post(
        `/api/bedrock/entity/component/default/${pick(
          FUZZ_ENTITIES.map(e => e.metadata.name),
        )}/refresh`,
      );
      expect(refresh.status).toBeGreaterThanOrEqual(400);
      expect(refresh.status).toBeLessThan(500);
    }
    // the generated requests got past validation into the entity, summary and roll-up code
    expect(statuses).toContain(409);
    expect(statuses).toContain(200);
    expect([...statuses].every(s => s >= 200 && s < 500)).toBe(true);
    expect(awsCalls()).toBe(0);
  });

  describe.each([
    ['an admin', mockCredentials.user.header('user:default/admin')],
    ['a member of the copying team', mockCredentials.user.header(MALLORY)],
  ])('for %s', (_who, authorization) => {
    it.each(Object.keys(IMPOSTORS))(
      'serves no data to the %s entity',
      async name => {
        const res = await request(server)
          .get(
            `/api/bedrock/entity/component/default/${name}/summary?range=30d`,
          )
          .set('Authorization', authorization);
        expect(res.status).toBe(409);
        expect(res.body.error.name).toBe('UnverifiedTenantError');
        expect(res.body.error.message).toContain('bedrock.binding.manage');
        expect(res.body).not.toHaveProperty('totals');
        expect(JSON.stringify(res.body)).not.toMatch(/invocations|Usd/);
      },
    );

    it.each(Object.keys(IMPOSTORS))(
      'refuses to refresh the %s entity',
      async name => {
        const res = await request(server)
          .post(`/api/bedrock/entity/component/default/${name}/refresh`)
          .set('Authorization', authorization);
        expect(res.status).toBe(409);
        expect(res.body.error.name).toBe('UnverifiedTenantError');
        expect(awsCalls()).toBe(0);
      },
    );

    it('lists the copies apart in the roll-up, never in the totals', async () => {
      const res = await request(server)
        .get('/api/bedrock/group/default/team-mallory/rollup?range=30d')
        .set('Authorization', authorization);
      expect(res.status).toBe(200);
      const body = res.body as GroupRollup;
      expect(body.tenants).toEqual([]);
      expect(body.totals).toMatchObject({
        tenants: 0,
        invocations: 0,
        estimatedCostUsd: 0,
        monthToDateUsd: 0,
        budgetLimitUsd: 0,
      });
      expect(body.unverified.map(u => u.entityRef)).toEqual(
        Object.keys(IMPOSTORS).map(impostorRef).sort(),
      );
    });
  });

  it('names the holder of a copied tenant to a caller who can read it', async () => {
    const res = await request(server).get(
      '/api/bedrock/entity/component/default/copied-tenant-id/summary',
    );
    expect(res.body.error.message).toContain(
      'Tenant checkout-assistant is bound to another entity',
    );
    expect(res.body.error.message).toContain(
      'It is bound to component:default/checkout-assistant',
    );
  });

  it('still serves the real tenants the copies imitate', async () => {
    for (const t of [checkout, labeling, risk]) {
      const res = await request(server).get(
        `/api/bedrock/entity/component/default/${t.tenantId}/summary?range=30d`,
      );
      expect(res.status).toBe(200);
      expect(res.body.totals.invocations).toBeGreaterThan(0);
    }
  });

  it('refuses a refresh for an account the backend has no credentials for, naming the key', async () => {
    const res = await request(server).post(
      `/api/bedrock/entity/component/default/${risk.tenantId}/refresh`,
    );
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain(risk.accountId);
    expect(res.body.error.message).toContain('aws.accounts');
  });

  it('refuses a refresh without the refresh permission', async () => {
    denied.add('component:default/data-labeling');
    const res = await request(server).post(
      '/api/bedrock/entity/component/default/data-labeling/refresh',
    );
    expect(res.status).toBe(403);
  });
});
