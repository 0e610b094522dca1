/**
 * Values computed once per key on this replica and kept for `ttlMs` (at most `maxEntries`, the
 * oldest dropped first); concurrent requests for a key share one computation, and a failed one
 * is not kept. Callers put everything the value depends on into the key, and must not mutate
 * what they get.
 *
 * With `refreshAfterMs`, a request for an entry older than that reloads it in the background
 * while the entry is still served, so a slow load (a 2,000-entity listing) never stalls the
 * requests of a busy key; no entry is ever served past `ttlMs` from when its load started (a
 * request after that waits for the reload under way), and a failed reload keeps the entry
 * until then.
 */
export class MemoCache<T> {
  readonly #ttlMs: number;
  readonly #refreshAfterMs: number;
  readonly #max: number;
  readonly #now: () => number;
  readonly #entries = new Map<
    string,
    {
      at: number;
      value: Promise<T>;
      refresh?: { at: number; value: Promise<T> };
    }
  >();

  constructor(o: {
    ttlMs: number;
    maxEntries: number;
    refreshAfterMs?: number;
    now?: () => number;
  }) {
    this.#ttlMs = o.ttlMs;
    this.#refreshAfterMs = o.refreshAfterMs ?? o.ttlMs;
    this.#max = o.maxEntries;
    this.#now = o.now ?? Date.now;
  }

  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.#now();
    const hit = this.#entries.get(key);
    if (hit && now - hit.at < this.#ttlMs) {
      if (now - hit.at >= this.#refreshAfterMs && !hit.refresh) {
        const refresh = { at: now, value: load() };
        hit.refresh = refresh;
        refresh.value.then(
          () => {
            if (this.#entries.get(key) === hit)
              this.#put(key, refresh.at, refresh.value);
          },
          () => {
            if (hit.refresh === refresh) hit.refresh = undefined;
          },
        );
      }
      return hit.value;
    }
    // expired while a reload is under way: wait for that one rather than start another
    if (hit?.refresh) return this.#put(key, hit.refresh.at, hit.refresh.value);
    return this.#put(key, now, load());
  }

  #put(key: string, at: number, loaded: T | Promise<T>): Promise<T> {
    const value = Promise.resolve(loaded);
    const entry = { at, value };
    value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    this.#entries.delete(key);
    while (this.#entries.size >= this.#max) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    this.#entries.set(key, entry);
    return value;
  }
}
