import type { PriceRow } from '@bedrock-tenancy/plugin-bedrock-common';
import { isAnthropic } from './modelNames';
import type { PriceKind, PriceListFact } from './parseProduct';

/** Rounds away binary noise at a billionth of a dollar, as the built-in table does. */
const usd = (v: number) => Math.round(v * 1e9) / 1e9;

/** Anthropic's documented prompt-cache prices, as multiples of the input price. */
const ANTHROPIC_CACHE: Array<[PriceKind, number]> = [
  ['cacheRead', 0.1],
  ['cacheWrite', 1.25],
  ['cacheWrite1h', 2],
];

const FIELD: Record<PriceKind, keyof PriceRow> = {
  input: 'inputPer1k',
  output: 'outputPer1k',
  cacheRead: 'cacheReadPer1k',
  cacheWrite: 'cacheWritePer1k',
  cacheWrite1h: 'cacheWrite1hPer1k',
};

/**
 * Price rows from the list's token prices: one row per model, region, tier and effective date,
 * each kind of token at the price in effect that day (a change of the input price alone keeps the
 * output price it had). A row needs both an input and an output price: the list is known to lack
 * some Anthropic output prices, and such a model stays with the built-in table rather than be
 * priced $0. Cache prices the list lacks for an Anthropic model follow Anthropic's documented
 * multipliers of the list's input price, and the row's source says so. Batch prices are kept in
 * the database only: no usage is counted as batch yet.
 */
export function priceRowsOf(facts: PriceListFact[]): PriceRow[] {
  const groups = new Map<string, PriceListFact[]>();
  for (const f of facts) {
    if (f.tier === 'batch') continue;
    const key = [f.model, f.region, f.tier].join('|');
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  const rows: PriceRow[] = [];
  for (const group of groups.values()) {
    const { model, region, tier } = group[0];
    const days = [...new Set(group.map(f => f.effectiveFrom))].sort();
    for (const day of days) {
      const price = new Map<PriceKind, PriceListFact>();
      for (const f of group) {
        const known = price.get(f.kind);
        if (
          f.effectiveFrom <= day &&
          (!known || f.effectiveFrom >= known.effectiveFrom)
        )
          price.set(f.kind, f);
      }
      const input = price.get('input');
      const output = price.get('output');
      if (!input || !output) continue;
      const row: PriceRow = {
        model,
        region,
        ...(tier === 'standard' ? {} : { tier }),
        inputPer1k: input.usdPer1k,
        outputPer1k: output.usdPer1k,
        effectiveFrom: day,
        source: '',
        origin: 'price-list',
      };
      const derived: string[] = [];
      for (const kind of ['cacheRead', 'cacheWrite', 'cacheWrite1h'] as const) {
        const f = price.get(kind);
        if (f) (row as any)[FIELD[kind]] = f.usdPer1k;
      }
      if (isAnthropic(model)) {
        for (const [kind, times] of ANTHROPIC_CACHE) {
          if (price.has(kind)) continue;
          (row as any)[FIELD[kind]] = usd(input.usdPer1k * times);
          derived.push(kind);
        }
      }
      const codes = [...new Set([...price.values()].map(f => f.serviceCode))];
      row.source = `AWS Price List API (${codes.join(
        ', ',
      )}, ${region}, effective ${day})${
        derived.length
          ? `; ${derived.join(
              ', ',
            )} not in the list: Anthropic's multipliers of the list's input price`
          : ''
      }`;
      rows.push(row);
    }
  }
  return rows;
}
