/** Allows one refresh per key per interval (in memory, per replica). */
export class RefreshLimiter {
  readonly #last = new Map<string, number>();
  readonly #intervalMs: number;
  readonly #now: () => number;

  static create(o: { intervalSeconds: number; now?: () => number }) {
    return new RefreshLimiter(o.intervalSeconds * 1000, o.now ?? Date.now);
  }

  private constructor(intervalMs: number, now: () => number) {
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  /** Seconds to wait, or 0 after recording this attempt. */
  take(key: string): number {
    const now = this.#now();
    const last = this.#last.get(key);
    if (last !== undefined && now - last < this.#intervalMs) {
      return Math.ceil((this.#intervalMs - (now - last)) / 1000);
    }
    this.#last.set(key, now);
    if (this.#last.size > 10_000) {
      for (const [k, t] of this.#last)
        if (now - t >= this.#intervalMs) this.#last.delete(k);
    }
    return 0;
  }
}
