import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  AlarmInfo,
  BillingReconciliation,
  BudgetBlock,
  CostBlock,
  EnforcementInfo,
  EntitySummary,
  GovernanceInfo,
  GuardrailInfo,
  ModelUsage,
  Section,
  UsageTotals,
} from '@bedrock-tenancy/plugin-bedrock-common';
import {
  BilledSnapshot,
  BudgetSnapshot,
  GUARDRAIL_SNAPSHOT,
  guardrailSnapshotKey,
  SNAPSHOT,
} from '../database/snapshots';
import { iso } from '../lib/time';
import type { Tenant } from '../tenant';
import { HourlyUsageRow, Snapshot, UsageStore } from '../database/types';
import { createHash } from 'node:crypto';
import { BucketCache } from './BucketCache';
import { MemoCache } from './MemoCache';
import { budgetBlock, rowCost } from './cost';
import { reconcileMonth } from './reconciliation';
import { section } from './sections';
import { TimeRange } from './range';
import { historyWindow } from './historyWindow';
import { granularityOf, modelsOf, totalsOf } from './usage';
import { buildSummary, costSection, type SummaryOptions } from './buildSummary';

/** A tenant's figures in a Group roll-up. */
export interface TenantFigures {
  totals: UsageTotals;
  cost: Section<CostBlock>;
  budget: Section<BudgetBlock | null>;
  alarms: Section<AlarmInfo[]>;
  /** the range's usage per model (what the chargeback export lists) */
  models?: ModelUsage[];
  /**
   * billed cost of the range's days from Cost Explorer; null when it is off, not collected yet,
   * or has no day of the range (it keeps the current month only)
   */
  billedUsd?: number | null;
  /** the range's month estimate vs bill; null without billed figures or for a range across months */
  reconciliation?: BillingReconciliation | null;
}

/** The month `YYYY-MM` a range lies in, or null when it crosses months. */
export function monthOfRange(range: TimeRange): string | null {
  const from = iso(range.from).slice(0, 7);
  return iso(range.to - 1).slice(0, 7) === from ? from : null;
}

/** Billed cost of the days of `range` that the snapshot has; null when it has none of them. */
function billedIn(snap: BilledSnapshot | null | undefined, range: TimeRange) {
  const days = (snap?.daily ?? []).filter(d => {
    const t = Date.parse(`${d.date}T00:00:00Z`);
    return t >= range.from && t < range.to;
  });
  return days.length ? days.reduce((s, d) => s + d.usd, 0) : null;
}

const inRange = (rows: HourlyUsageRow[], range: TimeRange) =>
  rows.filter(r => {
    const t = Date.parse(r.hour);
    return t >= range.from && t < range.to;
  });

/** Builds entity summaries from the store only: no AWS call happens here. */
export class SummaryService {
  readonly #store: UsageStore;
  readonly #options: SummaryOptions;
  readonly #now: () => number;
  readonly #buckets: BucketCache;
  readonly #cache: CacheService;
  /**
   * Summaries of this replica in front of the shared cache (no deserialising per request);
   * concurrent identical requests share one computation.
   */
  readonly #summaries: MemoCache<string>;
  /**
   * Roll-up figures of this replica, by the exact (already authorized) tenant list, range and
   * the store's data version: a repeated roll-up costs one query. The clock-dependent figures
   * (month to date, projection) are at most a minute old: a busy roll-up's figures are
   * recomputed in the background from half a minute, so no request waits for 2,000 tenants.
   */
  readonly #figures: MemoCache<TenantFigures[]>;

  static create(o: {
    store: UsageStore;
    options: SummaryOptions;
    /** Backstage's cache service: the roll-up buckets, shared by every replica */
    cache: CacheService;
    logger?: LoggerService;
    now?: () => number;
  }) {
    return new SummaryService(o);
  }

