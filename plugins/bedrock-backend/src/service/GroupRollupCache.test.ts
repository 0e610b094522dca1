import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_REGIONS,
  ANNOTATION_TENANT_ID,
} from '@bedrock-tenancy/plugin-bedrock-common';
import knexFactory from 'knex';
import type { Tenant } from '../tenant';
import {
  catalogWith,
  permissionsWith,
  serviceAuth,
  serviceCredentials,
  userCredentials,
} from '../__testUtils__/lightServices';
import { bindEntities } from '../__testUtils__/bindings';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { GroupRollupService } from './GroupRollupService';
import type { SummaryService, TenantFigures } from './SummaryService';

const RANGE = {
  from: Date.parse('2026-11-01T00:00:00.000Z'),
  to: Date.parse('2026-11-20T13:00:00.000Z'),
};
const TENANTS = 7;
const team = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team', namespace: 'default' },
  spec: { type: 'team', children: [] },
};
const tenantEntity = (i: number) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: `t${i}`,
    namespace: 'default',
    annotations: {
      [ANNOTATION_TENANT_ID]: `tenant-${i}`,
      [ANNOTATION_ACCOUNT_ID]: String(111111111100 + i),
      [ANNOTATION_REGIONS]: 'us-east-1',
    },
  },
  spec: { type: 'service', owner: 'team' },
});
const entities = [
  team,
  ...Array.from({ length: TENANTS }, (_, i) => tenantEntity(i)),
];

/** Invocations per tenant as the store holds them; a collection bumps them (and the version). */
let collected = 1;
const figures = (t: Tenant): TenantFigures => {
  const i = Number(t.tenantId.split('-')[1]);
  return {
    totals: {
      invocations: collected * (i + 1),
      inputTokens: 0,
      outputTokens: 0,
      estimatedCostUsd: i + 1,
    },
    cost: {
      status: 'ok',
      data: {
        rangeEstimatedUsd: i + 1,
        monthToDateUsd: 0,
        projectedMonthEndUsd: 0,
      } as any,
    },
    budget: { status: 'error', message: 'none' },
    alarms: { status: 'ok', data: [] },
  } as unknown as TenantFigures;
};

describe('GroupRollupService access cache', () => {
  const ann = userCredentials('user:default/ann');
  const bob = userCredentials('user:default/bob');
  // ann acting through a service on behalf of bob: a caller of its own
  const annForBob = {
    ...ann,
    principal: { type: 'service', subject: 'plugin:x', actor: bob.principal },
  } as unknown as BackstageCredentials;
  const mayRead = new Set(['user:default/ann']);
  const authorize = jest.fn(async (requests: any[], options: any) =>
    requests.map(() => ({
      result: mayRead.has(options.credentials.principal.userEntityRef)
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
    })),
  );
  const rollupFigures = jest.fn(async (tenants: Tenant[]) =>
    tenants.map(figures),
  );
  const catalog = catalogWith(entities);
  let clock = 0;
  let service: GroupRollupService;
  beforeAll(async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    await DatabaseUsageStore.migrate(knex);
    service = GroupRollupService.create({
      catalog,
      auth: serviceAuth(),
      permissions: permissionsWith(authorize),
      summary: { rollupFigures } as unknown as SummaryService,
      bindings: await bindEntities(knex, entities.slice(1)),
      accessTtlMs: 10_000,
      now: () => clock,
    });
  });
  const rollup = (credentials: BackstageCredentials, limit?: number) =>
    service.rollup({
      group: team as any,
      includeChildren: false,
      range: RANGE,
      credentials,
      limit,
    });

  it('never lets two callers share an entry, and shows a collection at once', async () => {
    const owner = await rollup(ann);
    expect(owner.tenants).toHaveLength(TENANTS);
    expect(owner.unreadableTenants).toBe(0);
    expect(authorize).toHaveBeenCalledTimes(1);

    // another caller within the TTL: its own listing and decision, none of ann's rows
    const other = await rollup(bob);
    expect(other.tenants).toEqual([]);
    expect(other.totals.tenants).toBe(0);
    expect(other.unreadableTenants).toBe(TENANTS);
    expect(authorize).toHaveBeenCalledTimes(2);
    // a service acting for someone is not the person either
    expect((await rollup(annForBob)).tenants).toEqual([]);
    expect(authorize).toHaveBeenCalledTimes(3);

    // ann again within the TTL: her cached outcome, no new decision; a collection shows at once
    collected = 5;
    const again = await rollup(ann);
    expect(authorize).toHaveBeenCalledTimes(3);
    expect(again.totals.invocations).toBe(5 * ((TENANTS * (TENANTS + 1)) / 2));
    expect(again.totals.invocations).not.toBe(owner.totals.invocations);

    // a permission change shows once the TTL is over
    mayRead.delete('user:default/ann');
    expect((await rollup(ann)).tenants).toHaveLength(TENANTS);
    clock += 10_001;
    expect((await rollup(ann)).tenants).toEqual([]);
    mayRead.add('user:default/ann');
  });

  it('answers the most expensive rows up to the limit, with totals over every tenant', async () => {
    clock += 20_000;
    const all = await rollup(ann, 2000);
    const top = await rollup(ann, 3);
    expect(all.truncated).toBe(false);
    expect(all.tenantCount).toBe(TENANTS);
    expect(top.truncated).toBe(true);
    expect(top.tenantCount).toBe(TENANTS);
    expect(top.tenants.map(t => t.tenantId)).toEqual([
      'tenant-6',
      'tenant-5',
      'tenant-4',
    ]);
    expect(top.totals).toEqual(all.totals);
    expect(top.totals.tenants).toBe(TENANTS);
    // the detailed roll-up (chargeback export) has every tenant
    const detailed = await service.detailedRollup({
      group: team as any,
      includeChildren: false,
      range: RANGE,
      credentials: ann,
    });
    expect(detailed.tenants).toHaveLength(TENANTS);
  });
});

