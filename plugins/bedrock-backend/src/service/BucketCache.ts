import { HourlyUsageRow } from '../database/types';

/**
 * A short-lived memo of what the read routes compute from the store: the per-day usage buckets
 * behind Group roll-ups (where one page view sums hundreds of tenants) and entity summaries.
 * Callers key entries by the exact tenants, the window and the tenants' latest collection: a
 * collection run makes new keys, and an entry is only ever served for the same tenants, which
 * the caller was authorized for before asking. Concurrent identical requests share one load.
 */
export class BucketCache<T = HourlyUsageRow[]> {
  readonly #entries = new Map<string, { at: number; rows: Promise<T> }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  constructor(options: { ttlMs?: number; maxEntries?: number } = {}) {
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#maxEntries = options.maxEntries ?? 100;
  }

  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.#entries.get(key);
    if (hit && now - hit.at < this.#ttlMs) return hit.rows;
    this.#entries.delete(key);
    while (this.#entries.size >= this.#maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    const rows = load();
    rows.catch(() => this.#entries.delete(key));
    this.#entries.set(key, { at: now, rows });
    return rows;
  }
}
