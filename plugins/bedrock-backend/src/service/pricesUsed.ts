import {
  hasTraffic,
  PriceRow,
  PriceUsed,
  priceOrigin,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { HourlyUsageRow } from '../database/types';
import { rowPrice } from './cost';

/**
 * The distinct price rows that priced `rows` (one model's usage), oldest effective date first:
 * what the model table shows as the source and date of each price. Hours without traffic cost
 * nothing and name no price.
 */
export function pricesUsed(
  prices: PriceRow[],
  rows: HourlyUsageRow[],
): PriceUsed[] {
  const used = new Set<PriceRow>();
  for (const r of rows) {
    if (!hasTraffic(r)) continue;
    const price = rowPrice(prices, r);
    if (price) used.add(price);
  }
  return [...used]
    .map(p => ({
      origin: priceOrigin(p),
      source: p.source,
      effectiveFrom: p.effectiveFrom,
      region: p.region,
    }))
    .sort(
      (a, b) =>
        a.effectiveFrom.localeCompare(b.effectiveFrom) ||
        a.region.localeCompare(b.region),
    );
}
