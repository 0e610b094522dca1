import { LoggerService } from '@backstage/backend-plugin-api';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { SNAPSHOT } from '../database/snapshots';
import { UsageStore } from '../database/types';
import { GuardrailCollector } from './GuardrailCollector';
import { iso, mapLimit } from '../lib/time';
import { groupByAccountRegion, Tenant } from '../tenant';
import { errorText, StatusReader } from './StatusReader';
import type { StatusBudget } from '../config';

/** What a status run stores under SNAPSHOT.run: the next run starts with `pending`. */
export interface StatusRunRecord {
  state: 'done' | 'partial';
  startedAt: string;
  finishedAt: string;
  fetched: number;
  failures: number;
  /** fetches the run had no time for (`kind:key`), first in line next run */
  pending: string[];
}

/** What one billed-cost run did (Cost Explorer requests cost USD 0.01 each). */
export interface BilledRun {
  /** GetCostAndUsage requests sent */
  requests: number;
  /** tenants whose billed figures were stored */
  stored: number;
  /** tenants whose account's read failed (their snapshot records the error) */
  failed: number;
  /** tenants left as they were: the day's request cap was reached before their account */
  skipped: number;
}

/** Reads and stores the tenants' billed cost (reconcile/CostExplorerBilling, wired by plugin.ts). */
export interface BilledCostReader {
  collect(tenants: Tenant[]): Promise<BilledRun>;
}

const RUN_KEY = 'status';
const UNBOUNDED: StatusBudget = {
  concurrency: 4,
  accountBudgetMs: Infinity,
  runBudgetMs: Infinity,
};

interface StatusFetch {
  id: string;
  accountId: string;
  run: () => Promise<boolean>;
}

/**
 * Fetches the slower-changing status of tenants (alarms, budget, invocation-logging
 * governance, guardrails; billed cost on a slower schedule of its own) and stores it, so page
 * views never call AWS. A run is bounded in concurrency, time per account and total time; what it
 * had no time for is recorded as pending (the run as partial) and fetched first by the next run.
 */
export class StatusCollector {
  readonly #store: UsageStore;
  readonly #clients: AwsClientFactory;
  readonly #logger: LoggerService;
  readonly #now: () => number;
  readonly #guardrails: GuardrailCollector;
  readonly #reader: StatusReader;
  readonly #budget: StatusBudget;
  readonly #billing?: BilledCostReader;

  static create(o: {
    store: UsageStore;
    clients: AwsClientFactory;
    logger: LoggerService;
    budget?: StatusBudget;
    /** billed cost from Cost Explorer, grouped per account and capped per day; none: not read */
    billing?: BilledCostReader;
    now?: () => number;
  }) {
    return new StatusCollector(o);
  }

  private constructor(o: {
    store: UsageStore;
    clients: AwsClientFactory;
    logger: LoggerService;
    budget?: StatusBudget;
    billing?: BilledCostReader;
    now?: () => number;
  }) {
    this.#store = o.store;
    this.#clients = o.clients;
    this.#logger = o.logger;
    this.#budget = o.budget ?? UNBOUNDED;
    this.#now = o.now ?? Date.now;
    this.#guardrails = GuardrailCollector.create(o);
    this.#reader = new StatusReader(o);
    this.#billing = o.billing;
  }

