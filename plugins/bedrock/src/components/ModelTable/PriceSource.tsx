import type {
  PriceOrigin,
  PriceUsed,
} from '@bedrock-tenancy/plugin-bedrock-common';

const ORIGIN: Record<PriceOrigin, string> = {
  'built-in': 'built-in table',
  'price-list': 'AWS price list',
  config: 'operator (bedrock.prices)',
};

/** "AWS price list, from 2026-01-01 (us-east-1)": where a price came from and of which day. */
export function priceLabel(p: PriceUsed): string {
  const region = p.region === '*' ? '' : ` (${p.region})`;
  return `${ORIGIN[p.origin] ?? p.origin}, from ${p.effectiveFrom}${region}`;
}

/**
 * The prices that priced a model in the range, one line each, the full source on hover. Absent
 * from older backends, empty for an unpriced model: a dash.
 */
export const PriceSource = ({ prices }: { prices?: PriceUsed[] }) =>
  prices?.length ? (
    <span data-testid="price-source">
      {prices.map(p => (
        <span
          key={`${p.origin}|${p.effectiveFrom}|${p.region}|${p.source}`}
          title={p.source}
          style={{ display: 'block' }}
        >
          {priceLabel(p)}
        </span>
      ))}
    </span>
  ) : (
    <>–</>
  );
