import { shiftDecimal, tokensPerUnit, usdPer1k } from './units';

describe('Price List units', () => {
  it('reads per 1K, per 1M and per token prices as USD per 1,000 tokens, exactly', () => {
    expect(usdPer1k('0.0008000000', '1K tokens')).toBe(0.0008);
    expect(usdPer1k('3.0000000000', '1M tokens')).toBe(0.003);
    expect(usdPer1k('1.1000000000', '1M tokens')).toBe(0.0011);
    // where the arithmetic would leave noise, the moved decimal point does not
    expect(usdPer1k('0.07', '1M tokens')).toBe(0.00007);
    expect(0.07 / 1000).not.toBe(0.00007);
    expect(usdPer1k('0.000015', 'Tokens')).toBe(0.015);
    expect(0.000015 * 1000).not.toBe(0.015);
    expect(usdPer1k('0.000000035', 'token')).toBe(0.000035);
    expect(usdPer1k('4.1250000000', '1M tokens')).toBe(0.004125);
    expect(usdPer1k('0.0000035', 'Tokens')).toBe(0.0035);
    expect(usdPer1k('0.00000025', 'token')).toBe(0.00025);
    expect(usdPer1k('0.0000350000', '1K tokens')).toBe(0.000035);
  });

  it('takes the scale of a "Units" price from its description, and nothing else', () => {
    expect(
      usdPer1k('3.3000000000', 'Units', '$3.30 per 1M input tokens for Claude'),
    ).toBe(0.0033);
    expect(usdPer1k('0.25', 'Units', 'Per 1K output tokens')).toBe(0.25);
    expect(usdPer1k('0.04', 'Units', 'per image generated')).toBeUndefined();
    expect(usdPer1k('158.4', 'Hrs', 'per model unit per hour')).toBeUndefined();
    expect(usdPer1k('0.04', 'Images')).toBeUndefined();
    expect(tokensPerUnit('1M Tokens')).toBe(1_000_000);
  });

  it('refuses what is not a non-negative decimal', () => {
    expect(usdPer1k('N/A', '1K tokens')).toBeUndefined();
    expect(usdPer1k('-1', '1K tokens')).toBeUndefined();
    expect(usdPer1k('', '1K tokens')).toBeUndefined();
  });

  it('moves the decimal point in the string', () => {
    expect(shiftDecimal('3.0000000000', -3)).toBe('0.003');
    expect(shiftDecimal('15', -3)).toBe('0.015');
    expect(shiftDecimal('1234.5', -3)).toBe('1.2345');
    expect(shiftDecimal('0.0000035', 3)).toBe('0.0035');
    expect(shiftDecimal('2', 3)).toBe('2000');
    expect(shiftDecimal('.5', 0)).toBe('0.5');
  });
});
