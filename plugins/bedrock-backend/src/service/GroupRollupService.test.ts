import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_REGIONS,
  ANNOTATION_TENANT_ID,
  bedrockUsageReadPermission,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { Tenant } from '../tenant';
import {
  catalogWith,
  permissionsWith,
  serviceAuth,
  serviceCredentials,
  userCredentials,
} from '../__testUtils__/lightServices';
import knexFactory from 'knex';
import { readTenantAnnotations } from '@bedrock-tenancy/plugin-bedrock-common';
import { bindEntities } from '../__testUtils__/bindings';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { GroupRollupService } from './GroupRollupService';
import type { SummaryService, TenantFigures } from './SummaryService';

const RANGE = {
  from: Date.parse('2026-11-13T13:00:00.000Z'),
  to: Date.parse('2026-11-20T13:00:00.000Z'),
};

// account attribution: each tenant owns its own account-region (two bindings cannot share one)
const accountOf = (tenantId: string) =>
  String(
    [...tenantId].reduce((n, c) => (n * 31 + c.charCodeAt(0)) % 1e11, 7),
  ).padStart(12, '1');
const annotations = (tenantId: string) => ({
  [ANNOTATION_TENANT_ID]: tenantId,
  [ANNOTATION_ACCOUNT_ID]: accountOf(tenantId),
  [ANNOTATION_REGIONS]: 'us-east-1',
});
const component = (
  name: string,
  spec: Record<string, unknown>,
  more: {
    annotations?: Record<string, string>;
    relations?: object[];
    namespace?: string;
    title?: string;
  } = {},
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: more.namespace ?? 'default',
    title: more.title,
    annotations: more.annotations ?? {},
  },
  spec: { type: 'service', ...spec },
  relations: more.relations ?? [],
});
const group = (
  name: string,
  children: string[] = [],
  more: { namespace?: string; relations?: object[] } = {},
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: more.namespace ?? 'default' },
  spec: { type: 'team', children },
  relations: more.relations ?? [],
});

/** Per tenant id: the figures the summary service would give (cost null = unpriced traffic). */
const FIGURES: Record<
  string,
  { cost: number | null; mtd: number; alarms: string[]; budget?: number }
> = {
  'tenant-a': {
    cost: 10,
    mtd: 40,
    alarms: ['ALARM', 'OK', 'ALARM'],
    budget: 100,
  },
  'tenant-b': { cost: 30, mtd: 50, alarms: ['INSUFFICIENT_DATA'] },
  'tenant-c': { cost: null, mtd: 5, alarms: [] },
  'tenant-d': { cost: 1, mtd: 1, alarms: [] },
  'tenant-e': { cost: 2, mtd: 2, alarms: [] },
  'tenant-f': { cost: 4, mtd: 4, alarms: [] },
  'tenant-y': { cost: 3, mtd: 3, alarms: [] },
};

function figures(t: Tenant): TenantFigures {
  const f = FIGURES[t.tenantId];
  return {
    totals: {
      invocations: 100,
      inputTokens: 1000,
      outputTokens: 10,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      clientErrors: 0,
      serverErrors: 0,
      throttles: 0,
      errorRate: null,
      latencyAvgMs: null,
      latencyMaxMs: null,
      latencyP99Ms: null,
      streamingRequests: 0,
      ttftAvgMs: null,
      ttftP99Ms: null,
      estimatedCostUsd: f.cost,
    },
    cost: {
      status: 'ok',
      data: {
        // the priced part only, when some traffic is unpriced
        rangeEstimatedUsd: f.cost ?? 0.5,
        monthToDateUsd: f.mtd,
        projectedMonthEndUsd: f.mtd * 2,
      } as any,
    },
    budget:
      f.budget === undefined
        ? { status: 'error', message: 'AccessDenied' }
        : {
            status: 'ok',
            data: { limitUsd: f.budget, usedFraction: 0.4 } as any,
          },
    alarms: {
      status: 'ok',
      data: f.alarms.map((state, i) => ({ name: `a${i}`, state } as any)),
    },
  };
}

