import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';
import { GUARDRAIL_SNAPSHOT, SNAPSHOT } from '../database/snapshots';
import {
  BindingStore,
  Claim,
  claimsOf,
  HeldClaim,
  TenantBinding,
} from './types';

const BINDINGS = 'bedrock_tenant_bindings';
const CLAIMS = 'bedrock_tenant_claims';
/** values per IN (...) list: well under SQLite's bound-parameter limit */
const CHUNK = 400;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK)
    out.push(items.slice(i, i + CHUNK));
  return out;
}

function toDb(b: TenantBinding) {
  return {
    tenant_id: b.tenantId,
    entity_ref: b.entityRef,
    account_id: b.accountId,
    regions: JSON.stringify([...b.regions].sort()),
    attribution: b.attribution,
    inference_profiles: JSON.stringify(b.inferenceProfiles),
    principal_arns: JSON.stringify([...b.principalArns].sort()),
    alarm_prefix: b.alarmPrefix,
    budget_name: b.budgetName,
    source: b.source,
    updated_at: b.updatedAt,
    updated_by: b.updatedBy,
    // left out when undefined: the upsert's merge then keeps the stored values
    ...(b.budgetEnforcement !== undefined && {
      budget_enforcement: b.budgetEnforcement
        ? JSON.stringify(b.budgetEnforcement)
        : null,
    }),
    ...(b.entityUid !== undefined && { entity_uid: b.entityUid }),
    ...(b.entityOwner !== undefined && { entity_owner: b.entityOwner }),
  };
}

function fromDb(r: any): TenantBinding {
  return {
    tenantId: r.tenant_id,
    entityRef: r.entity_ref,
    accountId: r.account_id,
    regions: JSON.parse(r.regions),
    attribution: r.attribution,
    inferenceProfiles: JSON.parse(r.inference_profiles),
    principalArns: JSON.parse(r.principal_arns),
    alarmPrefix: r.alarm_prefix,
    budgetName: r.budget_name,
    source: r.source,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
    budgetEnforcement: r.budget_enforcement
      ? JSON.parse(r.budget_enforcement)
      : null,
    entityUid: r.entity_uid ?? null,
    entityOwner: r.entity_owner ?? null,
  };
}

/** Tables holding a tenant's data by tenant id: emptied when its binding goes. */
const TENANT_DATA = [
  'bedrock_usage_hourly',
  'bedrock_usage_daily',
  'bedrock_usage_watermarks',
  'bedrock_tenant_state',
  'bedrock_notifications_sent',
];
const SNAPSHOTS = 'bedrock_snapshots';
/** snapshot kinds keyed by the tenant id (guardrails: `<tenant id>/<region>`) */
const TENANT_SNAPSHOTS = [SNAPSHOT.alarms, SNAPSHOT.budget, SNAPSHOT.billed];

const CLAIM_LABEL: Record<Claim['kind'], string> = {
  profile: 'inference profile',
  principal: 'role',
  'account-region': 'account-region',
};
const describe = (c: Claim) => `${CLAIM_LABEL[c.kind]} ${c.value}`;

/** The knex implementation of {@link BindingStore}; works on SQLite and PostgreSQL. */
export class DatabaseBindingStore implements BindingStore {
  readonly #db: Knex;

  /** The tables come with the plugin's migrations (DatabaseUsageStore.migrate). */
  static fromKnex(db: Knex): DatabaseBindingStore {
    return new DatabaseBindingStore(db);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  async get(tenantId: string): Promise<TenantBinding | undefined> {
    const row = await this.#db(BINDINGS).where({ tenant_id: tenantId }).first();
    return row ? fromDb(row) : undefined;
  }

  async getMany(tenantIds: string[]): Promise<TenantBinding[]> {
    const out: TenantBinding[] = [];
    for (const ids of chunks([...new Set(tenantIds)])) {
      const rows = await this.#db(BINDINGS).whereIn('tenant_id', ids);
      out.push(...rows.map(fromDb));
    }
    return out;
  }

  async list(): Promise<TenantBinding[]> {
    const rows = await this.#db(BINDINGS).orderBy('tenant_id');
    return rows.map(fromDb);
  }

  async findHolders(options: {
    claims: Claim[];
    accountRegions: string[];
  }): Promise<HeldClaim[]> {
    return this.#holders(this.#db, options.claims, options.accountRegions);
  }

  async #holders(
    db: Knex | Knex.Transaction,
    claims: Claim[],
    accountRegions: string[],
  ): Promise<HeldClaim[]> {
    const out: HeldClaim[] = [];
    for (const kind of ['profile', 'principal', 'account-region'] as const) {
      const values = [
        ...new Set(claims.filter(c => c.kind === kind).map(c => c.value)),
      ];
      for (const part of chunks(values)) {
        const rows = await db(CLAIMS)
          .join(BINDINGS, `${BINDINGS}.tenant_id`, `${CLAIMS}.tenant_id`)
          .where(`${CLAIMS}.kind`, kind)
          .whereIn(`${CLAIMS}.value`, part)
          .select(
            `${CLAIMS}.kind`,
            `${CLAIMS}.value`,
            `${CLAIMS}.tenant_id`,
            `${BINDINGS}.entity_ref`,
          );
        out.push(
          ...rows.map((r: any) => ({
            kind: r.kind,
            value: r.value,
            tenantId: r.tenant_id,
            entityRef: r.entity_ref,
            exclusive: true,
          })),
        );
      }
    }
    // an account-region in account mode excludes every other binding in that account-region
    const wanted = new Set(accountRegions);
    const accounts = [...new Set(accountRegions.map(ar => ar.split('/')[0]))];
    for (const part of chunks(accounts)) {
      const rows = await db(BINDINGS).whereIn('account_id', part);
      for (const r of rows.map(fromDb)) {
        for (const region of r.regions) {
          const value = `${r.accountId}/${region}`;
          if (wanted.has(value)) {
            out.push({
              kind: 'account-region',
              value,
              tenantId: r.tenantId,
              entityRef: r.entityRef,
              exclusive: false,
            });
          }
        }
      }
    }
    return out;
  }