  private constructor(o: {
    store: UsageStore;
    options: SummaryOptions;
    cache: CacheService;
    logger?: LoggerService;
    now?: () => number;
  }) {
    this.#store = o.store;
    this.#buckets = new BucketCache({ cache: o.cache, logger: o.logger });
    this.#cache = o.cache;
    this.#options = o.options;
    this.#now = o.now ?? Date.now;
    const kept = { ttlMs: 60_000, refreshAfterMs: 30_000, now: this.#now };
    this.#summaries = new MemoCache({ ...kept, maxEntries: 500 });
    this.#figures = new MemoCache({ ...kept, maxEntries: 200 });
  }

  /**
   * The entity summary as JSON, shared by every caller the route has authorized for the entity
   * until a collection or a snapshot changes the store's data version. The freshness, idle and
   * projection figures move with the clock: a summary is at most two minutes old (the replicas
   * share one per minute; a replica keeps it a minute and recomputes it in the background when
   * asked again after half of that, so a busy summary never waits).
   */
  async entitySummaryJson(tenant: Tenant, range: TimeRange): Promise<string> {
    const version = await this.#store.getVersion();
    const key = JSON.stringify([tenant, range.from, range.to, version]);
    const hash = createHash('sha256').update(key).digest('hex');
    return this.#summaries.get(hash, async () => {
      const id = `summary:${hash}:${Math.floor(this.#now() / 60_000)}`;
      const hit = await this.#cache.get<string>(id).catch(() => undefined);
      if (typeof hit === 'string') return hit;
      const fresh = JSON.stringify(await this.entitySummary(tenant, range));
      await this.#cache.set(id, fresh, { ttl: 60_000 }).catch(() => undefined);
      return fresh;
    });
  }

  async entitySummary(
    tenant: Tenant,
    range: TimeRange,
  ): Promise<EntitySummary> {
    const now = this.#now();
    const id = tenant.tenantId;
    // a daily chart needs no hour: its rows are the history's day buckets, which never cross
    // the range's ends (historyWindow), so one read serves both
    const daily = granularityOf(range) === 'day';
    const regionKeys = tenant.regions.map(r => `${tenant.accountId}/${r}`);
    const guardrailKeys = tenant.regions.map(r => guardrailSnapshotKey(id, r));
    const [hourly, history, states, last, snapshots] = await Promise.all([
      daily
        ? []
        : this.#store.getUsage({
            tenantIds: [id],
            from: iso(range.from),
            to: iso(range.to),
          }),
      this.#history([id], range, now),
      this.#store.getStates([id]),
      this.#store.getLastInvocation([id]),
      this.#store.getSnapshotsOfKinds({
        [SNAPSHOT.alarms]: [id],
        [SNAPSHOT.budget]: [id],
        [SNAPSHOT.billed]: [id],
        [SNAPSHOT.governance]: regionKeys,
        [GUARDRAIL_SNAPSHOT]: guardrailKeys,
        // budget enforcement's last decision (enforce/BudgetEnforcer)
        enforcement: [id],
      }),
    ]);
    const of = <T>(kind: string, key: string) =>
      snapshots[kind]?.[key] as Snapshot<T> | undefined;
    return buildSummary(this.#options, tenant, range, now, {
      rows: daily ? inRange(history, range) : hourly,
      history,
      state: states[id],
      lastInvocationAt: last[id] ?? null,
      alarms: of<AlarmInfo[]>(SNAPSHOT.alarms, id),
      budget: of<BudgetSnapshot | null>(SNAPSHOT.budget, id),
      billed: of<BilledSnapshot>(SNAPSHOT.billed, id),
      governance: regionKeys.map(k =>
        of<GovernanceInfo>(SNAPSHOT.governance, k),
      ),
      guardrails: guardrailKeys.map(k =>
        of<GuardrailInfo | null>(GUARDRAIL_SNAPSHOT, k),
      ),
      enforcement:
        of<EnforcementInfo | null>('enforcement', id)?.payload ?? null,
    });
  }

  /**
   * What a Group roll-up shows of each tenant (totals, cost, budget, alarms) from one batch of
   * reads, summed per day in the database: a roll-up over hundreds of tenants stays cheap.
   */
  async rollupFigures(
    tenants: Tenant[],
    range: TimeRange,
  ): Promise<TenantFigures[]> {
    const ids = tenants.map(t => t.tenantId);
    const version = await this.#store.getVersion();
    return this.#figures.get(
      JSON.stringify([ids, range.from, range.to, version]),
      () => this.#rollupFigures(tenants, range, this.#now()),
    );
  }

  async #rollupFigures(
    tenants: Tenant[],
    range: TimeRange,
    now: number,
  ): Promise<TenantFigures[]> {
    const ids = [...new Set(tenants.map(t => t.tenantId))];
    const [history, alarms, budgets, billed] = await Promise.all([
      this.#cachedHistory(ids, range, now),
      this.#store.getSnapshots<AlarmInfo[]>(SNAPSHOT.alarms, ids),
      this.#store.getSnapshots<BudgetSnapshot | null>(SNAPSHOT.budget, ids),
      this.#options.costExplorerEnabled
        ? this.#store.getSnapshots<BilledSnapshot>(SNAPSHOT.billed, ids)
        : Promise.resolve(
            {} as Record<string, Snapshot<BilledSnapshot> | undefined>,
          ),
    ]);
    const historyOf = new Map<string, HourlyUsageRow[]>();
    for (const r of history) {
      const list = historyOf.get(r.tenantId);
      if (list) list.push(r);
      else historyOf.set(r.tenantId, [r]);
    }
    const month = monthOfRange(range);
    return tenants.map(tenant => {
      const own = historyOf.get(tenant.tenantId) ?? [];
      const cost = costSection(
        this.#options.prices,
        own,
        range,
        now,
        undefined,
      );
      const rows = inRange(own, range);
      return {
        totals: totalsOf(this.#options.prices, rows),
        models: modelsOf(this.#options.prices, rows),
        billedUsd: billedIn(billed[tenant.tenantId]?.payload, range),
        reconciliation: month
          ? reconcileMonth({
              month,
              rows: own,
              cost: r => rowCost(this.#options.prices, r),
              billed: billed[tenant.tenantId]?.payload,
              asOf: billed[tenant.tenantId]?.fetchedAt,
            })
          : null,
        cost: cost.section,
        budget: section(budgets[tenant.tenantId], 'Budget', b =>
          b ? budgetBlock(b, cost.data?.dailyRunRateUsd ?? 0, now) : null,
        ),
        alarms: section(alarms[tenant.tenantId], 'Alarms', a => a ?? []),
      };
    });
  }

  #history(tenantIds: string[], range: TimeRange, now: number) {
    return this.#store.getUsageBuckets(historyWindow(tenantIds, range, now));
  }

  /** The roll-up's history, shared by identical roll-ups until the tenants are collected again. */
  async #cachedHistory(tenantIds: string[], range: TimeRange, now: number) {
    const states = await this.#store.getStates(tenantIds);
    const collectedAt = tenantIds
      .map(id => states[id]?.lastCollectedAt ?? '')
      .sort()
      .pop();
    const window = historyWindow(tenantIds, range, now);
    const key = JSON.stringify([
      [...tenantIds].sort(),
      window.from,
      window.to,
      window.boundaries,
      collectedAt,
    ]);
    return this.#buckets.get(key, () => this.#store.getUsageBuckets(window));
  }
}
