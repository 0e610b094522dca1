import type { LoggerService } from '@backstage/backend-plugin-api';
import type { PriceRow } from '@bedrock-tenancy/plugin-bedrock-common';
import type { PriceListRun, PriceListStore } from './PriceListStore';
import { priceRowsOf } from './priceRows';

/** How old a replica's copy of the stored list may get before it reads the database again. */
export const PRICE_TABLE_REFRESH_MS = 10 * 60_000;

/** What the summaries say about the AWS Price List. */
export interface PriceListStatus {
  /** end of the last run that read the list; null when it never was read */
  readAt: string | null;
  /** the latest run, when it failed: the prices are those of the last read (or the built-in table) */
  failed: { at: string; error: string } | null;
  /** price-list rows in use */
  rows: number;
}

/**
 * The prices every summary is built with, held in memory: the built-in table, the AWS Price
 * List's rows from the database, and the operator's `bedrock.prices`, in that order (findPrice
 * ranks them by origin, whatever their order). `rows()` never waits and never calls AWS: the
 * price-list task refreshes the table after each run, and a replica whose copy is older than
 * PRICE_TABLE_REFRESH_MS reads the database again in the background (the task runs on one
 * replica only). A database that cannot be read keeps the rows already held.
 */
export class PriceTable {
  readonly #builtIn: PriceRow[];
  readonly #overrides: PriceRow[];
  readonly #store?: PriceListStore;
  readonly #logger?: LoggerService;
  readonly #now: () => number;
  #rows: PriceRow[];
  #status: PriceListStatus = { readAt: null, failed: null, rows: 0 };
  #loadedAt = -Infinity;
  #loading?: Promise<void>;

  static create(options: {
    builtIn: PriceRow[];
    /** the operator's rows (bedrock.prices) */
    overrides: PriceRow[];
    /** absent: the price list is off, the table is the built-in rows and the overrides */
    store?: PriceListStore;
    logger?: LoggerService;
    now?: () => number;
  }) {
    return new PriceTable(options);
  }

  private constructor(o: {
    builtIn: PriceRow[];
    overrides: PriceRow[];
    store?: PriceListStore;
    logger?: LoggerService;
    now?: () => number;
  }) {
    this.#builtIn = o.builtIn;
    this.#overrides = o.overrides;
    this.#store = o.store;
    this.#logger = o.logger;
    this.#now = o.now ?? Date.now;
    this.#rows = [...o.builtIn, ...o.overrides];
  }

  /** The rows in use now (a new array after each refresh, so per-table caches start again). */
  rows(): PriceRow[] {
    if (this.#store && this.#now() - this.#loadedAt > PRICE_TABLE_REFRESH_MS)
      this.refresh().catch(() => undefined);
    return this.#rows;
  }

  /** The price list's state, or null when it is off. */
  status(): PriceListStatus | null {
    return this.#store ? this.#status : null;
  }

  /** Reads the stored list again (one read at a time); never throws. */
  refresh(): Promise<void> {
    if (!this.#store) return Promise.resolve();
    this.#loading ??= this.#load(this.#store).finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  async #load(store: PriceListStore) {
    this.#loadedAt = this.#now();
    try {
      const [facts, runs] = await Promise.all([
        store.facts(),
        store.lastRuns(),
      ]);
      const list = priceRowsOf(facts);
      this.#rows = [...this.#builtIn, ...list, ...this.#overrides];
      this.#status = statusOf(runs.last, runs.lastOk, list.length);
    } catch (e) {
      this.#logger?.warn(
        `Could not read the stored AWS price list; prices stay as they were: ${e}`,
      );
    }
  }
}

function statusOf(
  last: PriceListRun | undefined,
  lastOk: PriceListRun | undefined,
  rows: number,
): PriceListStatus {
  return {
    readAt: lastOk?.finishedAt ?? null,
    failed:
      last && !last.ok
        ? { at: last.finishedAt, error: last.error ?? 'unknown error' }
        : null,
    rows,
  };
}

/** The line of the cost panel's `includes` that says where the prices come from. */
export function priceListNote(status: PriceListStatus | null): string {
  if (!status)
    return 'prices: the built-in table and bedrock.prices (the AWS Price List is not read: bedrock.priceList.enabled is false)';
  const read = status.readAt
    ? `the AWS Price List as read ${status.readAt.slice(0, 10)}`
    : 'the AWS Price List (not read yet)';
  const failed = status.failed
    ? `; its last read failed ${status.failed.at.slice(0, 10)} (${
        status.failed.error
      }), so ${
        status.readAt
          ? 'the prices of the read before apply'
          : 'the built-in table applies'
      }`
    : '';
  return `prices: bedrock.prices first, then ${read}, then the built-in table for models the list lacks; each model's prices name their source and effective date${failed}`;
}
