import { Knex } from 'knex';

const SENT = 'bedrock_notifications_sent';

/** The last recorded state of one subject of a tenant. */
export interface LedgerEntry {
  subject: string;
  seq: number;
  state: string;
}

/** One event to claim: the transition `seq` of `subject` into `state`. */
export interface Claim {
  tenantId: string;
  entityRef: string;
  subject: string;
  seq: number;
  state: string;
  notified: boolean;
}

/** The key two replicas seeing the same transition agree on. */
export const eventKey = (c: Pick<Claim, 'tenantId' | 'subject' | 'seq'>) =>
  `${c.tenantId}|${c.subject}|${c.seq}`;

/**
 * What the notifier has sent, in the plugin's database: it survives restarts and is shared by
 * replicas, and its primary key makes a claim succeed for exactly one of them.
 */
export class NotificationLedger {
  readonly #db: Knex;
  readonly #now: () => number;

  constructor(db: Knex, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  /** The newest entry per subject of the tenant. */
  async last(tenantId: string): Promise<Map<string, LedgerEntry>> {
    const rows = await this.#db(SENT)
      .where({ tenant_id: tenantId })
      .select('subject', 'seq', 'state');
    const out = new Map<string, LedgerEntry>();
    for (const r of rows) {
      const seq = Number(r.seq);
      const known = out.get(r.subject);
      if (!known || known.seq < seq)
        out.set(r.subject, { subject: r.subject, seq, state: r.state });
    }
    return out;
  }

  /**
   * Records the event; true when this call recorded it, false when another replica (or an
   * earlier run) already had. Only the caller that gets true sends.
   */
  async claim(c: Claim): Promise<boolean> {
    const rows = await this.#db(SENT)
      .insert({
        event_key: eventKey(c),
        tenant_id: c.tenantId,
        subject: c.subject,
        seq: c.seq,
        state: c.state,
        entity_ref: c.entityRef,
        notified: c.notified,
        recorded_at: new Date(this.#now()).toISOString(),
      })
      .onConflict('event_key')
      .ignore()
      .returning('event_key');
    return rows.length === 1;
  }

  /** Gives a claim back when sending failed, so the next collection tries again. */
  async release(c: Claim): Promise<void> {
    await this.#db(SENT)
      .where({ event_key: eventKey(c) })
      .delete();
  }
}
