import {
  CacheService,
  CacheServiceOptions,
  CacheServiceSetOptions,
  LoggerService,
} from '@backstage/backend-plugin-api';

/** What the cache stores: Backstage's JsonValue. */
type CacheValue = Parameters<CacheService['set']>[1];

/** What the wrappers of one cache service (and of its `withOptions` copies) share. */
type Health = {
  /** when the first failure of the current outage happened; undefined while healthy */
  failingSince?: number;
  /** while failing: no call reaches the cache before this time */
  retryAt: number;
  /** one call is trying the cache after a failure; the others skip it until it settles */
  probing: boolean;
  /** when the last warning was logged, and the calls that failed or skipped the cache since */
  loggedAt: number;
  unlogged: number;
};

class CacheTimeoutError extends Error {
  constructor(op: string, ms: number) {
    super(`cache ${op} gave no answer within ${ms} ms`);
    this.name = 'CacheTimeoutError';
  }
}

/** Timings of {@link BoundedCache}; only `timeoutMs` is configurable (`bedrock.cache.timeoutMs`). */
export interface BoundedCacheTimings {
  /** the longest a call waits for the cache before answering without it */
  timeoutMs: number;
  /** after a failure, the cache is left alone this long, then one call tries it again */
  retryAfterMs?: number;
  /** while the cache keeps failing, a warning at most this often */
  logIntervalMs?: number;
}

/**
 * Backstage's cache service as an accelerator, never a dependency of an answer: every call
 * answers within `timeoutMs`, a `get` that fails or times out answers "not cached", a `set` or
 * `delete` that does is not waited for, and no rejection reaches the caller. After a failure the
 * cache is skipped (answers at once) for `retryAfterMs`, then one call tries it again, so an
 * outage costs neither a timeout per request nor a command queued per request in the Redis
 * client. A failing cache is logged when it starts failing, then at most once per
 * `logIntervalMs` with the number of calls that went without it, and once when it answers again.
 *
 * A call that timed out may still complete in the store later (a late `set` lands), and a
 * skipped `delete` leaves the entry until its TTL: callers store nothing whose late arrival or
 * survival would be wrong.
 */
export class BoundedCache implements CacheService {
  readonly #cache: CacheService;
  readonly #timings: Required<BoundedCacheTimings>;
  readonly #logger?: LoggerService;
  readonly #now: () => number;
  readonly #health: Health;

  static wrap(
    o: BoundedCacheTimings & {
      cache: CacheService;
      logger?: LoggerService;
      now?: () => number;
    },
  ): CacheService {
    return new BoundedCache(
      o.cache,
      {
        timeoutMs: o.timeoutMs,
        retryAfterMs: o.retryAfterMs ?? 5_000,
        logIntervalMs: o.logIntervalMs ?? 60_000,
      },
      o.logger,
      o.now ?? Date.now,
      { retryAt: 0, probing: false, loggedAt: 0, unlogged: 0 },
    );
  }

  private constructor(
    cache: CacheService,
    timings: Required<BoundedCacheTimings>,
    logger: LoggerService | undefined,
    now: () => number,
    health: Health,
  ) {
    this.#cache = cache;
    this.#timings = timings;
    this.#logger = logger;
    this.#now = now;
    this.#health = health;
  }

  async get<TValue extends CacheValue>(
    key: string,
  ): Promise<TValue | undefined> {
    return this.#call('get', () => this.#cache.get<TValue>(key));
  }

  async set(
    key: string,
    value: CacheValue,
    options?: CacheServiceSetOptions,
  ): Promise<void> {
    await this.#call('set', () => this.#cache.set(key, value, options));
  }

  async delete(key: string): Promise<void> {
    await this.#call('delete', () => this.#cache.delete(key));
  }

  withOptions(options: CacheServiceOptions): CacheService {
    return new BoundedCache(
      this.#cache.withOptions(options),
      this.#timings,
      this.#logger,
      this.#now,
      this.#health,
    );
  }

  /** The call's answer, or undefined when the cache failed, timed out or is being left alone. */
  async #call<T>(op: string, run: () => Promise<T>): Promise<T | undefined> {
    const health = this.#health;
    const probe = health.failingSince !== undefined;
    if (probe && (health.probing || this.#now() < health.retryAt)) {
      health.unlogged += 1;
      return undefined;
    }
    if (probe) health.probing = true;
    try {
      const value = await this.#bounded(op, run);
      if (health.failingSince !== undefined) this.#recovered();
      return value;
    } catch (error) {
      this.#failed(error);
      return undefined;
    } finally {
      if (probe) health.probing = false;
    }
  }

  #bounded<T>(op: string, run: () => Promise<T>): Promise<T> {
    const ms = this.#timings.timeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new CacheTimeoutError(op, ms)), ms);
      let call: Promise<T>;
      try {
        call = run();
      } catch (error) {
        call = Promise.reject(error);
      }
      // an answer after the timeout is dropped, a late rejection handled here
      call.then(resolve, reject).finally(() => clearTimeout(timer));
    });
  }

  #failed(error: unknown) {
    const health = this.#health;
    const now = this.#now();
    health.retryAt = now + this.#timings.retryAfterMs;
    health.unlogged += 1;
    if (health.failingSince === undefined) {
      health.failingSince = now;
    } else if (now - health.loggedAt < this.#timings.logIntervalMs) {
      return;
    }
    this.#logger?.warn(
      'Bedrock cache unavailable: answers are computed without it',
      {
        error: `${error}`,
        failingForSeconds: Math.round((now - health.failingSince) / 1000),
        callsWithoutCache: health.unlogged,
        retryAfterMs: this.#timings.retryAfterMs,
      },
    );
    health.loggedAt = now;
    health.unlogged = 0;
  }

  #recovered() {
    const health = this.#health;
    const since = health.failingSince ?? this.#now();
    this.#logger?.info('Bedrock cache answers again', {
      failedForSeconds: Math.round((this.#now() - since) / 1000),
      callsWithoutCache: health.unlogged,
    });
    health.failingSince = undefined;
    health.unlogged = 0;
  }
}
