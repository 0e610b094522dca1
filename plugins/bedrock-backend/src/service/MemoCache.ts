/**
 * Values computed once per key on this replica and kept for `ttlMs` (at most `maxEntries`, the
 * oldest dropped first); concurrent requests for a key share one computation, and a failed one
 * is not kept. Callers put everything the value depends on into the key, and must not mutate
 * what they get.
 */
export class MemoCache<T> {
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { until: number; value: Promise<T> }>();

  constructor(o: { ttlMs: number; maxEntries: number; now?: () => number }) {
    this.#ttlMs = o.ttlMs;
    this.#max = o.maxEntries;
    this.#now = o.now ?? Date.now;
  }

  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.#now();
    const hit = this.#entries.get(key);
    if (hit && hit.until > now) return hit.value;
    const value = load();
    value.catch(() => this.#entries.delete(key));
    this.#entries.delete(key);
    while (this.#entries.size >= this.#max) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    this.#entries.set(key, { until: now + this.#ttlMs, value });
    return value;
  }
}