  async #record(
    kind: string,
    key: string,
    fn: () => Promise<unknown>,
  ): Promise<boolean> {
    const fetchedAt = iso(this.#now());
    try {
      await this.#store.putSnapshot({
        kind,
        key,
        payload: (await fn()) ?? null,
        error: null,
        fetchedAt,
      });
      return true;
    } catch (e) {
      this.#logger.warn('Bedrock status fetch failed', {
        kind,
        key,
        error: errorText(e),
      });
      await this.#store.putSnapshot({
        kind,
        key,
        payload: null,
        error: errorText(e),
        fetchedAt,
      });
      return false;
    }
  }

  /** Alarms and budget per tenant, invocation logging per account and region. */
  #fetches(tenants: Tenant[]): StatusFetch[] {
    const fetch = (
      kind: string,
      key: string,
      accountId: string,
      fn: () => Promise<unknown>,
    ): StatusFetch => ({
      id: `${kind}:${key}`,
      accountId,
      run: () => this.#record(kind, key, fn),
    });
    return [
      ...tenants.flatMap(t => [
        fetch(SNAPSHOT.alarms, t.tenantId, t.accountId, () =>
          this.#reader.alarms(t),
        ),
        fetch(SNAPSHOT.budget, t.tenantId, t.accountId, () =>
          this.#reader.budget(t),
        ),
      ]),
      ...groupByAccountRegion(tenants).map(g =>
        fetch(
          SNAPSHOT.governance,
          `${g.accountId}/${g.region}`,
          g.accountId,
          () => this.#reader.governance(g.accountId, g.region),
        ),
      ),
      // the tenants' guardrails, read per account-region in one batch
      {
        id: 'guardrails:all',
        accountId: '*',
        run: async () =>
          (await this.#guardrails.collect(tenants)).every(ok => ok),
      },
    ];
  }

  /**
   * Fetches the tenants' status within the budget. A scheduled run (`resumable`, the default)
   * starts with what the previous run left pending and records itself as done or partial; a
   * one-tenant refresh passes `resumable: false` and leaves that record alone.
   */
  async collect(
    tenants: Tenant[],
    options: { resumable?: boolean } = {},
  ): Promise<StatusRunRecord> {
    const resumable = options.resumable ?? true;
    const started = this.#now();
    const callsBefore = this.#clients.calls;
    let fetches = this.#fetches(tenants);
    if (resumable) {
      const last = await this.#lastRun();
      const first = new Set(last?.pending ?? []);
      fetches = [
        ...fetches.filter(f => first.has(f.id)),
        ...fetches.filter(f => !first.has(f.id)),
      ];
    }

    const { concurrency, accountBudgetMs, runBudgetMs } = this.#budget;
    const accountStarted = new Map<string, number>();
    const pending: string[] = [];
    const outcomes = await mapLimit(fetches, concurrency, async f => {
      const now = this.#now();
      const accountStart = accountStarted.get(f.accountId) ?? now;
      accountStarted.set(f.accountId, accountStart);
      if (
        now - started >= runBudgetMs ||
        now - accountStart >= accountBudgetMs
      ) {
        pending.push(f.id);
        return undefined;
      }
      return f.run();
    });

    const record: StatusRunRecord = {
      state: pending.length ? 'partial' : 'done',
      startedAt: iso(started),
      finishedAt: iso(this.#now()),
      fetched: outcomes.filter(o => o !== undefined).length,
      failures: outcomes.filter(o => o === false).length,
      pending,
    };
    if (resumable) {
      await this.#store.putSnapshot({
        kind: SNAPSHOT.run,
        key: RUN_KEY,
        payload: record,
        error: pending.length
          ? `ran out of time: ${pending.length} of ${fetches.length} fetches left for the next run`
          : null,
        fetchedAt: record.finishedAt,
      });
    }
    this.#logger[pending.length ? 'warn' : 'info'](
      pending.length
        ? 'Bedrock status run ran out of time; the next run resumes'
        : 'Collected Bedrock status',
      {
        tenants: tenants.length,
        state: record.state,
        fetched: record.fetched,
        failures: record.failures,
        pending: pending.length,
        awsCalls: this.#clients.calls - callsBefore,
        durationMs: this.#now() - started,
      },
    );
    return record;
  }

  /** The record of the last scheduled status run, if any. */
  async #lastRun(): Promise<StatusRunRecord | undefined> {
    const snapshots = await this.#store.getSnapshots<StatusRunRecord>(
      SNAPSHOT.run,
      [RUN_KEY],
    );
    return snapshots[RUN_KEY]?.payload ?? undefined;
  }

  /**
   * Billed cost per tenant from Cost Explorer (USD 0.01 per request, so on a slow schedule only):
   * grouped requests per account, capped per day (reconcile/CostExplorerBilling).
   */
  async collectBilled(tenants: Tenant[]): Promise<BilledRun> {
    const run = (await this.#billing?.collect(tenants)) ?? {
      requests: 0,
      stored: 0,
      failed: 0,
      skipped: tenants.length,
    };
    this.#logger.info('Collected Bedrock billed cost', {
      tenants: tenants.length,
      stored: run.stored,
      failures: run.failed,
      skipped: run.skipped,
      costExplorerCalls: run.requests,
    });
    return run;
  }
}
