import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { readBuckets, rewriteDays } from './dailyRollups';
import { fromBucket, fromDb, toDb } from './rows';
import {
  HourlyUsageRow,
  BATCH_SUFFIX,
  inScope,
  Snapshot,
  TenantState,
  UsageScope,
  UsageStore,
} from './types';

const USAGE = 'bedrock_usage_hourly';
const DAILY = 'bedrock_usage_daily';
const STATE = 'bedrock_tenant_state';
const SNAPSHOTS = 'bedrock_snapshots';
const WATERMARKS = 'bedrock_usage_watermarks';
/** rows per INSERT: 20 columns x 45 = 900 stays under SQLite's old bound-parameter limit (999) */
const INSERT_CHUNK = 45;
/** ids per IN list */
const ID_CHUNK = 200;

const migrationsDir = resolvePackagePath(
  '@bedrock-tenancy/plugin-bedrock-backend',
  'migrations',
);

/** Limits a query to the rows of one {@link UsageScope}. */
function scoped(q: Knex.QueryBuilder, scope: UsageScope = 'metrics') {
  return q.andWhere(
    'model_id',
    scope === 'batch' ? 'like' : 'not like',
    `%${BATCH_SUFFIX}`,
  );
}

/** The knex implementation of {@link UsageStore}; works on SQLite and PostgreSQL. */
export class DatabaseUsageStore implements UsageStore {
  readonly #db: Knex;

  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseUsageStore> {
    const db = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await DatabaseUsageStore.migrate(db);
    }
    return new DatabaseUsageStore(db);
  }

  /** Runs the plugin's migrations on `db` (used by create and by tests). */
  static async migrate(db: Knex): Promise<void> {
    await db.migrate.latest({
      directory: migrationsDir,
      tableName: 'bedrock_knex_migrations',
    });
  }

  static fromKnex(db: Knex): DatabaseUsageStore {
    return new DatabaseUsageStore(db);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  async replaceWindow(options: {
    tenantId: string;
    accountId: string;
    region: string;
    from: string;
    to: string;
    rows: HourlyUsageRow[];
    scope?: UsageScope;
  }): Promise<void> {
    const { tenantId, accountId, region, from, to, rows, scope } = options;
    await this.#db.transaction(async tx => {
      await scoped(
        tx(USAGE)
          .where({ tenant_id: tenantId, account_id: accountId, region })
          .andWhere('hour', '>=', from)
          .andWhere('hour', '<', to),
        scope,
      ).delete();
      const inWindow = rows
        .filter(r => r.hour >= from && r.hour < to && inScope(r.modelId, scope))
        .map(toDb);
      for (let i = 0; i < inWindow.length; i += INSERT_CHUNK) {
        // upsert: a concurrent collection of the same window (refresh vs schedule) merges
        await tx(USAGE)
          .insert(inWindow.slice(i, i + INSERT_CHUNK))
          .onConflict(['tenant_id', 'account_id', 'region', 'model_id', 'hour'])
          .merge();
      }
      await rewriteDays(tx, {
        tenantIds: [tenantId],
        accountId,
        region,
        from,
        to,
      });
    });
  }

  async replaceWindows(options: {
    tenantIds: string[];
    accountId: string;
    region: string;
    from: string;
    to: string;
    rows: HourlyUsageRow[];
    scope?: UsageScope;
  }): Promise<void> {
    const { accountId, region, from, to, scope } = options;
    const ids = [...new Set(options.tenantIds)].sort();
    const wanted = new Set(ids);
    await this.#db.transaction(async tx => {
      for (let i = 0; i < ids.length; i += ID_CHUNK) {
        await scoped(
          tx(USAGE)
            .where({ account_id: accountId, region })
            .whereIn('tenant_id', ids.slice(i, i + ID_CHUNK))
            .andWhere('hour', '>=', from)
            .andWhere('hour', '<', to),
          scope,
        ).delete();
      }
      const inWindow = options.rows
        .filter(
          r =>
            wanted.has(r.tenantId) &&
            r.accountId === accountId &&
            r.region === region &&
            r.hour >= from &&
            r.hour < to &&
            inScope(r.modelId, scope),
        )
        .map(toDb);
      for (let i = 0; i < inWindow.length; i += INSERT_CHUNK) {
        await tx(USAGE)
          .insert(inWindow.slice(i, i + INSERT_CHUNK))
          .onConflict(['tenant_id', 'account_id', 'region', 'model_id', 'hour'])
          .merge();
      }
      await rewriteDays(tx, { tenantIds: ids, accountId, region, from, to });
    });
  }

  async getUsage(options: { tenantIds: string[]; from: string; to: string }) {
    if (!options.tenantIds.length) return [];
    const rows = await this.#db(USAGE)
      .whereIn('tenant_id', options.tenantIds)
      .andWhere('hour', '>=', options.from)
      .andWhere('hour', '<', options.to)
      .orderBy('hour', 'asc');
    return rows.map(fromDb);
  }

  async getUsageBuckets(options: {
    tenantIds: string[];
    from: string;
    to: string;
    boundaries: string[];
  }) {
    if (!options.tenantIds.length) return [];
    const rows = await readBuckets(this.#db, options);
    return rows.map(fromBucket);
  }

  async getLastInvocation(tenantIds: string[]) {
    // per tenant, the (tenant_id, hour) index read backwards: an active tenant's first row
    const rows = await Promise.all(
      tenantIds.map(id =>
        this.#db(USAGE)
          .first({ last: 'hour' })
          .where('tenant_id', id)
          .andWhere('invocations', '>', 0)
          .orderBy('hour', 'desc'),
      ),
    );
    return Object.fromEntries(
      tenantIds.flatMap((id, i) =>
        rows[i] ? [[id, rows[i].last as string]] : [],
      ),
    );
  }

  async getStates(tenantIds: string[]) {
    if (!tenantIds.length) return {};
    const rows = await this.#db(STATE).whereIn('tenant_id', tenantIds);
    const out: Record<string, TenantState> = {};
    for (const r of rows) {
      out[r.tenant_id] = {
        tenantId: r.tenant_id,
        entityRef: r.entity_ref ?? null,
        watermark: r.watermark ?? null,
        lastCollectedAt: r.last_collected_at ?? null,
        lastError: r.last_error ?? null,
      };
    }
    return out;
  }

  async getVersion() {
    const db = this.#db;
    const [row] = await db
      .select({
        collected: db(STATE).max('last_collected_at'),
        watermark: db(STATE).max('watermark'),
        fetched: db(SNAPSHOTS).max('fetched_at'),
      })
      .from(db.raw('(SELECT 1) AS one'));
    return `${row?.collected ?? ''}|${row?.watermark ?? ''}|${
      row?.fetched ?? ''
    }`;
  }

  async markCollected(options: {
    tenantId: string;
    entityRef?: string;
    watermark: string;
    at: string;
  }) {
    // statement by statement, so concurrent collectors (refresh vs schedule) never conflict
    await this.#db(STATE)
      .insert({
        tenant_id: options.tenantId,
        entity_ref: options.entityRef ?? null,
      })
      .onConflict('tenant_id')
      .ignore();
    await this.#db(STATE)
      .where({ tenant_id: options.tenantId })
      .update({
        last_collected_at: options.at,
        last_error: null,
        ...(options.entityRef ? { entity_ref: options.entityRef } : {}),
      });
    await this.#db(STATE)
      .where({ tenant_id: options.tenantId })
      .andWhere(q =>
        q.whereNull('watermark').orWhere('watermark', '<', options.watermark),
      )
      .update({ watermark: options.watermark });
  }

  async getWatermarks(options: {
    accountId: string;
    region: string;
    tenantIds: string[];
  }) {
    if (!options.tenantIds.length) return {};
    const rows = await this.#db(WATERMARKS)
      .where({ account_id: options.accountId, region: options.region })
      .whereIn('tenant_id', options.tenantIds);
    return Object.fromEntries(
      rows.map((r: any) => [r.tenant_id, r.watermark as string]),
    );
  }

  async advanceWatermarks(options: {
    accountId: string;
    region: string;
    tenantIds: string[];
    watermark: string;
  }) {
    const { accountId, region, watermark } = options;
    for (let i = 0; i < options.tenantIds.length; i += INSERT_CHUNK * 4) {
      const ids = options.tenantIds.slice(i, i + INSERT_CHUNK * 4);
      // one statement per chunk: concurrent writers (a refresh and a shard run) only ever move
      // a watermark forward, whichever commits last
      await this.#db(WATERMARKS)
        .insert(
          ids.map(tenantId => ({
            tenant_id: tenantId,
            account_id: accountId,
            region,
            watermark,
          })),
        )
        .onConflict(['tenant_id', 'account_id', 'region'])
        .merge({
          watermark: this.#db.raw(
            `CASE WHEN ${WATERMARKS}.watermark < ? THEN ? ELSE ${WATERMARKS}.watermark END`,
            [watermark, watermark],
          ),
        });
    }
  }

  async markCollectedMany(options: {
    tenants: Array<{ tenantId: string; entityRef: string }>;
    watermark: string;
    at: string;
  }) {
    // sorted, so concurrent writers lock rows in the same order
    const tenants = [...options.tenants].sort((a, b) =>
      a.tenantId.localeCompare(b.tenantId),
    );
    for (let i = 0; i < tenants.length; i += INSERT_CHUNK) {
      const chunk = tenants.slice(i, i + INSERT_CHUNK);
      await this.#db(STATE)
        .insert(
          chunk.map(t => ({
            tenant_id: t.tenantId,
            entity_ref: t.entityRef,
            last_collected_at: options.at,
            last_error: null,
          })),
        )
        .onConflict('tenant_id')
        .merge(['entity_ref', 'last_collected_at', 'last_error']);
      await this.#db(STATE)
        .whereIn(
          'tenant_id',
          chunk.map(t => t.tenantId),
        )
        .andWhere(q =>
          q.whereNull('watermark').orWhere('watermark', '<', options.watermark),
        )
        .update({ watermark: options.watermark });
    }
  }

  async markFailed(options: {
    tenantId: string;
    entityRef?: string;
    error: string;
  }) {
    await this.#db(STATE)
      .insert({
        tenant_id: options.tenantId,
        entity_ref: options.entityRef ?? null,
        last_error: options.error.slice(0, 2000),
      })
      .onConflict('tenant_id')
      .merge(['last_error']);
  }

  async putSnapshot(s: Snapshot) {
    await this.#db(SNAPSHOTS)
      .insert({
        kind: s.kind,
        key: s.key,
        payload: s.payload === null ? null : JSON.stringify(s.payload),
        error: s.error,
        fetched_at: s.fetchedAt,
      })
      .onConflict(['kind', 'key'])
      .merge();
  }

  async getSnapshots<T>(kind: string, keys: string[]) {
    const all = await this.getSnapshotsOfKinds({ [kind]: keys });
    return (all[kind] ?? {}) as Record<string, Snapshot<T>>;
  }

  async getSnapshotsOfKinds(wanted: Record<string, string[]>) {
    const kinds = Object.entries(wanted).filter(([, keys]) => keys.length);
    const out: Record<string, Record<string, Snapshot>> = {};
    if (!kinds.length) return out;
    const rows = await this.#db(SNAPSHOTS).where(q => {
      for (const [kind, keys] of kinds)
        q.orWhere(k => k.where({ kind }).whereIn('key', keys));
    });
    for (const r of rows) {
      (out[r.kind] ??= {})[r.key] = {
        kind: r.kind,
        key: r.key,
        payload: r.payload === null ? null : JSON.parse(r.payload),
        error: r.error ?? null,
        fetchedAt: r.fetched_at,
      };
    }
    return out;
  }

  async prune(before: string) {
    return this.#db.transaction(async tx => {
      const rows = await tx(USAGE).where('hour', '<', before).delete();
      await tx(DAILY).where('day', '<', before.slice(0, 10)).delete();
      // the day `before` falls in keeps only its remaining hours
      await rewriteDays(tx, {
        tenantIds: [],
        from: `${before.slice(0, 10)}T00:00:00.000Z`,
        to: before,
      });
      return rows;
    });
  }
}
