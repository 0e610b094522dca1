import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { BoundedCache } from './BoundedCache';

const TIMEOUT_MS = 30;

/** A cache over one Map whose calls can be made to hang or fail, counting the calls it gets. */
function fakeCache() {
  const data = new Map<string, unknown>();
  const state = {
    mode: 'answer' as 'answer' | 'hang' | 'reject' | 'throw',
    calls: 0,
    options: [] as unknown[],
  };
  const run = <T>(answer: () => T): Promise<T> => {
    state.calls += 1;
    if (state.mode === 'throw') throw new Error('thrown at once');
    if (state.mode === 'reject')
      return Promise.reject(new Error('connection refused'));
    if (state.mode === 'hang') return new Promise<T>(() => {});
    return Promise.resolve(answer());
  };
  const cache: CacheService = {
    // not async: mode 'throw' throws before any promise exists
    get: (key: string) => run(() => data.get(key)) as any,
    set: (key: string, value: unknown) => run(() => void data.set(key, value)),
    delete: (key: string) => run(() => void data.delete(key)),
    withOptions: (options: unknown) => {
      state.options.push(options);
      return cache;
    },
  };
  return { cache, data, state };
}

function recordingLogger() {
  const lines: Array<{ level: string; message: string; meta?: any }> = [];
  const logger = {
    warn: (message: string, meta?: any) =>
      lines.push({ level: 'warn', message, meta }),
    info: (message: string, meta?: any) =>
      lines.push({ level: 'info', message, meta }),
    error: (message: string, meta?: any) =>
      lines.push({ level: 'error', message, meta }),
    debug: () => {},
    child: () => logger,
  } as unknown as LoggerService;
  return { logger, lines };
}

function setup() {
  const fake = fakeCache();
  const log = recordingLogger();
  const clock = { now: 1_000_000 };
  const cache = BoundedCache.wrap({
    cache: fake.cache,
    timeoutMs: TIMEOUT_MS,
    retryAfterMs: 5_000,
    logIntervalMs: 60_000,
    logger: log.logger,
    now: () => clock.now,
  });
  return { ...fake, ...log, clock, cache };
}

async function timed<T>(p: Promise<T>) {
  const start = Date.now();
  const value = await p;
  return { value, ms: Date.now() - start };
}

describe('BoundedCache', () => {
  it('passes calls through while the cache answers', async () => {
    const { cache, data, state, lines } = setup();
    await cache.set('a', { n: 1 }, { ttl: 1000 });
    expect(data.get('a')).toEqual({ n: 1 });
    expect(await cache.get('a')).toEqual({ n: 1 });
    await cache.delete('a');
    expect(await cache.get('a')).toBeUndefined();
    expect(state.calls).toBe(4);
    expect(lines).toEqual([]);
  });

  it('answers without a cache that never answers, within the timeout', async () => {
    const { cache, state } = setup();
    state.mode = 'hang';
    const get = await timed(cache.get('a'));
    expect(get.value).toBeUndefined();
    expect(get.ms).toBeLessThan(TIMEOUT_MS + 200);
    await expect(cache.set('a', 1)).resolves.toBeUndefined();
    await expect(cache.delete('a')).resolves.toBeUndefined();
  });

  it.each(['reject', 'throw'] as const)(
    'answers without a cache whose calls %s',
    async mode => {
      const { cache, state } = setup();
      state.mode = mode;
      await expect(cache.get('a')).resolves.toBeUndefined();
    },
  );

  it('leaves a failing cache alone, then tries it with one call at a time', async () => {
    const { cache, state, clock, data } = setup();
    state.mode = 'hang';
    await cache.get('a');
    expect(state.calls).toBe(1);

    // skipped at once while the retry delay runs: no timeout paid, nothing queued in the client
    const skipped = await timed(cache.get('a'));
    await cache.set('a', 1);
    expect(skipped.ms).toBeLessThan(TIMEOUT_MS);
    expect(state.calls).toBe(1);

    // after it, one call tries the cache; the others skip it meanwhile
    clock.now += 5_000;
    const probe = cache.get('a');
    expect(await cache.get('b')).toBeUndefined();
    await probe;
    expect(state.calls).toBe(2);

    // it answers again: every call reaches it
    clock.now += 5_000;
    state.mode = 'answer';
    data.set('a', 7);
    expect(await cache.get('a')).toBe(7);
    expect(await cache.get('a')).toBe(7);
    expect(state.calls).toBe(4);
  });

  it('logs a failing cache once per interval, and once when it answers again', async () => {
    const { cache, state, clock, lines } = setup();
    state.mode = 'reject';
    await cache.get('a');
    for (let i = 0; i < 20; i++) {
      clock.now += 5_000;
      await cache.get('a');
      await cache.set('a', 1);
    }
    // 100 s of failures: the first one and one 60 s later
    expect(lines.map(l => l.level)).toEqual(['warn', 'warn']);
    expect(lines[0].message).toBe(
      'Bedrock cache unavailable: answers are computed without it',
    );
    expect(lines[0].meta).toMatchObject({
      error: 'Error: connection refused',
      failingForSeconds: 0,
      callsWithoutCache: 1,
    });
    expect(lines[1].meta).toMatchObject({
      failingForSeconds: 60,
      callsWithoutCache: 23,
    });

    clock.now += 5_000;
    state.mode = 'answer';
    await cache.get('a');
    expect(lines[2]).toMatchObject({
      level: 'info',
      message: 'Bedrock cache answers again',
      meta: { failedForSeconds: 105 },
    });
    expect(lines).toHaveLength(3);
  });

  it('drops a late rejection of a call it stopped waiting for', async () => {
    const { cache: inner } = fakeCache();
    let fail: (e: Error) => void = () => {};
    const cache = BoundedCache.wrap({
      cache: {
        ...inner,
        get: () =>
          new Promise((_, reject) => {
            fail = reject;
          }),
      },
      timeoutMs: TIMEOUT_MS,
    });
    expect(await cache.get('a')).toBeUndefined();
    // jest fails the test on an unhandled rejection
    fail(new Error('Socket closed unexpectedly'));
    await new Promise(r => setTimeout(r, 20));
  });

  it('bounds the copies made with other options, which share the health of the cache', async () => {
    const { cache, state } = setup();
    const copy = cache.withOptions({ defaultTtl: 1000 });
    expect(state.options).toEqual([{ defaultTtl: 1000 }]);
    state.mode = 'hang';
    expect(await copy.get('a')).toBeUndefined();
    expect(state.calls).toBe(1);
    // the failure seen through the copy: the original skips the cache too
    expect(await cache.get('a')).toBeUndefined();
    expect(state.calls).toBe(1);
  });
});