describe('GroupRollupService reuse', () => {
  const ann = userCredentials('user:default/ann');
  const bob = userCredentials('user:default/bob');
  let mayRead = true;
  const authorize = jest.fn(async (requests: any[], _options: any) =>
    requests.map(() => ({
      result: mayRead ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
    })),
  );
  /** The store's figures: the same array while its data version holds, as SummaryService answers. */
  let version = 1;
  let answered: { version: number; figures: TenantFigures[] } | undefined;
  const rollupFigures = jest.fn(async (tenants: Tenant[]) => {
    if (answered?.version !== version)
      answered = { version, figures: tenants.map(figures) };
    return answered.figures;
  });
  let clock = 0;
  const serviceWith = async (accessTtlMs: number) => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    await DatabaseUsageStore.migrate(knex);
    return GroupRollupService.create({
      catalog: catalogWith(entities),
      auth: serviceAuth(),
      permissions: permissionsWith(authorize),
      summary: { rollupFigures } as unknown as SummaryService,
      bindings: await bindEntities(knex, entities.slice(1)),
      accessTtlMs,
      now: () => clock,
    });
  };
  const detailed = (s: GroupRollupService, credentials = ann) =>
    s.detailedRollup({
      group: team as any,
      includeChildren: false,
      range: RANGE,
      credentials,
    });
  beforeEach(() => {
    authorize.mockClear();
    mayRead = true;
    clock = 0;
  });

  it('reuses the assembled roll-up while the access outcome and the figures are both reused', async () => {
    const s = await serviceWith(10_000);
    const first = await detailed(s);
    expect(first.tenants).toHaveLength(TENANTS);
    clock = 1_000;
    expect(await detailed(s)).toBe(first);
    expect(authorize).toHaveBeenCalledTimes(1);
    // another caller, same figures: a roll-up of its own
    const other = await detailed(s, bob);
    expect(other).not.toBe(first);
    expect(other.tenants).toHaveLength(TENANTS);
    // a collection: a new roll-up, with the new figures, from the same access outcome
    version = 2;
    collected = 9;
    const after = await detailed(s);
    expect(after).not.toBe(first);
    expect(after.totals.invocations).toBe(9 * ((TENANTS * (TENANTS + 1)) / 2));
    expect(await detailed(s)).toBe(after);
    expect(authorize).toHaveBeenCalledTimes(2);
  });

  it('reloads a caller listing in the background past half the TTL, and serves the reload before the TTL is over', async () => {
    const s = await serviceWith(10_000);
    expect((await detailed(s)).tenants).toHaveLength(TENANTS);
    mayRead = false;
    // before half the TTL: reused, nothing asked
    clock = 4_000;
    expect((await detailed(s)).tenants).toHaveLength(TENANTS);
    expect(authorize).toHaveBeenCalledTimes(1);
    // past half the TTL: still served, and reloaded meanwhile
    clock = 6_000;
    expect((await detailed(s)).tenants).toHaveLength(TENANTS);
    // let the background reload finish
    for (let i = 0; i < 100 && authorize.mock.calls.length < 2; i++)
      await new Promise(resolve => setImmediate(resolve));
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(authorize).toHaveBeenCalledTimes(2);
    // still within the first TTL: the reloaded outcome shows
    clock = 7_000;
    expect((await detailed(s)).tenants).toEqual([]);
    expect(authorize).toHaveBeenCalledTimes(2);
  });

  it('keeps nothing with a TTL of 0 or below, even when the clock steps back', async () => {
    for (const ttl of [0, -1_000]) {
      authorize.mockClear();
      mayRead = true;
      clock = 100_000;
      const s = await serviceWith(ttl);
      expect((await detailed(s)).tenants).toHaveLength(TENANTS);
      mayRead = false;
      clock = 90_000;
      expect((await detailed(s)).tenants).toEqual([]);
      expect(authorize).toHaveBeenCalledTimes(2);
    }
  });
});

