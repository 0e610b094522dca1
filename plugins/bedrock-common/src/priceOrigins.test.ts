import { findPrice, PriceOrigin, PriceRow, priceOrigin } from './prices';

const MODEL = 'vendor.model-v1:0';
const r = (
  origin: PriceOrigin | undefined,
  inputPer1k: number,
  patch: Partial<PriceRow> = {},
): PriceRow => ({
  model: MODEL,
  region: '*',
  inputPer1k,
  outputPer1k: 0,
  effectiveFrom: '2026-01-01',
  source: 'test',
  ...(origin ? { origin } : {}),
  ...patch,
});
const pick = (rows: PriceRow[], day = '2026-11-20') =>
  findPrice(rows, MODEL, 'us-east-1', day)?.inputPer1k;

describe('findPrice across origins', () => {
  it('ranks the operator over the price list over the built-in table, before region, pattern or date', () => {
    const builtIn = r(undefined, 1, { region: 'us-east-1' });
    const list = r('price-list', 2, {
      region: 'us-east-1',
      effectiveFrom: '2026-11-01',
    });
    // a wildcard, every region, older than the list's row: it still wins
    const operator = r('config', 3, {
      model: 'vendor.*',
      effectiveFrom: '2025-01-01',
    });
    expect(pick([operator, list, builtIn])).toBe(3);
    expect(pick([builtIn, list])).toBe(2);
    // a less specific, older list row beats an exact built-in row too
    expect(
      pick([
        r('price-list', 2, { model: 'vendor.*', effectiveFrom: '2025-01-01' }),
        builtIn,
      ]),
    ).toBe(2);
    expect(pick([builtIn])).toBe(1);
  });

  it('applies each row from its day only: before it, the next layer down prices', () => {
    const rows = [
      r(undefined, 1, { effectiveFrom: '2025-07-20' }),
      r('price-list', 2, { effectiveFrom: '2026-06-01' }),
      r('config', 3, { effectiveFrom: '2026-11-15' }),
    ];
    expect(pick(rows, '2026-05-31')).toBe(1);
    expect(pick(rows, '2026-06-01')).toBe(2);
    expect(pick(rows, '2026-11-14')).toBe(2);
    expect(pick(rows, '2026-11-15')).toBe(3);
    expect(pick(rows, '2025-07-19')).toBeUndefined();
  });

  it('reads a row without an origin as the built-in table', () => {
    expect(priceOrigin(r(undefined, 1))).toBe('built-in');
    expect(priceOrigin(r('config', 1))).toBe('config');
  });
});