  async put(
    binding: TenantBinding,
    options: { unlessSource?: TenantBinding['source'][] } = {},
  ): Promise<'written' | 'kept'> {
    try {
      return await this.#put(binding, options);
    } catch (e) {
      // a concurrent writer took a claim between our check and our insert
      const code = (e as { code?: string }).code;
      if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new ConflictError(
          `Cannot bind tenant ${binding.tenantId}: one of its profile ids, role ARNs or account-regions was just bound to another tenant`,
        );
      }
      throw e;
    }
  }

  #put(
    binding: TenantBinding,
    options: { unlessSource?: TenantBinding['source'][] },
  ): Promise<'written' | 'kept'> {
    return this.#db.transaction(async tx => {
      const current = await tx(BINDINGS)
        .where({ tenant_id: binding.tenantId })
        .first();
      if (current && options.unlessSource?.includes(current.source)) {
        return 'kept';
      }
      const claims = claimsOf(binding);
      // in account mode every account-region is exclusive; otherwise only account-mode holders conflict
      const accountRegions =
        binding.attribution === 'account'
          ? binding.regions.map(r => `${binding.accountId}/${r}`)
          : [];
      const sharedRegions = binding.regions.map(
        r =>
          ({
            kind: 'account-region',
            value: `${binding.accountId}/${r}`,
          } as const),
      );
      const held = await this.#holders(
        tx,
        [...claims, ...sharedRegions],
        accountRegions,
      );
      const conflict = held.find(h => h.tenantId !== binding.tenantId);
      if (conflict) {
        throw new ConflictError(
          `Cannot bind tenant ${binding.tenantId} to ${
            binding.entityRef
          }: ${describe(conflict)} is held by tenant ${conflict.tenantId} (${
            conflict.entityRef
          })`,
        );
      }
      await tx(BINDINGS).insert(toDb(binding)).onConflict('tenant_id').merge();
      await tx(CLAIMS).where({ tenant_id: binding.tenantId }).delete();
      for (const part of chunks(claims)) {
        await tx(CLAIMS).insert(
          part.map(c => ({
            kind: c.kind,
            value: c.value,
            tenant_id: binding.tenantId,
          })),
        );
      }
      return 'written';
    });
  }

  async pinEntity(
    tenantId: string,
    entity: { entityRef: string; uid: string; owner: string },
  ): Promise<void> {
    await this.#db(BINDINGS)
      .where({ tenant_id: tenantId, entity_ref: entity.entityRef })
      .whereNull('entity_uid')
      .update({
        entity_uid: entity.uid,
        entity_owner: this.#db.raw('coalesce(entity_owner, ?)', [entity.owner]),
      });
  }

  async delete(tenantId: string): Promise<boolean> {
    return this.#db.transaction(async tx => {
      await tx(CLAIMS).where({ tenant_id: tenantId }).delete();
      const n = await tx(BINDINGS).where({ tenant_id: tenantId }).delete();
      for (const table of TENANT_DATA) {
        await tx(table).where({ tenant_id: tenantId }).delete();
      }
      await tx(SNAPSHOTS)
        .whereIn('kind', TENANT_SNAPSHOTS)
        .where({ key: tenantId })
        .delete();
      await tx(SNAPSHOTS)
        .where({ kind: GUARDRAIL_SNAPSHOT })
        .where('key', 'like', `${tenantId}/%`)
        .delete();
      return n > 0;
    });
  }
}
