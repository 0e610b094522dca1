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
});
