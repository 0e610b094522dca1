import type { CacheService } from '@backstage/backend-plugin-api';
import knexFactory from 'knex';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { testTenant } from '../__testUtils__/tenants';
import { SummaryService } from './SummaryService';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-20T12:00:10.000Z');
const RANGE = {
  from: T0 - 7 * 24 * HOUR,
  to: Date.parse('2026-11-20T13:00:00Z'),
};
const tenant = (i: number) =>
  testTenant({ tenantId: `t${i}`, attribution: 'account' });

/** Backstage's cache service as a map shared by the replicas, TTLs ignored. */
function sharedCache() {
  const map = new Map<string, unknown>();
  const cache = {
    get: async (k: string) => map.get(k),
    set: async (k: string, v: unknown) => {
      map.set(k, v);
    },
    delete: async (k: string) => {
      map.delete(k);
    },
    withOptions: () => cache,
  } as unknown as CacheService;
  return { map, cache };
}

/** Lets a background reload run to its end. */
const settle = () => new Promise(resolve => setTimeout(resolve, 20));

describe('SummaryService caches', () => {
  let store: DatabaseUsageStore;
  let clock = T0;
  const replica = (cache: CacheService) =>
    SummaryService.create({
      store,
      cache,
      options: {
        prices: [],
        idleDays: 7,
        staleAfterMinutes: 240,
        costExplorerEnabled: false,
      },
      now: () => clock,
    });
  const collect = (i: number, at: number) =>
    store.markCollected({
      tenantId: `t${i}`,
      watermark: new Date(at).toISOString(),
      at: new Date(at).toISOString(),
    });

  beforeEach(async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    await DatabaseUsageStore.migrate(knex);
    store = DatabaseUsageStore.fromKnex(knex);
    clock = T0;
    await collect(1, T0 - HOUR);
  });

  it('serves a summary until the next collection, recomputing it in the background past half a minute and never serving one over a minute old from a replica', async () => {
    const { cache } = sharedCache();
    const summaries = replica(cache);
    const reads = jest.spyOn(store, 'getStates');
    const first = await summaries.entitySummaryJson(tenant(1), RANGE);
    expect(reads).toHaveBeenCalledTimes(1);
    clock = T0 + 29_000;
    expect(await summaries.entitySummaryJson(tenant(1), RANGE)).toBe(first);
    expect(reads).toHaveBeenCalledTimes(1);
    // a collection shows at once
    await collect(1, T0 + 29_500);
    const collected = await summaries.entitySummaryJson(tenant(1), RANGE);
    expect(reads).toHaveBeenCalledTimes(2);
    expect(JSON.parse(collected).freshness.lastCollectedAt).toBe(
      new Date(T0 + 29_500).toISOString(),
    );
    // past half a minute: served, and recomputed meanwhile (a new minute: not from the cache)
    clock = T0 + 60_000;
    expect(await summaries.entitySummaryJson(tenant(1), RANGE)).toBe(collected);
    await settle();
    expect(reads).toHaveBeenCalledTimes(3);
    clock = T0 + 61_000;
    expect(await summaries.entitySummaryJson(tenant(1), RANGE)).toBe(collected);
    expect(reads).toHaveBeenCalledTimes(3);
    // over a minute after the recomputation began: never served, computed again
    clock = T0 + 121_000;
    await summaries.entitySummaryJson(tenant(1), RANGE);
    expect(reads).toHaveBeenCalledTimes(4);
  });

  it('shares one summary per minute between replicas, and none across minutes', async () => {
    const { cache, map } = sharedCache();
    const reads = jest.spyOn(store, 'getStates');
    const a = await replica(cache).entitySummaryJson(tenant(1), RANGE);
    expect(await replica(cache).entitySummaryJson(tenant(1), RANGE)).toBe(a);
    expect(reads).toHaveBeenCalledTimes(1);
    expect([...map.keys()]).toEqual([
      expect.stringMatching(/^summary:[0-9a-f]{64}:\d+$/),
    ]);
    clock = T0 + 60_000;
    await replica(cache).entitySummaryJson(tenant(1), RANGE);
    expect(reads).toHaveBeenCalledTimes(2);
    // another tenant is another summary
    await replica(cache).entitySummaryJson(tenant(2), RANGE);
    expect(reads).toHaveBeenCalledTimes(3);
  });

  it('keeps roll-up figures until the next collection, recomputing them in the background past half a minute', async () => {
    const { cache } = sharedCache();
    const summaries = replica(cache);
    const tenants = [tenant(1), tenant(2)];
    const first = await summaries.rollupFigures(tenants, RANGE);
    expect(first).toHaveLength(2);
    clock = T0 + 29_000;
    expect(await summaries.rollupFigures(tenants, RANGE)).toBe(first);
    // another tenant list is other figures
    expect(await summaries.rollupFigures([tenant(1)], RANGE)).not.toBe(first);
    clock = T0 + 31_000;
    expect(await summaries.rollupFigures(tenants, RANGE)).toBe(first);
    await settle();
    const refreshed = await summaries.rollupFigures(tenants, RANGE);
    expect(refreshed).not.toBe(first);
    expect(refreshed).toEqual(first);
    // a collection: new figures at once
    await collect(2, T0);
    expect(await summaries.rollupFigures(tenants, RANGE)).not.toBe(refreshed);
  });
});
