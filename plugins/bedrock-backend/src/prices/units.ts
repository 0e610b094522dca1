/*
 * Price List units to USD per 1,000 tokens, exactly. AWS writes prices as decimal strings
 * ("3.0000000000" per "1M tokens", "0.0008000000" per "1K tokens"); dividing the number by 1000
 * in binary floating point gives 0.0030000000000000001-style noise, so the decimal point is moved
 * in the string and the result read once.
 */

/** How many tokens one unit of a price dimension is, or undefined when the unit is not tokens. */
export function tokensPerUnit(
  unit: string,
  description = '',
): number | undefined {
  const u = unit.trim().toLowerCase();
  if (/^1k tokens?$/.test(u) || /^thousand tokens?$/.test(u)) return 1_000;
  if (/^1m tokens?$/.test(u) || /^million tokens?$/.test(u)) return 1_000_000;
  if (/^tokens?$/.test(u)) return 1;
  // AWS Marketplace-sold models (AmazonBedrockFoundationModels) sometimes say "Units" and
  // name the real unit in the description ("$3.00 per 1M input tokens")
  if (/^units?$/.test(u) || u === 'count') {
    const d = description.toLowerCase();
    if (!/tokens?/.test(d)) return undefined;
    if (/per (1m|1,000,000|million)\b/.test(d)) return 1_000_000;
    if (/per (1k|1,000|thousand)\b/.test(d)) return 1_000;
  }
  return undefined;
}

/** A non-negative decimal string times 10^places, as a decimal string (no float arithmetic). */
export function shiftDecimal(value: string, places: number): string {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!m || (!m[1] && !m[2])) throw new Error(`not a price: ${value}`);
  let int = m[1] ?? '';
  let frac = m[2] ?? '';
  if (places > 0) {
    frac = frac.padEnd(places, '0');
    int += frac.slice(0, places);
    frac = frac.slice(places);
  } else if (places < 0) {
    int = int.padStart(-places + 1, '0');
    frac = int.slice(places) + frac;
    int = int.slice(0, places);
  }
  int = int.replace(/^0+(?=\d)/, '') || '0';
  frac = frac.replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}

/**
 * USD per 1,000 tokens of a price dimension, read exactly from its decimal string; undefined
 * when the unit is not a number of tokens (images, hours, requests) or the price is malformed.
 */
export function usdPer1k(
  pricePerUnit: string,
  unit: string,
  description?: string,
): number | undefined {
  const tokens = tokensPerUnit(unit, description);
  if (tokens === undefined) return undefined;
  let shifted: string;
  try {
    // per token: x1000; per 1K: as is; per 1M: /1000
    shifted = shiftDecimal(pricePerUnit, { 1: 3, 1000: 0 }[tokens] ?? -3);
  } catch {
    return undefined;
  }
  const v = Number(shifted);
  return Number.isFinite(v) && v >= 0 ? v : undefined;
}
