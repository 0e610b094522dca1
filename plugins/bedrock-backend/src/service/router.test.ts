import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BudgetsClient } from '@aws-sdk/client-budgets';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DEMO_TENANTS,
  demoTenantEntity,
  hourlyUsage,
} from '@bedrock-tenancy/demo';
import {
  ANNOTATION_TENANT_ID,
  DEFAULT_PRICES,
  EntitySummary,
  findPrice,
  GroupRollup,
  normalizeModelId,
  priceTokens,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { mockClient } from 'aws-sdk-client-mock';
import request from 'supertest';
import { startBedrockBackend } from '../__testUtils__/startBedrockBackend';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { HourlyUsageRow } from '../database/types';

jest.setTimeout(60_000);

const HOUR = 3_600_000;
const ANCHOR = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const checkout = DEMO_TENANTS.find(t => t.tenantId === 'checkout-assistant')!;
const labeling = DEMO_TENANTS.find(t => t.tenantId === 'data-labeling')!;
const ranker = DEMO_TENANTS.find(t => t.tenantId === 'search-ranker')!;

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
        clientErrors: h.clientErrors,
        serverErrors: h.serverErrors,
        throttles: h.throttles,
        latencyAvgMs: h.latencyMs,
        latencyMaxMs: h.latencyMs,
        latencyP99Ms: null,
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

const entities = [
  demoTenantEntity(checkout),
  demoTenantEntity(labeling),
  demoTenantEntity(ranker),
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
    for (const t of [checkout, labeling, ranker]) {
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
          authorize: async reqs =>
            reqs.map(r => ({
              result: denied.has((r as any).resourceRef)
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
            })) as any,
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
    const cost = inRange.reduce(
      (s, r) =>
        s +
        priceTokens(
          findPrice(DEFAULT_PRICES, r.modelId, r.region, r.hour.slice(0, 10))!,
          r,
        ),
      0,
    );
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

  it('includes child groups when asked', async () => {
    denied.delete('component:default/search-ranker');
    const without = await request(server).get(
      '/api/bedrock/group/default/storefront/rollup?range=7d',
    );
    expect(without.body.tenants).toEqual([]);
    const res = await request(server).get(
      '/api/bedrock/group/default/storefront/rollup?range=7d&includeChildren=true',
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

  it('answers fuzzed paths and queries with 2xx/4xx, never 5xx', async () => {
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
    for (let i = 0; i < 120; i++) {
      const seg = () =>
        rnd() < 0.3 ? 'checkout-assistant' : encodeURIComponent(junk());
      const query = `${encodeURIComponent(junk())}=${encodeURIComponent(
        junk(),
      )}&range=${encodeURIComponent(junk())}`;
      const paths = [
        `/api/bedrock/entity/${seg()}/${seg()}/${seg()}/summary?${query}`,
        `/api/bedrock/group/${seg()}/${seg()}/rollup?${query}`,
      ];
      for (const path of paths) {
        const res = await request(server).get(path);
        statuses.add(res.status);
        expect({ path, status: res.status < 500 }).toEqual({
          path,
          status: true,
        });
      }
    }
    expect([...statuses].every(s => s >= 200 && s < 500)).toBe(true);
  });

  it('refuses a refresh without the refresh permission', async () => {
    denied.add('component:default/data-labeling');
    const res = await request(server).post(
      '/api/bedrock/entity/component/default/data-labeling/refresh',
    );
    expect(res.status).toBe(403);
  });
});
