import { CacheService } from '@backstage/backend-plugin-api';

/**
 * One refresh per tenant per interval, across every replica: the last refresh time lives in the
 * cache service (Redis or Valkey in production), keyed by tenant id, so entities copying a tenant's
 * annotations or several replicas cannot multiply the AWS calls. Read-then-write: two requests in
 * the same few milliseconds on two replicas may both pass, which bounds the rate, not exactly one.
 */
export class RefreshLimiter {
  readonly #cache: CacheService;
  readonly #intervalMs: number;
  readonly #now: () => number;

  static create(o: {
    cache: CacheService;
    intervalSeconds: number;
    now?: () => number;
  }) {
    return new RefreshLimiter(o.cache, o.intervalSeconds * 1000, o.now);
  }

  private constructor(
    cache: CacheService,
    intervalMs: number,
    now: () => number = Date.now,
  ) {
    this.#cache = cache;
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  /** Seconds to wait, or 0 after recording this attempt. */
  async take(tenantId: string): Promise<number> {
    const key = `refresh/${tenantId}`;
    const now = this.#now();
    const last = await this.#cache.get<number>(key);
    if (typeof last === 'number' && now - last < this.#intervalMs) {
      return Math.max(1, Math.ceil((this.#intervalMs - (now - last)) / 1000));
    }
    await this.#cache.set(key, now, { ttl: this.#intervalMs });
    return 0;
  }
}
