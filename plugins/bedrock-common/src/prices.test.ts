import { DEFAULT_PRICES, findPrice, PriceRow, priceTokens } from './prices';

// Every dollar figure here is written by hand from the price table (USD per 1,000 tokens, see
// /work/shared/reference/bedrock-facts.md section 4), never computed by the code under test.
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const DAY = '2026-11-20';
const M = 1_000_000;

const price = (model: string, region = 'us-east-1', day = DAY) =>
  findPrice(DEFAULT_PRICES, model, region, day);

describe('the built-in price table', () => {
  it.each([
    // model, input, output (USD per 1K tokens)
    [HAIKU, 0.00025, 0.00125],
    ['anthropic.claude-3-5-haiku-20241022-v1:0', 0.0008, 0.004],
    ['anthropic.claude-3-5-sonnet-20240620-v1:0', 0.003, 0.015],
    ['anthropic.claude-3-7-sonnet-20250219-v1:0', 0.003, 0.015],
    ['anthropic.claude-sonnet-4-20250514-v1:0', 0.003, 0.015],
    // Claude 4.5 and later: in-Region and geo endpoints cost 10% more than the global profile
    ['anthropic.claude-sonnet-4-5-20250929-v1:0', 0.0033, 0.0165],
    ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', 0.003, 0.015],
    ['anthropic.claude-sonnet-4-6', 0.0033, 0.0165],
    ['global.anthropic.claude-sonnet-4-6', 0.003, 0.015],
    ['anthropic.claude-haiku-4-5-20251001-v1:0', 0.0011, 0.0055],
    ['global.anthropic.claude-haiku-4-5-20251001-v1:0', 0.001, 0.005],
    ['anthropic.claude-3-opus-20240229-v1:0', 0.015, 0.075],
    ['anthropic.claude-opus-4-20250514-v1:0', 0.015, 0.075],
    ['anthropic.claude-opus-4-1-20250805-v1:0', 0.015, 0.075],
    ['anthropic.claude-opus-4-5-20251101-v1:0', 0.0055, 0.0275],
    ['global.anthropic.claude-opus-4-5-20251101-v1:0', 0.005, 0.025],
    ['anthropic.claude-opus-4-6-v1', 0.0055, 0.0275],
    ['global.anthropic.claude-opus-4-6-v1', 0.005, 0.025],
    ['amazon.nova-micro-v1:0', 0.000035, 0.00014],
    ['amazon.nova-lite-v1:0', 0.00006, 0.00024],
    ['amazon.nova-pro-v1:0', 0.0008, 0.0032],
    ['amazon.nova-premier-v1:0', 0.0025, 0.0125],
    ['amazon.titan-embed-text-v2:0', 0.00002, 0],
    ['meta.llama3-1-8b-instruct-v1:0', 0.00022, 0.00022],
    ['meta.llama3-1-70b-instruct-v1:0', 0.00072, 0.00072],
    ['meta.llama3-1-405b-instruct-v1:0', 0.0024, 0.0024],
    ['meta.llama3-3-70b-instruct-v1:0', 0.00072, 0.00072],
    ['mistral.mistral-7b-instruct-v0:2', 0.00015, 0.0002],
    ['mistral.mixtral-8x7b-instruct-v0:1', 0.00045, 0.0007],
    ['mistral.mistral-large-2402-v1:0', 0.004, 0.012],
  ])('prices %s at %f in / %f out per 1K tokens', (model, input, output) => {
    expect(price(model)).toMatchObject({
      inputPer1k: input,
      outputPer1k: output,
    });
  });

  it('names the source and the effective date of every row', () => {
    for (const row of DEFAULT_PRICES) {
      expect(row.source).toMatch(/^(aws\.amazon\.com|platform\.claude\.com)\//);
      expect(row.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('prices Anthropic cache reads at 0.1x and cache writes at 1.25x input', () => {
    expect(price(HAIKU)!.cacheReadPer1k).toBeCloseTo(0.000025, 12);
    expect(price(HAIKU)!.cacheWritePer1k).toBeCloseTo(0.0003125, 12);
    expect(price('anthropic.claude-3-5-sonnet-20240620-v1:0')).toMatchObject({
      cacheReadPer1k: expect.closeTo(0.0003, 12),
      cacheWritePer1k: expect.closeTo(0.00375, 12),
    });
  });

  it('has no price for a model it does not know, or a prefix look-alike', () => {
    expect(price('cohere.command-r-v1:0')).toBeUndefined();
    // exact rows match exactly: a longer id is another model
    expect(price('amazon.nova-pro-v1:0:300k')).toBeUndefined();
    expect(price('xamazon.nova-pro-v1:0')).toBeUndefined();
    // `claude-sonnet-4-2*` is Sonnet 4 only, not Sonnet 4.5
    expect(price('anthropic.claude-sonnet-4-20250514-v1:0')!.model).toBe(
      'anthropic.claude-sonnet-4-2*',
    );
    expect(price('anthropic.claude-sonnet-4-5-20250929-v1:0')!.model).toBe(
      'anthropic.claude-sonnet-4-5-*',
    );
    // a prefix row matches from the start of the id only
    expect(price(`x${HAIKU}`)).toBeUndefined();
  });

  it('applies in every region and only from the day it was transcribed', () => {
    expect(price(HAIKU, 'eu-central-1')!.inputPer1k).toBe(0.00025);
    expect(price(HAIKU, 'us-east-1', '2025-07-20')!.inputPer1k).toBe(0.00025);
    expect(price(HAIKU, 'us-east-1', '2025-07-19')).toBeUndefined();
  });
});

describe('priceTokens', () => {
  const haiku = price(HAIKU)!;
  const novaPro = price('amazon.nova-pro-v1:0')!;

  it('prices each kind of token at its own rate', () => {
    // Claude 3 Haiku: $0.00025 in, $0.00125 out, $0.000025 cache read, $0.0003125 cache write
    const tokens = { inputTokens: 0, outputTokens: 0 };
    expect(priceTokens(haiku, { ...tokens, inputTokens: M })).toBeCloseTo(
      0.25,
      9,
    );
    expect(priceTokens(haiku, { ...tokens, outputTokens: M })).toBeCloseTo(
      1.25,
      9,
    );
    expect(priceTokens(haiku, { ...tokens, cacheReadTokens: M })).toBeCloseTo(
      0.025,
      9,
    );
    expect(priceTokens(haiku, { ...tokens, cacheWriteTokens: M })).toBeCloseTo(
      0.3125,
      9,
    );
    expect(
      priceTokens(haiku, {
        inputTokens: 2_000_000,
        outputTokens: 400_000,
        cacheReadTokens: 10_000_000,
        cacheWriteTokens: 800_000,
      }),
    ).toBeCloseTo(0.5 + 0.5 + 0.25 + 0.25, 9);
  });

  it('prices cache tokens at the input rate when a model has no cache prices', () => {
    // Amazon Nova Pro: $0.0008 in, $0.0032 out, no cache rows
    expect(
      priceTokens(novaPro, {
        inputTokens: M,
        outputTokens: M,
        cacheReadTokens: M,
        cacheWriteTokens: M,
      }),
    ).toBeCloseTo(0.8 + 3.2 + 0.8 + 0.8, 9);
  });

  it('counts zero for absent cache counts', () => {
    expect(
      priceTokens(haiku, { inputTokens: 4000, outputTokens: 1000 }),
    ).toBeCloseTo(0.001 + 0.00125, 12);
  });
});

describe('findPrice precedence', () => {
  const r = (
    model: string,
    region: string,
    effectiveFrom: string,
    inputPer1k: number,
  ): PriceRow => ({
    model,
    region,
    effectiveFrom,
    inputPer1k,
    outputPer1k: 0,
    source: 'test',
  });
  const pick = (rows: PriceRow[], day = DAY) =>
    findPrice(rows, 'vendor.model-v1:0', 'us-east-1', day)?.inputPer1k;

  it('prefers an exact region, then an exact model, then the newest row, then the later row', () => {
    // region beats model and date
    expect(
      pick([
        r('vendor.model-v1:0', '*', '2026-11-01', 1),
        r('vendor.*', 'us-east-1', '2020-01-01', 2),
      ]),
    ).toBe(2);
    expect(
      pick([
        r('vendor.*', 'us-east-1', '2020-01-01', 2),
        r('vendor.model-v1:0', '*', '2026-11-01', 1),
      ]),
    ).toBe(2);
    // model beats date
    expect(
      pick([
        r('vendor.model-v1:0', '*', '2020-01-01', 3),
        r('vendor.*', '*', '2026-11-01', 4),
      ]),
    ).toBe(3);
    expect(
      pick([
        r('vendor.*', '*', '2026-11-01', 4),
        r('vendor.model-v1:0', '*', '2020-01-01', 3),
      ]),
    ).toBe(3);
    // the newest row in effect wins, wherever it is in the list
    expect(
      pick([
        r('vendor.model-v1:0', '*', '2026-11-01', 6),
        r('vendor.model-v1:0', '*', '2026-01-01', 5),
      ]),
    ).toBe(6);
    // ties: the later row (a config override after the defaults) wins
    expect(
      pick([
        r('vendor.model-v1:0', '*', '2026-01-01', 7),
        r('vendor.model-v1:0', '*', '2026-01-01', 8),
      ]),
    ).toBe(8);
  });

  it('ignores rows of other regions and rows not yet in effect', () => {
    expect(pick([r('vendor.model-v1:0', 'eu-west-1', '2020-01-01', 1)])).toBe(
      undefined,
    );
    const rows = [
      r('vendor.model-v1:0', '*', '2026-01-01', 1),
      r('vendor.model-v1:0', '*', '2026-11-21', 2),
    ];
    expect(pick(rows, '2026-11-20')).toBe(1);
    expect(pick(rows, '2026-11-21')).toBe(2);
    expect(pick(rows, '2025-12-31')).toBeUndefined();
  });
});

describe('findPrice by service tier', () => {
  const rows: PriceRow[] = [
    {
      model: 'vendor.*',
      region: '*',
      effectiveFrom: '2026-01-01',
      inputPer1k: 0.001,
      outputPer1k: 0.004,
      source: 'standard',
    },
    {
      model: 'vendor.model-v1:0',
      region: '*',
      tier: 'flex',
      effectiveFrom: '2026-01-01',
      inputPer1k: 0.0005,
      outputPer1k: 0.002,
      source: 'flex',
    },
    {
      model: 'vendor.model-v1:0',
      region: '*',
      tier: 'priority',
      effectiveFrom: '2026-01-01',
      inputPer1k: 0.00175,
      outputPer1k: 0.007,
      source: 'priority',
    },
  ];
  const find = (id: string) =>
    findPrice(rows, id, 'us-east-1', DAY)?.source ?? 'unpriced';

  it('prices each tier only by rows of that tier, and Standard by rows without one', () => {
    expect(find('vendor.model-v1:0')).toBe('standard');
    expect(find('vendor.model-v1:0+flex')).toBe('flex');
    expect(find('vendor.model-v1:0+priority')).toBe('priority');
    // 1M Flex input and 1M output: USD 0.50 + 2.00, half the Standard USD 1.00 + 4.00
    const flex = findPrice(rows, 'vendor.model-v1:0+flex', 'us-east-1', DAY)!;
    expect(priceTokens(flex, { inputTokens: M, outputTokens: M })).toBeCloseTo(
      2.5,
      9,
    );
  });

  it('leaves a tier without a row unpriced: a prefix row of Standard never prices Flex, and an unknown tier is never Standard', () => {
    expect(find('vendor.other-v1:0')).toBe('standard');
    expect(find('vendor.other-v1:0+flex')).toBe('unpriced');
    expect(find('vendor.model-v1:0+reserved')).toBe('unpriced');
    expect(find('vendor.model-v1:0+turbo')).toBe('unpriced');
    // the built-in table has no tier rows: Priority traffic of a known model is unpriced
    expect(price(`${HAIKU}+priority`)).toBeUndefined();
    expect(price(HAIKU)).toBeDefined();
  });
});

describe('batch inference prices', () => {
  it('prices Claude and Nova batch jobs at half the on-demand rate, and leaves other models unpriced', () => {
    // Claude 3 Haiku on demand USD 0.00025 / 0.00125 per 1K: batch 0.000125 / 0.000625
    const haiku = price(`${HAIKU}+batch`)!;
    expect([haiku.inputPer1k, haiku.outputPer1k]).toEqual([0.000125, 0.000625]);
    // 1M input + 1M output tokens of Nova Pro in a batch job: 0.40 + 1.60
    const nova = price('amazon.nova-pro-v1:0+batch')!;
    expect(priceTokens(nova, { inputTokens: M, outputTokens: M })).toBeCloseTo(
      2.0,
      9,
    );
    // the global profile's batch row halves the global price (Sonnet 4.5: 0.003 / 0.015)
    const global = price(
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0+batch',
    )!;
    expect([global.inputPer1k, global.outputPer1k]).toEqual([0.0015, 0.0075]);
    expect(global.source).toMatch(/batch inference at 50%/);
    expect(price('meta.llama3-3-70b-instruct-v1:0+batch')).toBeUndefined();
  });
});
