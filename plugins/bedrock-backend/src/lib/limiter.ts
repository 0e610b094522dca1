/**
 * At most `capacity` functions running at once; the rest wait in arrival order. One per
 * collector instance, so every task of a backend instance shares the same bound.
 */
export class Limiter {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(capacity: number) {
    this.#free = Math.max(1, Math.floor(capacity));
  }

  /** Slots free right now. */
  get available(): number {
    return this.#free;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>(resolve => this.#waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}
