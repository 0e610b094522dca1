import { MemoCache } from './MemoCache';

describe('MemoCache', () => {
  it('computes once per key within the TTL, again after it, and forgets failures', async () => {
    let now = 0;
    const cache = new MemoCache<number>({
      ttlMs: 1000,
      maxEntries: 2,
      now: () => now,
    });
    let loads = 0;
    const load = async () => ++loads;
    expect(
      await Promise.all([cache.get('a', load), cache.get('a', load)]),
    ).toEqual([1, 1]);
    expect(await cache.get('b', load)).toBe(2);
    now = 1001;
    expect(await cache.get('a', load)).toBe(3);
    // full: the oldest key goes
    await cache.get('c', load);
    now = 1002;
    expect(await cache.get('b', load)).toBe(5);
    await expect(
      cache.get('x', () => Promise.reject(new Error('down'))),
    ).rejects.toThrow();
    await Promise.resolve();
    expect(await cache.get('x', load)).toBe(6);
  });

  it('reloads a busy entry in the background before it expires, and never serves it past the TTL', async () => {
    let now = 0;
    const cache = new MemoCache<string>({
      ttlMs: 1000,
      refreshAfterMs: 500,
      maxEntries: 10,
      now: () => now,
    });
    const loads: Array<(v: string) => void> = [];
    const failures: Array<(e: Error) => void> = [];
    const load = () =>
      new Promise<string>((resolve, reject) => {
        loads.push(resolve);
        failures.push(reject);
      });
    const first = cache.get('k', load);
    loads[0]('v1');
    expect(await first).toBe('v1');

    // half-way: served at once while one reload starts (not one per request)
    now = 600;
    expect(await cache.get('k', load)).toBe('v1');
    expect(await cache.get('k', load)).toBe('v1');
    expect(loads).toHaveLength(2);
    loads[1]('v2');
    await new Promise(r => setImmediate(r));
    now = 700;
    expect(await cache.get('k', load)).toBe('v2');

    // a failed reload keeps the entry until its own TTL (from 600)
    now = 1200;
    expect(await cache.get('k', load)).toBe('v2');
    failures[2](new Error('catalog down'));
    await new Promise(r => setImmediate(r));
    now = 1500;
    expect(await cache.get('k', load)).toBe('v2'); // a new reload starts, and hangs
    expect(loads).toHaveLength(4);

    // past the TTL the stale value is never served: the request waits for the reload under
    // way (started at 1500), and starts no other
    now = 1600;
    const fresh = cache.get('k', load);
    expect(loads).toHaveLength(4);
    loads[3]('v3');
    expect(await fresh).toBe('v3');
    // which is kept from when it started (1500): served until 2500, reloaded from 2000 on
    now = 2499;
    expect(await cache.get('k', load)).toBe('v3');
    expect(loads).toHaveLength(5);
    now = 2500;
    const next = cache.get('k', load);
    expect(loads).toHaveLength(5);
    loads[4]('v4');
    expect(await next).toBe('v4');
  });
});