const entities = [
  group('team-a', ['team-child']),
  group('team-child', [], {
    relations: [
      { type: 'parentOf', targetRef: 'group:default/team-grandchild' },
    ],
  }),
  group('team-grandchild'),
  group('team-other'),
  // owned by team-a through the shorthand owner
  component(
    'a',
    { owner: 'team-a' },
    { annotations: annotations('tenant-a'), title: 'Tenant A' },
  ),
  // ... through `group:name`
  component(
    'b',
    { owner: 'group:team-a' },
    { annotations: annotations('tenant-b') },
  ),
  // ... through the full ref; unpriced traffic
  component(
    'c',
    { owner: 'group:default/team-a' },
    { annotations: annotations('tenant-c') },
  ),
  // ... through the ownedBy relation only; the caller may not read it
  component(
    'd',
    { owner: 'someone-else' },
    {
      annotations: annotations('tenant-d'),
      relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
    },
  ),
  // owned by the child group and by the grandchild
  component(
    'e',
    { owner: 'team-child' },
    { annotations: annotations('tenant-e') },
  ),
  component(
    'f',
    { owner: 'team-grandchild' },
    { annotations: annotations('tenant-f') },
  ),
  // owned by another team: never part of team-a
  component(
    'x',
    { owner: 'team-other' },
    { annotations: annotations('tenant-x') },
  ),
  // a team-a entity in another namespace with the same group name: not team-a's
  component(
    'y',
    { owner: 'team-a' },
    { annotations: annotations('tenant-y'), namespace: 'elsewhere' },
  ),
  // owned, but not a (valid) tenant
  component('plain', { owner: 'team-a' }),
  // owned, but of a kind that is never a tenant: not listed as lacking annotations
  { ...component('storefront', { owner: 'team-a' }), kind: 'System' },
  { ...component('orders-api', { owner: 'team-a' }), kind: 'API' },
  component(
    'broken',
    { owner: 'team-a' },
    { annotations: { [ANNOTATION_TENANT_ID]: 'Bad_Id' } },
  ),
];

/** The bindings the suite would have recorded for the fixtures with valid annotations. */
async function bindingsFor(fixtures: any[]) {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  await DatabaseUsageStore.migrate(knex);
  return bindEntities(
    knex,
    fixtures.filter(e => readTenantAnnotations(e).kind === 'ok'),
  );
}

