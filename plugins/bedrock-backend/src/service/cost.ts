import {
  BudgetBlock,
  CACHE_WRITE_ASSUMPTION,
  CostAnomaly,
  CostBlock,
  findPrice,
  hasTraffic,
  PriceRow,
  priceTokens,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { BilledSnapshot, BudgetSnapshot } from '../database/snapshots';
import { DAY_MS, floorHour, HOUR_MS } from '../lib/time';
import { HourlyUsageRow } from '../database/types';
import { reconcileMonth } from './reconciliation';

/** A day's spend is anomalous above this many standard deviations of the trailing 14 days... */
export const ANOMALY_SIGMAS = 3;
/** ...and only when it is materially above the mean: +25% and at least USD 1. */
export const ANOMALY_MIN_RATIO = 1.25;
export const ANOMALY_MIN_USD = 1;
const BASELINE_DAYS = 14;
/** Days of spend the daily run rate (and the month-end projection) is taken from. */
export const RUN_RATE_DAYS = 7;

const floorDay = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;
const day = (t: number) => new Date(t).toISOString().slice(0, 10);
export const monthStart = (t: number) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
export const monthEnd = (t: number) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

/** Price lookups per price table, by model, region and day: summaries price every hourly row several times. */
const priceCache = new WeakMap<PriceRow[], Map<string, PriceRow | null>>();
const PRICE_CACHE_MAX = 50_000;

function cachedPrice(
  prices: PriceRow[],
  model: string,
  region: string,
  date: string,
) {
  let cache = priceCache.get(prices);
  if (!cache || cache.size > PRICE_CACHE_MAX) {
    cache = new Map();
    priceCache.set(prices, cache);
  }
  const key = `${model}|${region}|${date}`;
  let price = cache.get(key);
  if (price === undefined) {
    price = findPrice(prices, model, region, date) ?? null;
    cache.set(key, price);
  }
  return price;
}

/** The price row in effect on a usage row's day, or null when the model is unpriced. */
export function rowPrice(prices: PriceRow[], r: HourlyUsageRow) {
  return cachedPrice(prices, r.modelId, r.region, r.hour.slice(0, 10));
}

/** Cost of one row at the price in effect that day, or null when the model is unpriced. */
export function rowCost(prices: PriceRow[], r: HourlyUsageRow): number | null {
  const price = cachedPrice(prices, r.modelId, r.region, r.hour.slice(0, 10));
  return price ? priceTokens(price, r) : null;
}

/** Priced cost per UTC day (YYYY-MM-DD). */
export function dailyCosts(
  prices: PriceRow[],
  rows: HourlyUsageRow[],
): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    const c = rowCost(prices, r);
    if (c !== null)
      out.set(r.hour.slice(0, 10), (out.get(r.hour.slice(0, 10)) ?? 0) + c);
  }
  return out;
}

/** The latest of the last 7 complete days whose spend is anomalous against its trailing 14 days. */
export function findAnomaly(
  daily: Map<string, number>,
  now: number,
): CostAnomaly | null {
  const today = Date.UTC(
    new Date(now).getUTCFullYear(),
    new Date(now).getUTCMonth(),
    new Date(now).getUTCDate(),
  );
  for (let back = 1; back <= 7; back++) {
    const d = today - back * DAY_MS;
    const amount = daily.get(day(d)) ?? 0;
    const base: number[] = [];
    for (let k = 1; k <= BASELINE_DAYS; k++)
      base.push(daily.get(day(d - k * DAY_MS)) ?? 0);
    const mean = base.reduce((s, v) => s + v, 0) / base.length;
    const sd = Math.sqrt(
      base.reduce((s, v) => s + (v - mean) ** 2, 0) / base.length,
    );
    let score = amount > mean ? Infinity : 0;
    if (sd > 0) score = (amount - mean) / sd;
    if (
      score > ANOMALY_SIGMAS &&
      amount >= mean * ANOMALY_MIN_RATIO &&
      amount - mean >= ANOMALY_MIN_USD
    ) {
      return {
        date: day(d),
        amountUsd: amount,
        baselineUsd: mean,
        score: Number.isFinite(score) ? score : 999,
      };
    }
  }
  return null;
}

/**
 * The cost panel. `history` must cover the range, the month so far and the 21 days before now
 * (run rate and anomaly baseline).
 */
