import {
  AlarmInfo,
  CostBlock,
  EntitySummary,
  GovernanceInfo,
  PriceRow,
  Section,
} from '@bedrock-tenancy/plugin-bedrock-common';
import {
  BilledSnapshot,
  BudgetSnapshot,
  SNAPSHOT,
} from '../collector/StatusCollector';
import { DAY_MS, floorHour, HOUR_MS, iso } from '../collector/hours';
import type { Tenant } from '../collector/tenants';
import { Snapshot, UsageStore } from '../database/types';
import { budgetBlock, costBlock, monthStart } from './cost';
import { TimeRange } from './range';
import { suggestionsFor } from './suggestions';
import { modelsOf, seriesOf, totalsOf } from './usage';

/** Days before now that the cost panel needs (run rate + anomaly baseline). */
const HISTORY_DAYS = 22;

export interface SummaryOptions {
  prices: PriceRow[];
  idleDays: number;
  staleAfterMinutes: number;
  costExplorerEnabled: boolean;
}

function section<T, R>(
  snap: Snapshot<T> | undefined,
  what: string,
  map: (payload: T | null) => R,
): Section<R> {
  if (!snap)
    return { status: 'unavailable', message: `${what} not collected yet` };
  if (snap.error)
    return {
      status: 'error',
      message: `${what} could not be read from AWS: ${snap.error}`,
    };
  try {
    return { status: 'ok', data: map(snap.payload) };
  } catch (e) {
    return { status: 'error', message: `${what}: ${(e as Error).message}` };
  }
}

function governanceSection(
  snaps: Array<Snapshot<GovernanceInfo> | undefined>,
): Section<GovernanceInfo[]> {
  if (!snaps.every(Boolean)) {
    return {
      status: 'unavailable',
      message: 'Invocation logging settings not collected yet',
    };
  }
  const failed = snaps.find(s => s!.error);
  if (failed) {
    return {
      status: 'error',
      message: `Invocation logging settings could not be read from AWS: ${failed.error}`,
    };
  }
  return {
    status: 'ok',
    data: snaps.flatMap(s => (s!.payload ? [s!.payload] : [])),
  };
}

function withoutFlag(c: ReturnType<typeof costBlock>): CostBlock {
  const { rangeUnpriced: _u, ...data } = c;
  return data;
}

/** Builds entity summaries from the store only: no AWS call happens here. */
export class SummaryService {
  readonly #store: UsageStore;
  readonly #options: SummaryOptions;
  readonly #now: () => number;

  static create(o: {
    store: UsageStore;
    options: SummaryOptions;
    now?: () => number;
  }) {
    return new SummaryService(o);
  }

  private constructor(o: {
    store: UsageStore;
    options: SummaryOptions;
    now?: () => number;
  }) {
    this.#store = o.store;
    this.#options = o.options;
    this.#now = o.now ?? Date.now;
  }

  async entitySummary(
    tenant: Tenant,
    range: TimeRange,
  ): Promise<EntitySummary> {
    const now = this.#now();
    const { prices } = this.#options;
    const historyFrom = Math.min(
      range.from,
      monthStart(now),
      floorHour(now) - HISTORY_DAYS * DAY_MS,
    );
    const historyTo = Math.max(range.to, floorHour(now) + HOUR_MS);
    const id = tenant.tenantId;
    const [history, states, last, alarms, budgets, billed, governance] =
      await Promise.all([
        this.#store.getUsage({
          tenantIds: [id],
          from: iso(historyFrom),
          to: iso(historyTo),
        }),
        this.#store.getStates([id]),
        this.#store.getLastInvocation([id]),
        this.#store.getSnapshots<AlarmInfo[]>(SNAPSHOT.alarms, [id]),
        this.#store.getSnapshots<BudgetSnapshot | null>(SNAPSHOT.budget, [id]),
        this.#store.getSnapshots<BilledSnapshot>(SNAPSHOT.billed, [id]),
        this.#store.getSnapshots<GovernanceInfo>(
          SNAPSHOT.governance,
          tenant.regions.map(r => `${tenant.accountId}/${r}`),
        ),
      ]);
    const rows = history.filter(r => {
      const t = Date.parse(r.hour);
      return t >= range.from && t < range.to;
    });
    const totals = totalsOf(prices, rows);
    const models = modelsOf(prices, rows);
    const series = seriesOf(prices, rows, range);
    const billedSnap = this.#options.costExplorerEnabled
      ? billed[id]
      : undefined;
    let cost: ReturnType<typeof costBlock> | undefined;
    let costError = '';
    try {
      cost = costBlock({
        prices,
        history,
        range,
        now,
        billed: billedSnap?.payload ?? null,
        billedAsOf: billedSnap?.fetchedAt ?? null,
      });
    } catch (e) {
      costError = (e as Error).message;
    }
    const state = states[id];
    const lastInvocationAt = last[id] ?? null;
    const idle = {
      idle: Boolean(
        state?.lastCollectedAt &&
          (!lastInvocationAt ||
            now - (Date.parse(lastInvocationAt) + HOUR_MS) >=
              this.#options.idleDays * DAY_MS),
      ),
      lastInvocationAt,
      thresholdDays: this.#options.idleDays,
    };
    const lastCollectedAt = state?.lastCollectedAt ?? null;
    const govSnaps = tenant.regions.map(
      r => governance[`${tenant.accountId}/${r}`],
    );
    return {
      tenant: {
        entityRef: tenant.entityRef,
        tenantId: tenant.tenantId,
        accountId: tenant.accountId,
        regions: tenant.regions,
        attribution: tenant.attribution,
      },
      range: {
        from: iso(range.from),
        to: iso(range.to),
        granularity: series.granularity,
      },
      totals,
      models,
      series: series.points,
      cost: cost
        ? { status: 'ok', data: withoutFlag(cost) }
        : {
            status: 'error',
            message: `Cost could not be computed: ${costError}`,
          },
      budget: section(budgets[id], 'Budget', b =>
        b ? budgetBlock(b, cost?.dailyRunRateUsd ?? 0, now) : null,
      ),
      alarms: section(alarms[id], 'Alarms', a => a ?? []),
      governance: governanceSection(govSnaps),
      idle,
      suggestions: suggestionsFor({
        idle,
        totals,
        models,
        prices,
        region: tenant.regions[0],
        today: iso(now).slice(0, 10),
      }),
      freshness: {
        dataUntil: state?.watermark ?? null,
        lastCollectedAt,
        stale:
          !lastCollectedAt ||
          now - Date.parse(lastCollectedAt) >
            this.#options.staleAfterMinutes * 60_000,
      },
    };
  }
}
