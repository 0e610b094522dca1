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

  it.each([
    ['1K tokens', 1_000],
    ['1K token', 1_000],
    ['Thousand tokens', 1_000],
    ['thousand token', 1_000],
    ['1M tokens', 1_000_000],
    ['1M token', 1_000_000],
    ['Million tokens', 1_000_000],
    ['million token', 1_000_000],
    ['Tokens', 1],
    ['token', 1],
    [' 1K tokens ', 1_000],
  ])('counts %j as %d tokens', (unit, tokens) => {
    expect(tokensPerUnit(unit)).toBe(tokens);
  });

  it.each([
    'per 1K tokens',
    '1K tokens per minute',
    'per thousand tokens',
    'thousand tokens per minute',
    'per 1M tokens',
    '1M tokens per minute',
    'per million tokens',
    'million tokens per minute',
    'Image tokens',
    'tokens per minute',
  ])('does not take the unit %j for a number of tokens', unit => {
    expect(tokensPerUnit(unit)).toBeUndefined();
  });

  it.each([
    ['Units', '$3.00 per 1M input tokens', 1_000_000],
    ['Unit', '$3.00 per 1M input tokens', 1_000_000],
    ['Count', '$3.00 per 1M input tokens', 1_000_000],
    ['Units', '$0.25 per thousand output tokens', 1_000],
    ['Units', '$0.25 per 1K input token', 1_000],
    // a unit that names something else is not rescued by its description
    ['Hrs', '$3.00 per 1M input tokens', undefined],
    ['Model units', '$3.00 per 1M input tokens', undefined],
    ['Units per hour', '$3.00 per 1M input tokens', undefined],
    // the description must be about tokens, and must say how many
    ['Units', '$0.04 per 1M images', undefined],
    ['Units', '$0.01 per request of up to 1,000 tokens', undefined],
  ])(
    'counts a %j price described as %j as %p tokens',
    (unit, description, tokens) => {
      expect(tokensPerUnit(unit, description)).toBe(tokens);
    },
  );

  it('refuses what is not a non-negative decimal', () => {
    expect(usdPer1k('N/A', '1K tokens')).toBeUndefined();
    expect(usdPer1k('-1', '1K tokens')).toBeUndefined();
    expect(usdPer1k('', '1K tokens')).toBeUndefined();
    expect(usdPer1k('3.0 USD', '1K tokens')).toBeUndefined();
    // too large to be a number: not read as Infinity
    expect(usdPer1k('9'.repeat(400), '1K tokens')).toBeUndefined();
    expect(() => shiftDecimal('1.5 USD', 0)).toThrow('not a price: 1.5 USD');
  });

  it('reads a free price as zero', () => {
    expect(usdPer1k('0.0000000000', '1K tokens')).toBe(0);
    expect(usdPer1k('0', '1M tokens')).toBe(0);
  });

  it('moves the decimal point in the string', () => {
    expect(shiftDecimal('3.0000000000', -3)).toBe('0.003');
    expect(shiftDecimal('15', -3)).toBe('0.015');
    expect(shiftDecimal('1234.5', -3)).toBe('1.2345');
    expect(shiftDecimal('0.0000035', 3)).toBe('0.0035');
    expect(shiftDecimal('2', 3)).toBe('2000');
    expect(shiftDecimal('.5', 0)).toBe('0.5');
    expect(shiftDecimal('0.5', 3)).toBe('500');
    expect(shiftDecimal('007', 0)).toBe('7');
    expect(shiftDecimal(' 1.5 ', 0)).toBe('1.5');
  });
});