describe('GroupRollupService', () => {
  const denied = new Set(['component:default/d']);
  const authorize = jest.fn(async (requests: any[], _options?: object) =>
    requests.map(r => ({
      result: denied.has(r.resourceRef)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    })),
  );
  const rollupFigures = jest.fn(async (tenants: Tenant[], _range?: object) =>
    tenants.map(figures),
  );
  const catalog = catalogWith(entities);
  let service: GroupRollupService;
  beforeAll(async () => {
    service = GroupRollupService.create({
      catalog,
      auth: serviceAuth(),
      permissions: permissionsWith(authorize),
      summary: { rollupFigures } as unknown as SummaryService,
      bindings: await bindingsFor(entities),
    });
  });
  const credentials = userCredentials('user:default/ann');
  const rollup = (name: string, includeChildren: boolean) =>
    service.rollup({
      group: entities.find(
        e => e.kind === 'Group' && e.metadata.name === name,
      ) as any,
      includeChildren,
      range: RANGE,
      credentials,
    });

  beforeEach(() => {
    authorize.mockClear();
    rollupFigures.mockClear();
  });

  it('rolls up the readable tenants the group owns, however the owner is written, and lists what is not a tenant', async () => {
    const r = await rollup('team-a', false);
    expect(r.groupRef).toBe('group:default/team-a');
    expect(r.includeChildren).toBe(false);
    expect(r.range).toEqual({
      from: '2026-11-13T13:00:00.000Z',
      to: '2026-11-20T13:00:00.000Z',
    });
    // sorted by cost, unpriced (null) last; d is denied
    expect(
      r.tenants.map(t => [t.tenantId, t.entityRef, t.title, t.owner]),
    ).toEqual([
      ['tenant-b', 'component:default/b', 'b', 'group:default/team-a'],
      ['tenant-a', 'component:default/a', 'Tenant A', 'group:default/team-a'],
      ['tenant-c', 'component:default/c', 'c', 'group:default/team-a'],
    ]);
    expect(r.tenants[1]).toEqual({
      entityRef: 'component:default/a',
      title: 'Tenant A',
      tenantId: 'tenant-a',
      owner: 'group:default/team-a',
      invocations: 100,
      inputTokens: 1000,
      outputTokens: 10,
      estimatedCostUsd: 10,
      monthToDateUsd: 40,
      projectedMonthEndUsd: 80,
      budgetLimitUsd: 100,
      budgetUsedFraction: 0.4,
      alarmsInAlarm: 2,
      // no billed figures: nothing to compare the estimate with
      reconciliation: null,
    });
    expect(r.tenants[0]).toMatchObject({
      budgetLimitUsd: null,
      budgetUsedFraction: null,
      alarmsInAlarm: 0,
    });
    expect(r.totals).toEqual({
      tenants: 3,
      invocations: 300,
      inputTokens: 3000,
      outputTokens: 30,
      // priced traffic: 10 + 30 + the priced part of c
      estimatedCostUsd: 40.5,
      monthToDateUsd: 95,
      projectedMonthEndUsd: 190,
      budgetLimitUsd: 100,
      alarmsInAlarm: 2,
      unpricedTenants: 1,
      // the estimate is marked partial, and says why
      partial: true,
      partialReason:
        '1 tenant(s) use models without a price: only their priced traffic is counted',
      reconciliation: null,
    });
    expect(r.groups).toEqual(['group:default/team-a']);
    // d claims a tenant the caller may not read: left out, counted
    expect(r.unreadableTenants).toBe(1);
    expect(r.unannotated).toEqual([
      {
        entityRef: 'component:default/broken',
        title: 'broken',
        kind: 'Component',
      },
      {
        entityRef: 'component:default/plain',
        title: 'plain',
        kind: 'Component',
      },
    ]);
    expect(r.unannotatedCount).toBe(2);
    // asked once for every annotated entity, with the caller's credentials
    expect(authorize).toHaveBeenCalledTimes(1);
    expect(
      authorize.mock.calls[0][0].map((q: any) => q.resourceRef).sort(),
    ).toEqual([
      'component:default/a',
      'component:default/b',
      'component:default/broken',
      'component:default/c',
      'component:default/d',
    ]);
    for (const q of authorize.mock.calls[0][0] as any[])
      expect(q.permission).toBe(bedrockUsageReadPermission);
    expect(authorize.mock.calls[0][1]).toEqual({ credentials });
    // listed up to the row limit, counted whole
    const one = await service.rollup({
      group: entities.find(e => e.metadata.name === 'team-a') as any,
      includeChildren: false,
      range: RANGE,
      credentials,
      limit: 1,
    });
    expect(one.unannotated.map(u => u.entityRef)).toEqual([
      'component:default/broken',
    ]);
    expect(one.unannotatedCount).toBe(2);
    // the summary is asked only for the permitted tenants
    expect(rollupFigures.mock.calls[0][0].map(t => t.tenantId).sort()).toEqual([
      'tenant-a',
      'tenant-b',
      'tenant-c',
    ]);
    expect(rollupFigures.mock.calls[0][1]).toBe(RANGE);
  });

  it('adds child groups, through spec.children and parentOf, on request', async () => {
    const r = await rollup('team-a', true);
    expect(r.includeChildren).toBe(true);
    // the card says which groups are counted
    expect(r.groups).toEqual([
      'group:default/team-a',
      'group:default/team-child',
      'group:default/team-grandchild',
    ]);
    expect(r.tenants.map(t => t.tenantId)).toEqual([
      'tenant-b',
      'tenant-a',
      'tenant-f',
      'tenant-e',
      'tenant-c',
    ]);
    expect(r.tenants.find(t => t.tenantId === 'tenant-f')!.owner).toBe(
      'group:default/team-grandchild',
    );
  });

  it('rolls up nothing, and asks nothing, for a group that owns no tenant', async () => {
    const r = await rollup('team-grandchild', false);
    expect(r.tenants.map(t => t.tenantId)).toEqual(['tenant-f']);
    const none = await service.rollup({
      group: group('team-empty') as any,
      includeChildren: true,
      range: RANGE,
      credentials,
    });
    expect(none.tenants).toEqual([]);
    expect(none.unannotated).toEqual([]);
    expect(none.totals).toMatchObject({
      tenants: 0,
      estimatedCostUsd: 0,
      unpricedTenants: 0,
      partial: false,
      partialReason: null,
    });
  });

  it('keeps a team of another namespace to its own entities', async () => {
    const r = await service.rollup({
      group: group('team-a', [], { namespace: 'elsewhere' }) as any,
      includeChildren: false,
      range: RANGE,
      credentials,
    });
    expect(r.tenants.map(t => t.tenantId)).toEqual(['tenant-y']);
    expect(r.tenants[0].owner).toBe('group:elsewhere/team-a');
  });

  it('lets no one see a tenant the permission framework does not allow', async () => {
    denied.add('component:default/a');
    denied.add('component:default/b');
    denied.add('component:default/c');
    try {
      const r = await rollup('team-a', false);
      expect(r.tenants).toEqual([]);
      expect(r.totals.estimatedCostUsd).toBe(0);
    } finally {
      denied.delete('component:default/a');
      denied.delete('component:default/b');
      denied.delete('component:default/c');
    }
  });
});

