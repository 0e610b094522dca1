import { Knex } from 'knex';
import type { ListTier, PriceKind, PriceListFact } from './parseProduct';

const PRICES = 'bedrock_price_list';
const RUNS = 'bedrock_price_list_runs';
/** rows per INSERT: 11 values each, well under SQLite's bound-parameter limit */
const CHUNK = 80;

/** One run of the Price List reader, as recorded. */
export interface PriceListRun {
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  /** why the list could not be read (ok false) */
  error: string | null;
  /** products read from the list */
  products: number;
  /** token prices kept */
  prices: number;
  /** token prices of models the suite cannot map to a model id (left out) */
  unmapped: number;
}

/**
 * The AWS Price List's token prices in the plugin's database, shared by every replica: written
 * by the reader's global task, read into each replica's price table. Every statement is here.
 */
export class PriceListStore {
  readonly #db: Knex;

  static fromKnex(db: Knex) {
    return new PriceListStore(db);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  /**
   * Keeps the prices: a price of a new effective date adds a row (the older ones stay, for the
   * hours before it); the same model, region, tier, kind and date read again updates its row.
   * One transaction: a run's prices appear together.
   */
  async save(facts: PriceListFact[], fetchedAt: string): Promise<void> {
    // the list may name one price twice (two service codes): the last one read wins
    const unique = new Map<string, PriceListFact>();
    for (const f of facts)
      unique.set(
        [f.model, f.region, f.tier, f.kind, f.effectiveFrom].join('|'),
        f,
      );
    const rows = [...unique.values()].map(f => ({
      model: f.model,
      region: f.region,
      tier: f.tier,
      kind: f.kind,
      usd_per_1k: String(f.usdPer1k),
      effective_from: f.effectiveFrom,
      service_code: f.serviceCode,
      sku: f.sku,
      usage_type: f.usageType,
      fetched_at: fetchedAt,
    }));
    await this.#db.transaction(async tx => {
      for (let k = 0; k < rows.length; k += CHUNK) {
        await tx(PRICES)
          .insert(rows.slice(k, k + CHUNK))
          .onConflict(['model', 'region', 'tier', 'kind', 'effective_from'])
          .merge([
            'usd_per_1k',
            'service_code',
            'sku',
            'usage_type',
            'fetched_at',
          ]);
      }
    });
  }

  /** Every price kept, oldest effective date first. */
  async facts(): Promise<PriceListFact[]> {
    const rows = await this.#db(PRICES).orderBy([
      { column: 'effective_from', order: 'asc' },
      { column: 'id', order: 'asc' },
    ]);
    return rows.map(r => ({
      model: r.model,
      region: r.region,
      tier: r.tier as ListTier,
      kind: r.kind as PriceKind,
      usdPer1k: Number(r.usd_per_1k),
      effectiveFrom: r.effective_from,
      serviceCode: r.service_code,
      sku: r.sku,
      usageType: r.usage_type,
    }));
  }

  async recordRun(run: PriceListRun): Promise<void> {
    await this.#db(RUNS).insert({
      started_at: run.startedAt,
      finished_at: run.finishedAt,
      ok: run.ok,
      error: run.error,
      products: run.products,
      prices: run.prices,
      unmapped: run.unmapped,
    });
  }

  /** The latest run, and the latest that read the list (the same when the latest succeeded). */
  async lastRuns(): Promise<{
    last: PriceListRun | undefined;
    lastOk: PriceListRun | undefined;
  }> {
    const latest = (q: Knex.QueryBuilder) =>
      q
        .orderBy([
          { column: 'finished_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .first();
    const [last, lastOk] = await Promise.all([
      latest(this.#db(RUNS)),
      latest(this.#db(RUNS).where({ ok: true })),
    ]);
    return { last: last && toRun(last), lastOk: lastOk && toRun(lastOk) };
  }
}

function toRun(r: any): PriceListRun {
  return {
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    ok: Boolean(r.ok),
    error: r.error ?? null,
    products: Number(r.products),
    prices: Number(r.prices),
    unmapped: Number(r.unmapped),
  };
}
