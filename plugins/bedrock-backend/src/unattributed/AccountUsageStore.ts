import { Knex } from 'knex';
import {
  AccountUsageRow,
  ATTRIBUTED_COUNTERS,
  AttributedCounter,
  emptyTraffic,
  Traffic,
} from './attribution';

const HOURLY = 'bedrock_account_usage_hourly';
const STATE = 'bedrock_account_usage_state';
/** rows per INSERT: 19 columns x 50 = 950 stays under SQLite's old bound-parameter limit (999) */
const INSERT_CHUNK = 50;

const SIDES = ['account', 'attributed', 'unattributed'] as const;
type Side = (typeof SIDES)[number];

const COLUMN: Record<AttributedCounter, string> = {
  invocations: 'invocations',
  inputTokens: 'input_tokens',
  outputTokens: 'output_tokens',
  cacheReadTokens: 'cache_read_tokens',
  cacheWriteTokens: 'cache_write_tokens',
};
const col = (side: Side, c: AttributedCounter) => `${side}_${COLUMN[c]}`;
const COLUMNS = SIDES.flatMap(s => ATTRIBUTED_COUNTERS.map(c => col(s, c)));

/** Collection progress of one account and region. */
export interface AccountUsageState {
  accountId: string;
  region: string;
  /** end of the newest collected hour, ISO 8601 */
  watermark: string | null;
  lastCollectedAt: string | null;
  lastError: string | null;
}

function toDb(r: AccountUsageRow) {
  const out: Record<string, string | number> = {
    account_id: r.accountId,
    region: r.region,
    model_id: r.modelId,
    hour: r.hour,
  };
  for (const s of SIDES)
    for (const c of ATTRIBUTED_COUNTERS) out[col(s, c)] = r[s][c];
  return out;
}

/** numbers come back as strings from PostgreSQL (bigint, and sums) */
function fromDb(r: any, hour: string): AccountUsageRow {
  const side = (s: Side): Traffic => {
    const t = emptyTraffic();
    for (const c of ATTRIBUTED_COUNTERS) t[c] = Number(r[col(s, c)] ?? 0);
    return t;
  };
  return {
    accountId: r.account_id,
    region: r.region,
    modelId: r.model_id,
    hour,
    account: side('account'),
    attributed: side('attributed'),
    unattributed: side('unattributed'),
  };
}

/**
 * Where the account usage collector writes and the admin view and the chargeback export read:
 * hourly rows per account, region and model (bedrock_account_usage_hourly) and each account and
 * region's watermark (bedrock_account_usage_state). The tables come with the plugin's migrations
 * (DatabaseUsageStore.migrate); SQLite and PostgreSQL alike.
 */
export class AccountUsageStore {
  readonly #db: Knex;

  static fromKnex(db: Knex): AccountUsageStore {
    return new AccountUsageStore(db);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  /**
   * Replaces the rows of [from, to) of one account and region with `rows`, in one transaction:
   * re-fetching a window never double-counts. Rows outside the window are ignored; the upsert
   * lets two collections of the same window (two replicas) merge rather than fail.
   */
  async replaceWindow(o: {
    accountId: string;
    region: string;
    from: string;
    to: string;
    rows: AccountUsageRow[];
  }): Promise<void> {
    const { accountId, region, from, to } = o;
    const inWindow = o.rows
      .filter(
        r =>
          r.accountId === accountId &&
          r.region === region &&
          r.hour >= from &&
          r.hour < to,
      )
      .map(toDb);
    await this.#db.transaction(async tx => {
      await tx(HOURLY)
        .where({ account_id: accountId, region })
        .andWhere('hour', '>=', from)
        .andWhere('hour', '<', to)
        .delete();
      for (let i = 0; i < inWindow.length; i += INSERT_CHUNK) {
        await tx(HOURLY)
          .insert(inWindow.slice(i, i + INSERT_CHUNK))
          .onConflict(['account_id', 'region', 'model_id', 'hour'])
          .merge();
      }
    });
  }

  /** Watermark (end of the newest collected hour) of one account and region, if any. */
  async getWatermark(accountId: string, region: string) {
    const row = await this.#db(STATE)
      .where({ account_id: accountId, region })
      .first('watermark');
    return (row?.watermark as string | null | undefined) ?? undefined;
  }

  /** Every account and region ever collected (or tried). */
  async getStates(): Promise<AccountUsageState[]> {
    const rows = await this.#db(STATE)
      .select()
      .orderBy(['account_id', 'region']);
    return rows.map(r => ({
      accountId: r.account_id,
      region: r.region,
      watermark: r.watermark ?? null,
      lastCollectedAt: r.last_collected_at ?? null,
      lastError: r.last_error ?? null,
    }));
  }

  /** Moves the watermark forward (never back) and clears the last error. */
  async markCollected(o: {
    accountId: string;
    region: string;
    watermark: string;
    at: string;
  }): Promise<void> {
    await this.#db(STATE)
      .insert({
        account_id: o.accountId,
        region: o.region,
        watermark: o.watermark,
        last_collected_at: o.at,
        last_error: null,
      })
      .onConflict(['account_id', 'region'])
      .merge({
        watermark: this.#db.raw(
          `CASE WHEN ${STATE}.watermark IS NULL OR ${STATE}.watermark < ? THEN ? ELSE ${STATE}.watermark END`,
          [o.watermark, o.watermark],
        ),
        last_collected_at: o.at,
        last_error: null,
      });
  }

  /** Records a failed collection; the watermark stays. */
  async markFailed(o: {
    accountId: string;
    region: string;
    error: string;
  }): Promise<void> {
    await this.#db(STATE)
      .insert({
        account_id: o.accountId,
        region: o.region,
        watermark: null,
        last_error: o.error,
      })
      .onConflict(['account_id', 'region'])
      .merge({ last_error: o.error });
  }

  /**
   * The rows of from <= hour < to summed in the database per account, region, model and UTC day
   * (`hour` is the day's first hour): prices change by day at most, so a day's sum prices as its
   * hours do, and the answer grows with days, not hours. The clamp was applied per hour when the
   * rows were written, so summing keeps it.
   */
  async getDaily(o: { from: string; to: string }): Promise<AccountUsageRow[]> {
    const day = this.#db.raw('substr(hour, 1, 10)');
    const rows = await this.#db(HOURLY)
      .select(
        'account_id',
        'region',
        'model_id',
        this.#db.raw('substr(hour, 1, 10) as day'),
        ...COLUMNS.map(c => this.#db.raw(`sum(${c}) as ${c}`)),
      )
      .where('hour', '>=', o.from)
      .andWhere('hour', '<', o.to)
      .groupBy('account_id', 'region', 'model_id', day)
      .orderBy(['account_id', 'region', 'model_id', 'day']);
    return rows.map(r => fromDb(r, `${r.day}T00:00:00.000Z`));
  }

  /** Hourly rows of one account and region (tests, diagnostics), oldest first. */
  async getHourly(o: {
    accountId: string;
    region: string;
    from: string;
    to: string;
  }): Promise<AccountUsageRow[]> {
    const rows = await this.#db(HOURLY)
      .where({ account_id: o.accountId, region: o.region })
      .andWhere('hour', '>=', o.from)
      .andWhere('hour', '<', o.to)
      .orderBy(['hour', 'model_id']);
    return rows.map(r => fromDb(r, r.hour));
  }

  /** Deletes rows older than `before` (the tenants' retention); returns how many. */
  async prune(before: string): Promise<number> {
    return this.#db(HOURLY).where('hour', '<', before).delete();
  }
}
