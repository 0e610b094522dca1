import type {
  AttributionMode,
  BillingReconciliation,
  BillingSource,
  GroupReconciliation,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { hasTraffic } from '@bedrock-tenancy/plugin-bedrock-common';
import type { BilledSnapshot } from '../database/snapshots';
import type { HourlyUsageRow } from '../database/types';
import { DAY_MS, HOUR_MS } from '../lib/time';

/*
 * Estimate vs bill, pure: which billed figures a tenant's attribution mode has, how late they are,
 * and the variance of one month over the days the bill is complete for. No I/O here: the bill is
 * read by reconcile/CostExplorerBilling, the admins told by reconcile/VarianceNotifier.
 */

/** Where each attribution mode's billed figure comes from. */
export const BILLING_SOURCE: Record<AttributionMode, BillingSource> = {
  'inference-profile': 'cost-allocation-tag',
  identity: 'iam-principal-tag',
  account: 'linked-account',
};

/**
 * How late each source is at most: cost allocation tags and Cost Explorer's own refresh up to
 * 24 h; IAM-principal cost allocation 24-48 h (bedrock-facts.md, "Billing lag").
 */
export const LAG_HOURS: Record<BillingSource, number> = {
  'cost-allocation-tag': 24,
  'iam-principal-tag': 48,
  'linked-account': 24,
};

const LAG_TEXT: Record<BillingSource, string> = {
  'cost-allocation-tag': 'billed figures lag up to 24 h',
  'iam-principal-tag': 'billed figures lag 24-48 h',
  'linked-account': 'billed figures lag up to 24 h',
};

const day = (t: number) => new Date(t).toISOString().slice(0, 10);
const floorDay = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;

/**
 * The last UTC day whose bill was complete at `asOf` given the lag: the last day that ended
 * `lagHours` or more before. Fetched 2026-11-20T12:00Z with a 24 h lag: 2026-11-18.
 */
export function completeThrough(asOf: string, lagHours: number): string {
  return day(floorDay(Date.parse(asOf) - lagHours * HOUR_MS) - DAY_MS);
}

/** "billed figures lag 24-48 h; last complete day 2026-11-17" (or "no day of 2026-12 is complete yet"). */
export function lagNote(
  lag: string,
  comparedThrough: string | null,
  month: string,
): string {
  return comparedThrough
    ? `${lag}; last complete day ${comparedThrough}`
    : `${lag}; no day of ${month} is complete yet`;
}

/** The month's days `YYYY-MM-DD`, [first, last]. */
function monthDays(month: string): [string, string] {
  const [y, m] = month.split('-').map(Number);
  return [day(Date.UTC(y, m - 1, 1)), day(Date.UTC(y, m, 1) - DAY_MS)];
}

/** USD with cents, the variance's sign kept. */
const usd = (v: number) => `${v < 0 ? '-' : ''}USD ${Math.abs(v).toFixed(2)}`;

/**
 * A tenant's estimate against its bill for `month`, over the days of the month up to the last
 * one the bill was complete for when fetched; null when there is no billed figure for the month
 * (Cost Explorer off, not fetched yet, or a month the snapshot does not cover).
 *
 * `rows` are the tenant's usage rows (hourly or daily buckets), `cost` prices one (null when
 * unpriced): the estimate is the same as the cost panel's.
 */
export function reconcileMonth(o: {
  month: string;
  rows: HourlyUsageRow[];
  cost: (row: HourlyUsageRow) => number | null;
  billed: BilledSnapshot | null | undefined;
  /** when the billed figures were fetched */
  asOf: string | null | undefined;
}): BillingReconciliation | null {
  const { month, billed } = o;
  if (!billed || !o.asOf) return null;
  const ofMonth = billed.daily.filter(d => d.date.startsWith(`${month}-`));
  if (!ofMonth.length) return null;
  const source = billed.source ?? 'cost-allocation-tag';
  const lagHours = billed.lagHours ?? LAG_HOURS[source];
  const [first, last] = monthDays(month);
  const complete = completeThrough(o.asOf, lagHours);
  let through: string | null = complete < last ? complete : last;
  if (through < first) through = null;
  const compared = (date: string) =>
    through !== null && date >= first && date <= through;

  const billedUsd = ofMonth
    .filter(d => compared(d.date))
    .reduce((s, d) => s + d.usd, 0);
  let estimatedUsd = 0;
  let estimateComplete = true;
  for (const r of o.rows) {
    if (!compared(r.hour.slice(0, 10))) continue;
    const c = o.cost(r);
    if (c === null) {
      if (hasTraffic(r)) estimateComplete = false;
    } else estimatedUsd += c;
  }
  const varianceUsd = billedUsd - estimatedUsd;
  return {
    month,
    source,
    lagHours,
    comparedThrough: through,
    monthComplete: through === last,
    billedUsd,
    estimatedUsd,
    varianceUsd,
    variancePercent: billedUsd > 0 ? (varianceUsd / billedUsd) * 100 : null,
    estimateComplete,
    asOf: o.asOf,
    lagNote: lagNote(LAG_TEXT[source], through, month),
  };
}

/** The tenants' reconciliations of one month summed; null when none has billed figures. */
export function sumReconciliations(
  items: Array<BillingReconciliation | null | undefined>,
  month: string,
): GroupReconciliation | null {
  const known = items.filter((r): r is BillingReconciliation => Boolean(r));
  if (!known.length) return null;
  const billedUsd = known.reduce((s, r) => s + r.billedUsd, 0);
  const estimatedUsd = known.reduce((s, r) => s + r.estimatedUsd, 0);
  const varianceUsd = billedUsd - estimatedUsd;
  const days = known
    .map(r => r.comparedThrough)
    .filter((d): d is string => d !== null)
    .sort();
  const through = days.length === known.length ? days[0] : null;
  const lag = known.some(r => r.source === 'iam-principal-tag')
    ? LAG_TEXT['iam-principal-tag']
    : LAG_TEXT['cost-allocation-tag'];
  return {
    tenants: known.length,
    billedUsd,
    estimatedUsd,
    varianceUsd,
    variancePercent: billedUsd > 0 ? (varianceUsd / billedUsd) * 100 : null,
    comparedThrough: through,
    lagNote: lagNote(lag, through, month),
  };
}

/** What makes a month's variance worth telling the admins: both bounds passed. */
export interface VarianceThreshold {
  /** |variance| as a percentage of the bill at least this (a bill of 0 counts as passed) */
  percent: number;
  /** |variance| at least this many USD */
  minUsd: number;
}

/**
 * Whether the variance passes the threshold: at least `minUsd` off and at least `percent` of
 * the bill off. A bill of 0 against an estimate of `minUsd` or more passes (a tag not activated
 * looks like this); nothing compared yet never does.
 */
export function passesThreshold(
  r: BillingReconciliation,
  t: VarianceThreshold,
): boolean {
  if (r.comparedThrough === null) return false;
  if (Math.abs(r.varianceUsd) < t.minUsd) return false;
  return r.variancePercent === null || Math.abs(r.variancePercent) >= t.percent;
}

/** One line for people: "billed USD 120.00, estimated USD 100.00 through 2026-11-18: USD 20.00 (16.7%) over the estimate". */
export function describeVariance(r: BillingReconciliation): string {
  const pct =
    r.variancePercent === null
      ? 'no billed cost'
      : `${Math.abs(r.variancePercent).toFixed(1)}% of the bill`;
  const way = r.varianceUsd >= 0 ? 'above' : 'below';
  return `billed ${usd(r.billedUsd)}, estimated ${usd(r.estimatedUsd)} for ${
    r.month
  } through ${r.comparedThrough ?? '-'}: the bill is ${usd(
    Math.abs(r.varianceUsd),
  )} (${pct}) ${way} the estimate${
    r.estimateComplete ? '' : ' (the estimate leaves out unpriced models)'
  }; ${r.lagNote}`;
}
