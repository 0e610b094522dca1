import { CacheService } from '@backstage/backend-plugin-api';
import { emptyUsageRow, HourlyUsageRow } from '../database/types';
import { BucketCache } from './BucketCache';

/** A CacheService over one Map, as two replicas sharing one Redis see it. */
function sharedCache() {
  const entries = new Map<string, unknown>();
  const ttls: Array<number | undefined> = [];
  const cache: CacheService = {
    get: async <T>(key: string) => entries.get(key) as T | undefined,
    set: async (key, value, options) => {
      ttls.push(options?.ttl as number | undefined);
      entries.set(key, value);
    },
    delete: async key => {
      entries.delete(key);
    },
    withOptions: () => cache,
  } as CacheService;
  return { cache, entries, ttls };
}

const row = (tenantId: string, inputTokens: number): HourlyUsageRow => ({
  ...emptyUsageRow({
    tenantId,
    accountId: '123456789012',
    region: 'us-east-1',
    modelId: 'amazon.nova-lite-v1:0',
    hour: '2026-11-20T00:00:00.000Z',
  }),
  invocations: 3,
  inputTokens,
  latencyAvgMs: 12.5,
});

describe('BucketCache', () => {
  it('shares entries between replicas through the cache service, with a TTL', async () => {
    const { cache, entries, ttls } = sharedCache();
    const replicaA = new BucketCache({ cache });
    const replicaB = new BucketCache({ cache });
    const rows = [row('a', 100), row('b', 250)];
    const loadA = jest.fn(async () => rows);
    const loadB = jest.fn(async () => []);

    expect(await replicaA.get('k1', loadA)).toEqual(rows);
    expect(await replicaB.get('k1', loadB)).toEqual(rows);
    expect(loadA).toHaveBeenCalledTimes(1);
    expect(loadB).not.toHaveBeenCalled();
    expect([...entries.keys()]).toEqual([BucketCache.keyOf('k1')]);
    expect(BucketCache.keyOf('k1')).toMatch(/^rollup-buckets:[0-9a-f]{64}$/);
    expect(ttls).toEqual([60_000]);
  });

  it('loads again for another key (a new collection makes a new key)', async () => {
    const { cache } = sharedCache();
    const buckets = new BucketCache({ cache, ttlMs: 5_000 });
    await buckets.get('collected-at-1', async () => [row('a', 1)]);
    expect(
      await buckets.get('collected-at-2', async () => [row('a', 2)]),
    ).toEqual([row('a', 2)]);
  });

  it('shares one load between concurrent identical requests', async () => {
    const { cache } = sharedCache();
    const buckets = new BucketCache({ cache });
    const load = jest.fn(
      () =>
        new Promise<HourlyUsageRow[]>(r =>
          setTimeout(() => r([row('a', 7)]), 10),
        ),
    );
    const [x, y] = await Promise.all([
      buckets.get('k', load),
      buckets.get('k', load),
    ]);
    expect(x).toEqual(y);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('reads the database when the cache fails', async () => {
    const broken = {
      get: async () => {
        throw new Error('ECONNREFUSED');
      },
      set: async () => {
        throw new Error('ECONNREFUSED');
      },
    } as unknown as CacheService;
    const buckets = new BucketCache({ cache: broken });
    expect(await buckets.get('k', async () => [row('a', 5)])).toEqual([
      row('a', 5),
    ]);
  });
});