describe('GroupRollupService shared tree', () => {
  const ann = userCredentials('user:default/ann');
  const bob = userCredentials('user:default/bob');
  /** bob may not read t3 in the catalog, nor see the usage of t4 */
  const authorize = jest.fn(async (requests: any[], options: any) =>
    requests.map(r => {
      const bobs =
        options.credentials.principal.userEntityRef === 'user:default/bob';
      const hidden =
        r.permission.name === 'catalog.entity.read'
          ? 'component:default/t3'
          : 'component:default/t4';
      return {
        result:
          bobs && r.resourceRef === hidden
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      };
    }),
  );
  const rollupFigures = jest.fn(async (tenants: Tenant[]) =>
    tenants.map(figures),
  );
  let clock = 0;
  const serviceWith = async (treeTtlMs: number) => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    await DatabaseUsageStore.migrate(knex);
    const catalog = catalogWith(entities);
    const walks = jest.spyOn(catalog, 'queryEntities');
    const service = GroupRollupService.create({
      catalog,
      auth: serviceAuth(),
      permissions: permissionsWith(authorize, { catalogRead: 'authorize' }),
      summary: { rollupFigures } as unknown as SummaryService,
      bindings: await bindEntities(knex, entities.slice(1)),
      accessTtlMs: 10_000,
      treeTtlMs,
      now: () => clock,
    });
    return { service, walks };
  };
  const rollup = (s: GroupRollupService, credentials: BackstageCredentials) =>
    s.rollup({
      group: team as any,
      includeChildren: true,
      range: RANGE,
      credentials,
    });
  beforeEach(() => {
    clock = 0;
  });

  it('reads the tree once for every caller, and shows each the part its catalog read decision allows', async () => {
    const { service, walks } = await serviceWith(60_000);
    const annView = await rollup(service, ann);
    const bobView = await rollup(service, bob);
    expect(walks).toHaveBeenCalledTimes(1);
    expect(walks.mock.calls[0][1]).toEqual({
      credentials: serviceCredentials(),
    });
    expect(annView.tenantCount).toBe(TENANTS);
    expect(annView.unreadableTenants).toBe(0);
    // t3 does not exist for bob; t4 exists, but its usage is not his
    const bobs = bobView.tenants.map(t => t.entityRef);
    expect(bobs).not.toContain('component:default/t3');
    expect(bobs).not.toContain('component:default/t4');
    expect(bobView.tenantCount).toBe(TENANTS - 2);
    expect(bobView.unreadableTenants).toBe(1);
  });

  it('reloads the tree in the background past half its TTL and never serves it past the TTL', async () => {
    const { service, walks } = await serviceWith(60_000);
    await rollup(service, ann);
    // each caller's listing is its own (10 s), the tree is shared (60 s)
    clock = 29_000;
    await rollup(service, bob);
    expect(walks).toHaveBeenCalledTimes(1);
    clock = 31_000;
    await rollup(service, userCredentials('user:default/cy'));
    expect(walks).toHaveBeenCalledTimes(2);
    clock = 200_000;
    await rollup(service, ann);
    expect(walks).toHaveBeenCalledTimes(3);
  });

  it('reads the tree for every listing with a TTL of 0', async () => {
    const { service, walks } = await serviceWith(0);
    await rollup(service, ann);
    await rollup(service, bob);
    expect(walks).toHaveBeenCalledTimes(2);
  });
});
