import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_REGIONS,
  ANNOTATION_TENANT_ID,
  bedrockUsageReadPermission,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { Tenant } from '../collector/tenants';
import {
  catalogWith,
  permissionsWith,
  userCredentials,
} from '../__testUtils__/lightServices';
import { GroupRollupService } from './GroupRollupService';
import type { SummaryService, TenantFigures } from './SummaryService';

const RANGE = {
  from: Date.parse('2026-11-13T13:00:00.000Z'),
  to: Date.parse('2026-11-20T13:00:00.000Z'),
};

const annotations = (tenantId: string) => ({
  [ANNOTATION_TENANT_ID]: tenantId,
  [ANNOTATION_ACCOUNT_ID]: '123456789012',
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
      clientErrors: 0,
      serverErrors: 0,
      throttles: 0,
      errorRate: null,
      latencyAvgMs: null,
      latencyMaxMs: null,
      latencyP99Ms: null,
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
  component(
    'broken',
    { owner: 'team-a' },
    { annotations: { [ANNOTATION_TENANT_ID]: 'Bad_Id' } },
  ),
];

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
  const service = GroupRollupService.create({
    catalog,
    permissions: permissionsWith(authorize),
    summary: { rollupFigures } as unknown as SummaryService,
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
    });
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
