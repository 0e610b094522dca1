import { CacheService } from '@backstage/backend-plugin-api';

/**
 * One refresh per tenant per interval, across every replica: the last refresh time lives in the
 * cache service (Redis or Valkey in production), keyed by tenant id, so entities copying a tenant's
 * annotations or several replicas cannot multiply the AWS calls. Read-then-write: two requests in
 * the same few milliseconds on two replicas may both pass, which bounds the rate, not exactly one.
 * Each replica also remembers its own last refresh of each tenant: while the cache cannot answer
 * (the plugin's cache answers "not cached" then, see BoundedCache), the limit still holds per
 * replica.
 */
export class RefreshLimiter {
  readonly #cache: CacheService;
  readonly #intervalMs: number;
  readonly #now: () => number;
  /** this replica's last refresh per tenant, entries older than the interval dropped */
  readonly #local = new Map<string, number>();

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
    const shared = await this.#cache.get<number>(key);
    const last = Math.max(
      typeof shared === 'number' ? shared : -Infinity,
      this.#local.get(key) ?? -Infinity,
    );
    if (now - last < this.#intervalMs) {
      return Math.max(1, Math.ceil((this.#intervalMs - (now - last)) / 1000));
    }
    this.#remember(key, now);
    await this.#cache.set(key, now, { ttl: this.#intervalMs });
    return 0;
  }

  #remember(key: string, now: number) {
    for (const [k, at] of this.#local) {
      if (now - at >= this.#intervalMs) this.#local.delete(k);
    }
    this.#local.set(key, now);
  }
}
