import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { USAGE_COUNTERS } from '@bedrock-tenancy/plugin-bedrock-common';
import { createHash } from 'node:crypto';
import { HourlyUsageRow } from '../database/types';

/** Row fields in the order they are stored: one array per row keeps entries small. */
const FIELDS = [
  'tenantId',
  'accountId',
  'region',
  'modelId',
  'hour',
  ...USAGE_COUNTERS,
  'latencyAvgMs',
  'latencyMaxMs',
  'latencyP99Ms',
  'latencyWeight',
  'ttftAvgMs',
  'ttftRequests',
  'ttftP99Ms',
] as const satisfies ReadonlyArray<keyof HourlyUsageRow>;

type Entry = { v: 3; rows: Array<Array<string | number | null>> };

const encode = (rows: HourlyUsageRow[]): Entry => ({
  v: 3,
  rows: rows.map(r => FIELDS.map(f => r[f] ?? null)),
});

const decode = (entry: Entry): HourlyUsageRow[] =>
  entry.rows.map(
    values =>
      Object.fromEntries(
        // an hourly row has no latencyWeight
        FIELDS.flatMap((f, i) =>
          f === 'latencyWeight' && values[i] === null ? [] : [[f, values[i]]],
        ),
      ) as unknown as HourlyUsageRow,
  );

/**
 * The per-day usage buckets behind Group roll-ups, where one page view sums hundreds of
 * tenants, kept in Backstage's cache service (Redis in production, so every replica shares
 * them; the service namespaces keys by plugin). Callers key entries by the exact tenant set,
 * the window and the tenants' latest collection: a collection run makes new keys, and an entry
 * is only ever served for the same tenants, which the caller was authorized for before asking.
 * Entries expire after `ttlMs`. Concurrent identical requests of one replica share one load; a
 * cache that fails degrades to reading the database.
 */
export class BucketCache {
  readonly #cache: CacheService;
  readonly #logger?: LoggerService;
  readonly #ttlMs: number;
  readonly #loading = new Map<string, Promise<HourlyUsageRow[]>>();

  constructor(options: {
    cache: CacheService;
    logger?: LoggerService;
    ttlMs?: number;
  }) {
    this.#cache = options.cache;
    this.#logger = options.logger;
    this.#ttlMs = options.ttlMs ?? 60_000;
  }

  /** The cache key of a caller's key: fixed length however many tenants it names. */
  static keyOf(key: string) {
    return `rollup-buckets:${createHash('sha256').update(key).digest('hex')}`;
  }

  get(key: string, load: () => Promise<HourlyUsageRow[]>) {
    const id = BucketCache.keyOf(key);
    const loading = this.#loading.get(id);
    if (loading) return loading;
    const rows = this.#read(id, load).finally(() => this.#loading.delete(id));
    this.#loading.set(id, rows);
    return rows;
  }

  async #read(id: string, load: () => Promise<HourlyUsageRow[]>) {
    const hit = await this.#cache.get<Entry>(id).catch(e => {
      this.#logger?.warn('Bedrock roll-up cache read failed', {
        error: `${e}`,
      });
      return undefined;
    });
    // an entry of another shape (an older replica's) is read again from the database
    if (hit?.v === 3) return decode(hit);
    const rows = await load();
    await this.#cache.set(id, encode(rows), { ttl: this.#ttlMs }).catch(e =>
      this.#logger?.warn('Bedrock roll-up cache write failed', {
        error: `${e}`,
      }),
    );
    return rows;
  }
}
