import type {
  PriceRow,
  RegionModelUsage,
  RegionUsage,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { HourlyUsageRow } from '../database/types';
import { totalsOf } from './usage';

const groupBy = <K>(rows: HourlyUsageRow[], key: (r: HourlyUsageRow) => K) => {
  const out = new Map<K, HourlyUsageRow[]>();
  for (const r of rows) {
    const list = out.get(key(r));
    if (list) list.push(r);
    else out.set(key(r), [r]);
  }
  return out;
};

/** Most expensive first; an unpriced entry (null) after every priced one. */
const byCost = (
  a: { estimatedCostUsd: number | null },
  b: { estimatedCostUsd: number | null },
) => (b.estimatedCostUsd ?? -1) - (a.estimatedCostUsd ?? -1);

/**
 * The usage rows by region, then by model, each priced at its own region's rates (a regional
 * endpoint may cost more than another region's). Rows already carry their region: the collector
 * stores one row per tenant, account, region, model and hour.
 */
export function regionsOf(
  prices: PriceRow[],
  rows: HourlyUsageRow[],
): RegionUsage[] {
  return [...groupBy(rows, r => r.region)]
    .map(([region, rs]) => {
      const t = totalsOf(prices, rs);
      const models: RegionModelUsage[] = [...groupBy(rs, r => r.modelId)]
        .map(([modelId, ms]) => {
          const m = totalsOf(prices, ms);
          return {
            modelId,
            invocations: m.invocations,
            inputTokens: m.inputTokens,
            outputTokens: m.outputTokens,
            estimatedCostUsd: m.estimatedCostUsd,
          };
        })
        .sort(byCost);
      return {
        region,
        invocations: t.invocations,
        inputTokens: t.inputTokens,
        outputTokens: t.outputTokens,
        clientErrors: t.clientErrors,
        serverErrors: t.serverErrors,
        throttles: t.throttles,
        estimatedCostUsd: t.estimatedCostUsd,
        models,
      };
    })
    .sort((a, b) => a.region.localeCompare(b.region));
}