describe('GroupRollupService edges', () => {
  const ok = (tenantId: string): TenantFigures => ({
    ...figures({ tenantId: 'tenant-d' } as Tenant),
    totals: {
      ...figures({ tenantId: 'tenant-d' } as Tenant).totals,
      invocations: tenantId.length,
    },
  });
  const failed: TenantFigures = {
    ...ok('x'),
    cost: { status: 'error', message: 'store down' },
    budget: { status: 'error', message: 'AccessDenied' },
    alarms: { status: 'error', message: 'AccessDenied' },
  };
  const rollupFigures = jest.fn(async (tenants: Tenant[], _range?: object) =>
    tenants.map(t => (t.tenantId === 'err-t' ? failed : ok(t.tenantId))),
  );
  /** The catalog, recording what it was asked and with which options. */
  function spyCatalog(fixtures: object[]) {
    const inner = catalogWith(fixtures) as any;
    const calls: Array<{ method: string; request: any; options: any }> = [];
    const spy = new Proxy(inner, {
      get(target, method: string) {
        return (request: any, options: any) => {
          calls.push({ method, request, options });
          return target[method](request, options);
        };
      },
    });
    return { catalog: spy, calls };
  }
  const credentials = userCredentials('user:default/bob');
  const allow = jest.fn(async (requests: any[], _options?: object) =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  );
  const rollupOf = async (
    fixtures: any[],
    groupRef: string,
    authorize: (...args: any[]) => Promise<any> = allow,
    limits: { maxGroups?: number } = {},
  ) => {
    const { catalog, calls } = spyCatalog(fixtures);
    const service = GroupRollupService.create({
      catalog,
      auth: serviceAuth(),
      permissions: permissionsWith(authorize),
      summary: { rollupFigures } as unknown as SummaryService,
      bindings: await bindingsFor(fixtures),
      ...limits,
    });
    const [, namespace, name] = /^group:([^/]+)\/(.+)$/.exec(groupRef)!;
    const r = await service.rollup({
      group: fixtures.find(
        e =>
          e.kind === 'Group' &&
          e.metadata.name === name &&
          e.metadata.namespace === namespace,
      ),
      includeChildren: true,
      range: RANGE,
      credentials,
    });
    return { r, calls };
  };

  const edges = [
    group('lead', ['team-ghost', 'sub'], {
      // not a parentOf relation: never followed
      relations: [{ type: 'childOf', targetRef: 'group:default/top' }],
    }),
    // a cycle back to lead
    group('sub', ['lead']),
    group('top'),
    component('top-t', { owner: 'top' }, { annotations: annotations('top-t') }),
    // the ownedBy relation wins over spec.owner
    component(
      'rel-wins',
      { owner: 'lead' },
      {
        annotations: annotations('rel-wins'),
        relations: [{ type: 'ownedBy', targetRef: 'group:default/top' }],
      },
    ),
    // one of several owners is enough; the owner shown is the first
    component(
      'multi',
      { owner: 'nobody' },
      {
        annotations: annotations('multi'),
        relations: [
          { type: 'partOf', targetRef: 'system:default/s' },
          { type: 'ownedBy', targetRef: 'group:default/top' },
          { type: 'ownedBy', targetRef: 'group:default/sub' },
        ],
      },
    ),
    component('err-t', { owner: 'sub' }, { annotations: annotations('err-t') }),
    // another kind of relation to the group is not ownership
    component(
      'dep',
      { owner: 'lead' },
      {
        annotations: annotations('dep'),
        relations: [
          { type: 'dependsOn', targetRef: 'group:default/lead' },
          { type: 'ownedBy', targetRef: 'group:default/top' },
        ],
      },
    ),
    group('ns-lead', ['ns-sub'], { namespace: 'elsewhere' }),
    group('ns-sub', [], { namespace: 'elsewhere' }),
    component(
      'ns-t',
      { owner: 'ns-sub' },
      { annotations: annotations('ns-t'), namespace: 'elsewhere' },
    ),
  ];

  it('follows children and parentOf only, skips missing groups, stops on cycles, reads the tree with the plugin own credentials', async () => {
    const { r, calls } = await rollupOf(edges, 'group:default/lead');
    expect(r.tenants.map(t => [t.tenantId, t.owner]).sort()).toEqual([
      ['err-t', 'group:default/sub'],
      ['multi', 'group:default/top'],
    ]);
    // a panel that failed counts as nothing, and does not fail the roll-up
    expect(r.tenants.find(t => t.tenantId === 'err-t')).toMatchObject({
      monthToDateUsd: null,
      projectedMonthEndUsd: null,
      budgetLimitUsd: null,
      alarmsInAlarm: 0,
    });
    expect(r.totals.estimatedCostUsd).toBe(1);
    // ... but the total says it is not the whole cost
    expect(r.totals.partial).toBe(true);
    expect(r.totals.partialReason).toBe(
      'the cost of 1 tenant(s) could not be computed: not counted',
    );
    // the tree is shared by every caller: what each may read of it is decided apart
    for (const c of calls)
      expect(c.options).toEqual({ credentials: serviceCredentials() });
    const [lookup] = calls.filter(c => c.method === 'getEntitiesByRefs');
    expect(lookup.request.entityRefs.sort()).toEqual([
      'group:default/sub',
      'group:default/team-ghost',
    ]);
    // the owned entities by a paginated query over the groups (a batch of at most 12)
    const [owned] = calls.filter(c => c.method === 'queryEntities');
    expect(owned.request.limit).toBeGreaterThan(0);
    expect(owned.request.filter).toEqual([
      {
        'relations.ownedBy': ['group:default/lead', 'group:default/sub'],
      },
      {
        'spec.owner': [
          'group:default/lead',
          'group:lead',
          'lead',
          'group:default/sub',
          'group:sub',
          'sub',
        ],
      },
    ]);
  });

  it('resolves the children of a group in its own namespace', async () => {
    const { r } = await rollupOf(edges, 'group:elsewhere/ns-lead');
    expect(r.tenants.map(t => [t.tenantId, t.owner])).toEqual([
      ['ns-t', 'group:elsewhere/ns-sub'],
    ]);
  });

  it('shows nothing when the permission framework answers nothing', async () => {
    const { r } = await rollupOf(
      edges,
      'group:default/lead',
      jest.fn(async () => []),
    );
    expect(r.tenants).toEqual([]);
  });

  it('counts every group of a deep tree, and refuses with a 400 past maxGroups instead of leaving some out', async () => {
    const chain = Array.from({ length: 202 }, (_, i) =>
      group(`c${i}`, [`c${i + 1}`]),
    );
    const fixtures = [
      ...chain,
      component(
        't199',
        { owner: 'c199' },
        { annotations: annotations('t199') },
      ),
      component(
        't200',
        { owner: 'c200' },
        { annotations: annotations('t200') },
      ),
    ];
    const { r } = await rollupOf(fixtures, 'group:default/c0');
    expect(r.groups).toHaveLength(202);
    expect(r.tenants.map(t => t.tenantId).sort()).toEqual(['t199', 't200']);
    await expect(
      rollupOf(fixtures, 'group:default/c0', allow, { maxGroups: 200 }),
    ).rejects.toThrow(
      'the group tree of group:default/c0 has more than 200 groups: open the roll-up of one of its child groups, or of this group without its children (includeChildren=false)',
    );
  });
});

