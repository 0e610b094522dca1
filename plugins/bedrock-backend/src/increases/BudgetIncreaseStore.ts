import { ConflictError } from '@backstage/errors';
import type {
  BudgetIncrease,
  BudgetIncreaseStatus,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { Knex } from 'knex';

const TABLE = 'bedrock_budget_increases';
/** values per IN (...) list: well under SQLite's bound-parameter limit */
const CHUNK = 400;
const OPEN: BudgetIncreaseStatus[] = ['pending', 'approved'];

const cents = (usd: number) => Math.round(usd * 100);
const usd = (c: unknown) =>
  c === null || c === undefined ? null : Number(c) / 100;

function toDb(i: BudgetIncrease) {
  return {
    id: i.id,
    tenant_id: i.tenantId,
    entity_ref: i.entityRef,
    amount_cents: cents(i.amountUsd),
    ends_on: i.endsOn,
    reason: i.reason,
    status: i.status,
    open_key: OPEN.includes(i.status) ? i.tenantId : null,
    requested_by: i.requestedBy,
    requested_at: i.requestedAt,
    decided_by: i.decidedBy,
    decided_at: i.decidedAt,
    decision_note: i.decisionNote,
    limit_before_cents:
      i.limitBeforeUsd === null ? null : cents(i.limitBeforeUsd),
    limit_during_cents:
      i.limitDuringUsd === null ? null : cents(i.limitDuringUsd),
    ended_at: i.endedAt,
    end_note: i.endNote,
  };
}

function fromDb(r: any): BudgetIncrease {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    entityRef: r.entity_ref,
    amountUsd: usd(r.amount_cents)!,
    endsOn: r.ends_on,
    reason: r.reason,
    status: r.status,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    decidedBy: r.decided_by ?? null,
    decidedAt: r.decided_at ?? null,
    decisionNote: r.decision_note ?? null,
    limitBeforeUsd: usd(r.limit_before_cents),
    limitDuringUsd: usd(r.limit_during_cents),
    endedAt: r.ended_at ?? null,
    endNote: r.end_note ?? null,
  };
}

/** An increase in effect outranks an ended one; of two ended, the later end. */
const rank = (i: BudgetIncrease) =>
  i.status === 'approved' ? '~' : i.endedAt ?? '';

/** The fields a step of the workflow may change. */
export type IncreaseChange = Partial<
  Pick<
    BudgetIncrease,
    | 'status'
    | 'decidedBy'
    | 'decidedAt'
    | 'decisionNote'
    | 'limitBeforeUsd'
    | 'limitDuringUsd'
    | 'endedAt'
    | 'endNote'
  >
>;

/**
 * The temporary budget increases, in the plugin's database: shared by replicas, so that a
 * decision or a revert happens once (every step is a conditional update from the status it
 * expects), and one request at a time is open per tenant (the unique `open_key`).
 */
export class BudgetIncreaseStore {
  readonly #db: Knex;

  static fromKnex(db: Knex) {
    return new BudgetIncreaseStore(db);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  /** Records a new request; ConflictError when the tenant already has one open. */
  async insert(i: BudgetIncrease): Promise<void> {
    const rows = await this.#db(TABLE)
      .insert(toDb(i))
      .onConflict('open_key')
      .ignore()
      .returning('id');
    if (rows.length !== 1)
      throw new ConflictError(
        `Tenant ${i.tenantId} already has a budget increase pending or in effect: it must be decided or end first`,
      );
  }

  async get(id: string): Promise<BudgetIncrease | undefined> {
    const r = await this.#db(TABLE).where({ id }).first();
    return r ? fromDb(r) : undefined;
  }

  /** The tenant's requests, newest first. */
  async list(tenantId: string, limit: number): Promise<BudgetIncrease[]> {
    const rows = await this.#db(TABLE)
      .where({ tenant_id: tenantId })
      .orderBy([
        { column: 'requested_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(fromDb);
  }

  /**
   * Per tenant, the approved increase in effect, or else the newest one that ended at or after
   * `endedSince` (ISO): what budget enforcement needs to know about increases.
   */
  async latestApplied(
    tenantIds: string[],
    endedSince: string,
  ): Promise<Map<string, BudgetIncrease>> {
    const out = new Map<string, BudgetIncrease>();
    for (let k = 0; k < tenantIds.length; k += CHUNK) {
      const rows = await this.#db(TABLE)
        .whereIn('tenant_id', tenantIds.slice(k, k + CHUNK))
        .where(q =>
          q
            .where({ status: 'approved' })
            .orWhere(e =>
              e
                .where({ status: 'ended' })
                .andWhere('ended_at', '>=', endedSince),
            ),
        );
      for (const i of rows.map(fromDb)) {
        const known = out.get(i.tenantId);
        if (!known || rank(i) > rank(known)) out.set(i.tenantId, i);
      }
    }
    return out;
  }

  /** Open requests whose last day is before `today` (YYYY-MM-DD): to end or to lapse. */
  async due(today: string): Promise<BudgetIncrease[]> {
    const rows = await this.#db(TABLE)
      .whereIn('status', OPEN)
      .andWhere('ends_on', '<', today)
      .orderBy('ends_on');
    return rows.map(fromDb);
  }

  /**
   * Moves a request from `from` with `change`: the updated request, or undefined when it was not
   * in `from` (another admin or replica got there first).
   */
  async transition(
    id: string,
    from: BudgetIncreaseStatus,
    change: IncreaseChange,
  ): Promise<BudgetIncrease | undefined> {
    const current = await this.get(id);
    if (!current || current.status !== from) return undefined;
    const { id: _id, ...next } = toDb({ ...current, ...change });
    const updated = await this.#db(TABLE)
      .where({ id, status: from })
      .update(next);
    return updated === 1 ? { ...current, ...change } : undefined;
  }
}