export function costBlock(options: {
  prices: PriceRow[];
  history: HourlyUsageRow[];
  range: { from: number; to: number };
  now: number;
  billed: BilledSnapshot | null;
  billedAsOf: string | null;
}): CostBlock {
  const { prices, history, range, now } = options;
  const ms = monthStart(now);
  const end = floorHour(now) + HOUR_MS;
  let rangeUsd = 0;
  let mtd = 0;
  let lastWeek = 0;
  const unpriced = new Set<string>();
  for (const r of history) {
    const t = Date.parse(r.hour);
    const c = rowCost(prices, r);
    const inRange = t >= range.from && t < range.to;
    if (c === null) {
      if (hasTraffic(r) && inRange) unpriced.add(r.modelId);
      continue;
    }
    if (inRange) rangeUsd += c;
    if (t >= ms) mtd += c;
    if (t >= end - RUN_RATE_DAYS * DAY_MS && t < end) lastWeek += c;
  }
  const runRate = lastWeek / RUN_RATE_DAYS;
  const projected = mtd + runRate * Math.max(0, (monthEnd(now) - now) / DAY_MS);
  const daily = dailyCosts(prices, history);
  const billedByDay = new Map(
    (options.billed?.daily ?? []).map(d => [d.date, d.usd]),
  );
  const days: CostBlock['daily'] = [];
  for (
    let d = Math.min(floorDay(range.from), ms);
    d < Math.min(range.to, end);
    d += DAY_MS
  ) {
    const key = day(d);
    days.push({
      date: key,
      estimatedUsd: daily.get(key) ?? 0,
      billedUsd: billedByDay.get(key) ?? null,
    });
  }
  return {
    currency: 'USD',
    rangeEstimatedUsd: rangeUsd,
    monthToDateUsd: mtd,
    projectedMonthEndUsd: projected,
    dailyRunRateUsd: runRate,
    unpricedModels: [...unpriced].sort(),
    daily: days,
    anomaly: findAnomaly(daily, now),
    billed: options.billed
      ? {
          monthToDateUsd: options.billed.monthToDateUsd,
          gapUsd: options.billed.monthToDateUsd - mtd,
          asOf: options.billedAsOf ?? new Date(now).toISOString(),
        }
      : null,
    // this month's estimate vs bill over the days the bill is complete for (reconciliation.ts)
    reconciliation: reconcileMonth({
      month: day(now).slice(0, 7),
      rows: history,
      cost: r => rowCost(prices, r),
      billed: options.billed,
      asOf: options.billedAsOf,
    }),
    includes: [
      'on-demand input, output and prompt-cache tokens at list prices (built-in table plus bedrock.prices)',
    ],
    assumptions: [
      'Claude Sonnet 4.5 and later: the global cross-Region profile at its price, in-Region and geo profiles (us., eu., ...) 10% higher',
      CACHE_WRITE_ASSUMPTION,
      "service tiers apart: CloudWatch reports Priority and Flex traffic as <model-id>+priority and <model-id>+flex, each priced only at its own tier's rate; a tier with no price (Reserved, or a tier this version does not know) is unpriced, never priced as Standard",
    ],
    excludes: [
      'traffic through the OpenAI-compatible bedrock-mantle endpoint (its metrics are in AWS/BedrockMantle, not AWS/Bedrock)',
      'batch inference jobs (billed at about half the on-demand price)',
      'provisioned throughput and reserved-tier capacity (billed per hour or per reserved tokens per minute)',
      'taxes, credits, support and data transfer',
      ...(unpriced.size
        ? [`unpriced models: ${[...unpriced].sort().join(', ')}`]
        : []),
    ],
  };
}

/** The budget panel: usage, thresholds crossed and the day the budget runs out at the run rate. */
export function budgetBlock(
  b: BudgetSnapshot,
  runRateUsd: number,
  now: number,
): BudgetBlock {
  const used = b.limitUsd > 0 ? b.actualSpendUsd / b.limitUsd : 0;
  const forecast =
    b.forecastedSpendUsd ??
    b.actualSpendUsd + runRateUsd * Math.max(0, (monthEnd(now) - now) / DAY_MS);
  let runsOutOn: string | null = null;
  if (b.limitUsd > 0 && b.actualSpendUsd >= b.limitUsd) runsOutOn = day(now);
  else if (runRateUsd > 0) {
    const at = now + ((b.limitUsd - b.actualSpendUsd) / runRateUsd) * DAY_MS;
    if (at < monthEnd(now)) runsOutOn = day(at);
  }
  return {
    name: b.name,
    limitUsd: b.limitUsd,
    actualSpendUsd: b.actualSpendUsd,
    forecastedSpendUsd: b.forecastedSpendUsd,
    usedFraction: used,
    runsOutOn,
    thresholds: b.notifications
      .map(n => ({
        percent: n.percent,
        type: n.type,
        crossed:
          b.limitUsd > 0 &&
          ((n.type === 'ACTUAL' ? b.actualSpendUsd : forecast) / b.limitUsd) *
            100 >=
            n.percent,
      }))
      .sort((a, c) => a.percent - c.percent),
  };
}