describe('GroupRollupService rows and lists', () => {
  const credentials = userCredentials('user:default/cy');
  const allow = jest.fn(async (requests: any[], _options?: object) =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  );
  const base = figures({ tenantId: 'tenant-d' } as Tenant);
  /** A service over these fixtures, with these figures per tenant id; only `bound` entities have a binding. */
  const serviceOf = async (
    fixtures: any[],
    figuresOf: (tenantId: string) => TenantFigures,
    bound: any[] = fixtures,
  ) =>
    GroupRollupService.create({
      catalog: catalogWith(fixtures),
      auth: serviceAuth(),
      permissions: permissionsWith(allow),
      summary: {
        rollupFigures: async (tenants: Tenant[]) =>
          tenants.map(t => figuresOf(t.tenantId)),
      } as unknown as SummaryService,
      bindings: await bindingsFor(bound),
    });
  const request = (fixtures: any[]) => ({
    group: fixtures[0],
    includeChildren: false,
    range: RANGE,
    credentials,
  });
  const tenants = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      component(
        `t${i}`,
        { owner: 'lead' },
        { annotations: annotations(`tenant-${i}`) },
      ),
    );

  it('answers the 50 most expensive rows by default, counting and totalling them all', async () => {
    const fixtures = [group('lead'), ...tenants(51)];
    const service = await serviceOf(fixtures, id => ({
      ...base,
      totals: {
        ...base.totals,
        estimatedCostUsd: Number(id.split('-')[1]) + 1,
      },
    }));
    const r = await service.rollup(request(fixtures));
    expect(r.tenants).toHaveLength(50);
    expect(r.tenantCount).toBe(51);
    expect(r.truncated).toBe(true);
    expect(r.totals.tenants).toBe(51);
    expect(r.totals.invocations).toBe(51 * 100);
    // the cheapest one is the one left out
    expect(r.tenants.map(t => t.tenantId)).not.toContain('tenant-0');
    expect(r.tenants[0].tenantId).toBe('tenant-50');
    // a limit of exactly the tenant count leaves none out
    const exact = await service.rollup({ ...request(fixtures), limit: 51 });
    expect(exact.tenants).toHaveLength(51);
    expect(exact.tenantCount).toBe(51);
    expect(exact.truncated).toBe(false);
    const fewer = await service.rollup({ ...request(fixtures), limit: 50 });
    expect(fewer.truncated).toBe(true);
  });

  it('gives each detailed row its models, billed cost and priced cost, and no budget when the budget failed', async () => {
    const fixtures = [group('lead'), ...tenants(3)];
    const models = [
      { modelId: 'anthropic.claude', invocations: 7 },
    ] as unknown as TenantFigures['models'];
    const service = await serviceOf(fixtures, id => {
      if (id === 'tenant-0')
        return {
          ...base,
          models,
          billedUsd: 12.5,
          budget: {
            status: 'ok',
            data: { limitUsd: 300, usedFraction: 0.25 } as any,
          },
        };
      if (id === 'tenant-1')
        // unpriced traffic: only its priced part (0.75) is counted
        return {
          ...base,
          totals: { ...base.totals, estimatedCostUsd: null },
          cost: {
            status: 'ok',
            data: {
              rangeEstimatedUsd: 0.75,
              monthToDateUsd: 3,
              projectedMonthEndUsd: 6,
            } as any,
          },
          budget: { status: 'error', message: 'AccessDenied' },
        };
      // the cost could not be computed
      return {
        ...base,
        cost: { status: 'error', message: 'store down' },
        budget: { status: 'error', message: 'AccessDenied' },
      };
    });
    const d = await service.detailedRollup(request(fixtures));
    const row = (id: string) => d.tenants.find(t => t.tenantId === id)!;
    expect(row('tenant-0')).toMatchObject({
      models,
      billedUsd: 12.5,
      pricedCostUsd: 1,
      budgetLimitUsd: 300,
      budgetUsedFraction: 0.25,
    });
    // a tenant without per-model usage or billed cost has none, not made-up ones
    expect(row('tenant-1')).toMatchObject({
      models: [],
      billedUsd: null,
      pricedCostUsd: 0.75,
      budgetLimitUsd: null,
      budgetUsedFraction: null,
    });
    expect(row('tenant-2')).toMatchObject({
      models: [],
      billedUsd: null,
      pricedCostUsd: 0,
      monthToDateUsd: null,
    });
    // the totals count the priced cost of each row, and say every reason they are partial
    expect(d.totals.estimatedCostUsd).toBe(
      d.tenants.reduce((n, t) => n + t.pricedCostUsd, 0),
    );
    expect(d.totals.estimatedCostUsd).toBe(1.75);
    expect(d.totals.budgetLimitUsd).toBe(300);
    expect(d.totals.partial).toBe(true);
    expect(d.totals.partialReason).toBe(
      '1 tenant(s) use models without a price: only their priced traffic is counted; the cost of 1 tenant(s) could not be computed: not counted',
    );
    // the card's rows carry none of the export's columns
    const r = await service.rollup(request(fixtures));
    for (const t of r.tenants) {
      expect(t).not.toHaveProperty('models');
      expect(t).not.toHaveProperty('billedUsd');
      expect(t).not.toHaveProperty('pricedCostUsd');
    }
  });

  it('lists a tenant without a binding of its own apart, sorted, never summed', async () => {
    const fixtures = [
      group('lead'),
      component(
        'zeta',
        { owner: 'lead' },
        { annotations: annotations('tenant-z'), title: 'Zeta' },
      ),
      component(
        'bound',
        { owner: 'lead' },
        { annotations: annotations('tenant-b') },
      ),
      component(
        'alpha',
        { owner: 'lead' },
        { annotations: annotations('tenant-a') },
      ),
      component(
        'mid',
        { owner: 'lead' },
        { annotations: annotations('tenant-m') },
      ),
    ];
    const bound = fixtures.filter(e => e.metadata.name === 'bound');
    const asked: string[][] = [];
    const service = GroupRollupService.create({
      catalog: catalogWith(fixtures),
      auth: serviceAuth(),
      permissions: permissionsWith(allow),
      summary: {
        rollupFigures: async (ts: Tenant[]) => {
          asked.push(ts.map(t => t.tenantId));
          return ts.map(() => base);
        },
      } as unknown as SummaryService,
      bindings: await bindingsFor(bound),
    });
    const r = await service.rollup(request(fixtures));
    expect(r.tenants.map(t => t.entityRef)).toEqual([
      'component:default/bound',
    ]);
    expect(r.totals.tenants).toBe(1);
    expect(r.totals.invocations).toBe(100);
    // no figures are read for them
    expect(asked).toEqual([['tenant-b']]);
    expect(r.unverified).toEqual([
      {
        entityRef: 'component:default/alpha',
        title: 'alpha',
        kind: 'Component',
        reason:
          'No binding records tenant tenant-a for component:default/alpha.',
      },
      {
        entityRef: 'component:default/mid',
        title: 'mid',
        kind: 'Component',
        reason: 'No binding records tenant tenant-m for component:default/mid.',
      },
      {
        entityRef: 'component:default/zeta',
        title: 'Zeta',
        kind: 'Component',
        reason:
          'No binding records tenant tenant-z for component:default/zeta.',
      },
    ]);
    expect(r.unverifiedCount).toBe(3);
    const two = await service.rollup({ ...request(fixtures), limit: 2 });
    expect(two.unverified.map(u => u.entityRef)).toEqual([
      'component:default/alpha',
      'component:default/mid',
    ]);
    expect(two.unverifiedCount).toBe(3);
    expect(r.unreadableTenants).toBe(0);
    expect(r.unannotated).toEqual([]);
  });

  it('lists nothing as unverified when every tenant is bound', async () => {
    const fixtures = [group('lead'), ...tenants(2)];
    const service = await serviceOf(fixtures, () => base);
    const r = await service.rollup(request(fixtures));
    expect(r.unverified).toEqual([]);
    expect(r.tenants).toHaveLength(2);
    const none = [group('lead')];
    const empty = await (
      await serviceOf(none, () => base)
    ).rollup(request(none));
    expect(empty.unverified).toEqual([]);
    expect(empty.unreadableTenants).toBe(0);
  });
});
