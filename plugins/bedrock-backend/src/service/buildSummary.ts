import {
  AlarmInfo,
  CostBlock,
  EnforcementInfo,
  EntitySummary,
  GovernanceInfo,
  GuardrailInfo,
  PriceRow,
  Section,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { BilledSnapshot, BudgetSnapshot } from '../database/snapshots';
import type { HourlyUsageRow, Snapshot, TenantState } from '../database/types';
import { DAY_MS, HOUR_MS, iso } from '../lib/time';
import type { Tenant } from '../tenant';
import { budgetBlock, costBlock } from './cost';
import { guardrailSection } from './guardrailSection';
import type { TimeRange } from './range';
import { regionsOf } from './regions';
import { governanceSection, section } from './sections';
import { suggestionsFor } from './suggestions';
import { modelsOf, seriesOf, totalsOf } from './usage';

/** What every summary is built with: prices and the thresholds of its notices. */
export interface SummaryOptions {
  /**
   * read on every summary: the plugin passes a getter over its price table (prices/PriceTable),
   * whose rows change after each run of the AWS price list reader
   */
  prices: PriceRow[];
  /** where the prices come from, added to the cost panel's `includes` */
  priceNote?: () => string;
  idleDays: number;
  staleAfterMinutes: number;
  costExplorerEnabled: boolean;
}

/* The entity summary, assembled from the rows and snapshots SummaryService read: no I/O here. */

/** The cost panel from the history rows; a failure degrades this panel only. */
export function costSection(
  prices: PriceRow[],
  history: HourlyUsageRow[],
  range: TimeRange,
  now: number,
  billed: Snapshot<BilledSnapshot> | undefined,
): { section: Section<CostBlock>; data?: CostBlock } {
  try {
    const data = costBlock({
      prices,
      history,
      range,
      now,
      billed: billed?.payload ?? null,
      billedAsOf: billed?.fetchedAt ?? null,
    });
    return { section: { status: 'ok', data }, data };
  } catch (e) {
    return {
      section: {
        status: 'error',
        message: `Cost could not be computed: ${(e as Error).message}`,
      },
    };
  }
}

/** The cost panel with a line added to what it includes. */
function withNote(
  s: Section<CostBlock>,
  note: string | undefined,
): Section<CostBlock> {
  return s.status === 'ok' && note
    ? { ...s, data: { ...s.data, includes: [...s.data.includes, note] } }
    : s;
}

/** The entity summary from what the store holds: pure, no I/O. */
export function buildSummary(
  options: SummaryOptions,
  tenant: Tenant,
  range: TimeRange,
  now: number,
  data: {
    rows: HourlyUsageRow[];
    history: HourlyUsageRow[];
    state: TenantState | undefined;
    lastInvocationAt: string | null;
    alarms: Snapshot<AlarmInfo[]> | undefined;
    budget: Snapshot<BudgetSnapshot | null> | undefined;
    billed: Snapshot<BilledSnapshot> | undefined;
    governance: Array<Snapshot<GovernanceInfo> | undefined>;
    guardrails: Array<Snapshot<GuardrailInfo | null> | undefined>;
    enforcement?: EnforcementInfo | null;
  },
): EntitySummary {
  const { prices } = options;
  const { rows, history, state, lastInvocationAt } = data;
  const totals = totalsOf(prices, rows);
  const models = modelsOf(prices, rows);
  const series = seriesOf(prices, rows, range);
  const cost = costSection(
    options.prices,
    history,
    range,
    now,
    options.costExplorerEnabled ? data.billed : undefined,
  );
  const idle = {
    idle: Boolean(
      state?.lastCollectedAt &&
        (!lastInvocationAt ||
          now - (Date.parse(lastInvocationAt) + HOUR_MS) >=
            options.idleDays * DAY_MS),
    ),
    lastInvocationAt,
    thresholdDays: options.idleDays,
  };
  const lastCollectedAt = state?.lastCollectedAt ?? null;
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
    byRegion: regionsOf(prices, rows),
    series: series.points,
    cost: withNote(cost.section, options.priceNote?.()),
    budget: section(data.budget, 'Budget', b =>
      b ? budgetBlock(b, cost.data?.dailyRunRateUsd ?? 0, now) : null,
    ),
    alarms: section(data.alarms, 'Alarms', a => a ?? []),
    governance: governanceSection(data.governance),
    guardrails: guardrailSection(data.guardrails),
    idle,
    suggestions: suggestionsFor({
      idle,
      totals,
      models,
      prices,
      region: tenant.regions[0],
      today: iso(now).slice(0, 10),
      streamingMeasured: tenant.attribution !== 'identity',
    }),
    freshness: {
      dataUntil: state?.watermark ?? null,
      lastCollectedAt,
      stale:
        !lastCollectedAt ||
        now - Date.parse(lastCollectedAt) > options.staleAfterMinutes * 60_000,
    },
    enforcement: data.enforcement ?? null,
  };
}
