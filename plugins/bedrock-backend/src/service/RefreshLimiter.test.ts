import { CacheService } from '@backstage/backend-plugin-api';
import { BoundedCache } from './BoundedCache';
import { RefreshLimiter } from './RefreshLimiter';

/** One Map as the cache every replica shares. */
function sharedCache(): CacheService {
  const data = new Map<string, unknown>();
  const cache: CacheService = {
    get: async (key: string) => data.get(key) as any,
    set: async (key: string, value: unknown) => void data.set(key, value),
    delete: async (key: string) => void data.delete(key),
    withOptions: () => cache,
  };
  return cache;
}

/** A cache whose every call fails, as the plugin wires it (BoundedCache answers "not cached"). */
function downCache(): CacheService {
  const refused = async () => Promise.reject(new Error('connection refused'));
  const down: CacheService = {
    get: refused,
    set: refused,
    delete: refused,
    withOptions: () => down,
  };
  return BoundedCache.wrap({ cache: down, timeoutMs: 50 });
}

describe('RefreshLimiter', () => {
  it('holds per tenant across replicas sharing the cache', async () => {
    const clock = { now: 1_000_000 };
    const cache = sharedCache();
    const [a, b] = [1, 2].map(() =>
      RefreshLimiter.create({
        cache,
        intervalSeconds: 60,
        now: () => clock.now,
      }),
    );
    expect(await a.take('t1')).toBe(0);
    clock.now += 10_000;
    expect(await b.take('t1')).toBe(50);
    expect(await b.take('t2')).toBe(0);
    clock.now += 50_000;
    expect(await b.take('t1')).toBe(0);
  });

  it('still holds per replica while the cache cannot answer', async () => {
    const clock = { now: 1_000_000 };
    const limiter = RefreshLimiter.create({
      cache: downCache(),
      intervalSeconds: 60,
      now: () => clock.now,
    });
    expect(await limiter.take('t1')).toBe(0);
    clock.now += 1_000;
    expect(await limiter.take('t1')).toBe(59);
    expect(await limiter.take('t2')).toBe(0);
    clock.now += 59_000;
    expect(await limiter.take('t1')).toBe(0);
  });
});
