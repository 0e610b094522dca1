import { marketplaceProduct, nativeProduct } from '../__testUtils__/priceList';
import {
  classifyMarketplaceUsageType,
  classifyNativeProduct,
  parseProduct,
  PriceListFact,
} from './parseProduct';

const DAY = '2025-10-15T00:00:00Z';
const facts = (raw: string, code = 'AmazonBedrock'): PriceListFact[] => {
  const parsed = parseProduct(raw, code);
  if (!('facts' in parsed)) throw new Error(`skipped: ${parsed.skipped}`);
  return parsed.facts;
};
const nova = (extra: Record<string, string>) => ({
  regionCode: 'us-east-1',
  model: 'Nova Pro',
  provider: 'Amazon',
  feature: 'On-demand Inference',
  ...extra,
});

describe('parseProduct', () => {
  it('reads a natively sold model per 1K tokens, dated by its term', () => {
    expect(
      facts(
        nativeProduct(
          nova({
            usagetype: 'USE1-NovaPro-input-tokens',
            inferenceType: 'Input tokens',
          }),
          {
            effectiveDate: '2024-12-03T00:00:00Z',
            unit: '1K tokens',
            usd: '0.0008000000',
          },
        ),
      ),
    ).toEqual([
      expect.objectContaining({
        model: 'amazon.nova-pro-v1:0',
        region: 'us-east-1',
        tier: 'standard',
        kind: 'input',
        usdPer1k: 0.0008,
        effectiveFrom: '2024-12-03',
        serviceCode: 'AmazonBedrock',
        usageType: 'USE1-NovaPro-input-tokens',
      }),
    ]);
  });

  it('tells output, cache read, flex, priority, batch and global prices of a natively sold model apart', () => {
    const one = (extra: Record<string, string>) =>
      facts(
        nativeProduct(nova(extra), {
          effectiveDate: DAY,
          unit: '1K tokens',
          usd: '0.0016',
        }),
      )[0];
    expect(
      one({
        usagetype: 'USE1-NovaPro-output-tokens',
        inferenceType: 'Output tokens',
      }),
    ).toMatchObject({
      kind: 'output',
      tier: 'standard',
      model: 'amazon.nova-pro-v1:0',
    });
    expect(
      one({
        usagetype: 'USE1-NovaPro-cache-read-input-token-count',
        inferenceType: 'Cache read input tokens',
      }),
    ).toMatchObject({ kind: 'cacheRead', tier: 'standard' });
    expect(
      one({
        usagetype: 'USE1-NovaPro-output-tokens-flex',
        inferenceType: 'Output tokens flex',
        service_tier: 'Flex',
      }),
    ).toMatchObject({ kind: 'output', tier: 'flex' });
    expect(
      one({
        usagetype: 'USE1-NovaPro-input-tokens-priority',
        inferenceType: 'Input tokens priority',
      }),
    ).toMatchObject({ kind: 'input', tier: 'priority' });
    expect(
      one({
        usagetype: 'USE1-NovaPro-input-tokens-batch',
        inferenceType: 'Input tokens',
        feature: 'Batch Inference',
      }),
    ).toMatchObject({ kind: 'input', tier: 'batch' });
    expect(
      one({
        usagetype: 'USE1-NovaPro-input-tokens-cross-region-global',
        inferenceType: 'Input tokens',
      }),
    ).toMatchObject({ kind: 'input', model: 'global.amazon.nova-pro-v1:0' });
  });

  it('reads a Marketplace-sold Claude per 1M tokens as per 1K, in both usage-type namings', () => {
    const at = (
      usagetype: string,
      usd: string,
      unit = '1M tokens',
      description = '',
    ) =>
      facts(
        marketplaceProduct('Claude Haiku 4.5', usagetype, 'us-east-1', {
          effectiveDate: DAY,
          unit,
          usd,
          description,
        }),
        'AmazonBedrockFoundationModels',
      )[0];
    expect(
      at('USE1-MP:USE1_InputTokenCount-Units', '1.1000000000'),
    ).toMatchObject({
      model: 'anthropic.claude-haiku-4-5-*',
      kind: 'input',
      tier: 'standard',
      usdPer1k: 0.0011,
      effectiveFrom: '2025-10-15',
      serviceCode: 'AmazonBedrockFoundationModels',
    });
    expect(
      at('USE1-MP:USE1_OutputTokenCount_Global-Units', '5.0000000000'),
    ).toMatchObject({
      model: 'global.anthropic.claude-haiku-4-5-*',
      kind: 'output',
      usdPer1k: 0.005,
    });
    expect(
      at('USE1-MP:USE1_CacheWrite1hInputTokenCount-Units', '2.2'),
    ).toMatchObject({
      kind: 'cacheWrite1h',
      usdPer1k: 0.0022,
    });
    expect(
      at('USE1-MP:USE1_output_tokens_global_standard-Units', '5'),
    ).toMatchObject({
      model: 'global.anthropic.claude-haiku-4-5-*',
      kind: 'output',
      tier: 'standard',
      usdPer1k: 0.005,
    });
    // "Units" with the scale in the description
    expect(
      at(
        'USE1-MP:USE1_input_tokens_standard-Units',
        '1.1',
        'Units',
        '$1.10 per 1M input tokens',
      ),
    ).toMatchObject({ kind: 'input', usdPer1k: 0.0011 });
    // a price per 1K tokens stays as it is
    expect(
      at('USE1-MP:USE1_InputTokenCount-Units', '0.0011', '1K tokens'),
    ).toMatchObject({
      usdPer1k: 0.0011,
    });
  });

  it('classifies every Marketplace token usage type, and nothing else', () => {
    expect(
      classifyMarketplaceUsageType(
        'USE1-MP:USE1_CacheReadInputTokenCount_Global-Units',
      ),
    ).toEqual({
      kind: 'cacheRead',
      global: true,
      tier: 'standard',
    });
    expect(
      classifyMarketplaceUsageType(
        'USE1-MP:USE1_InputTokenCount_Global_Batch-Units',
      ),
    ).toEqual({
      kind: 'input',
      global: true,
      tier: 'batch',
    });
    expect(
      classifyMarketplaceUsageType(
        'USW2-MP:USW2_cache_write_tokens_1h_global_standard-Units',
      ),
    ).toEqual({
      kind: 'cacheWrite1h',
      global: true,
      tier: 'standard',
    });
    expect(
      classifyMarketplaceUsageType('USW2-MP:USW2_input_tokens_flex-Units'),
    ).toEqual({
      kind: 'input',
      global: false,
      tier: 'flex',
    });
    for (const other of [
      'USE1-MP:USE1_ProvisionedThroughput_1MonthCommit_ModelUnits_Usage-Units',
      'USE1-MP:USE1_ProvisionedInputTokenCount-Units',
      'USE1-MP:USE1_InputTokenCount_Global_LongContext-Units',
      'USW2-MP:USW2_long_ctx_input_tokens_standard-Units',
      'USW2-MP:USW2_input_tokens_standard_long_ctx-Units',
      // only a cache write is priced per TTL
      'USW2-MP:USW2_input_tokens_1h_standard-Units',
      // only a leading region prefix and a trailing -Units are decoration
      'USE1-MP:InputTokenCount_EU_Batch-Units',
      'USE1-MP:USE1_InputTokenCount-Units_Global',
      'USE1-MP:USE1_created_image-Units',
      'USW2-MP:USW2_input_tokens_long_ctx_standard-Units',
      'USW2-MP:USW2_cache_write_tokens_30m_standard-Units',
      'USE1-MP:USE1_search_units-Units',
    ])
      expect(classifyMarketplaceUsageType(other)).toBeUndefined();
  });

  it.each([
    [
      'USE1-MP:USE1_CacheWriteInputTokenCount-Units',
      'cacheWrite',
      false,
      'standard',
    ],
    ['USE1-MP:USE1_InputTokenCount_Global-Units', 'input', true, 'standard'],
    ['USE1-MP:USE1_InputTokenCount_Flex-Units', 'input', false, 'flex'],
    [
      'USE1-MP:USE1_OutputTokenCount_Priority-Units',
      'output',
      false,
      'priority',
    ],
    [
      'USW2-MP:USW2_cache_read_tokens_standard-Units',
      'cacheRead',
      false,
      'standard',
    ],
    [
      'USW2-MP:USW2_cache_write_tokens_standard-Units',
      'cacheWrite',
      false,
      'standard',
    ],
    [
      'USW2-MP:USW2_output_tokens_global_priority-Units',
      'output',
      true,
      'priority',
    ],
  ])(
    'classifies the Marketplace usage type %s',
    (usageType, kind, global, tier) => {
      expect(classifyMarketplaceUsageType(usageType)).toEqual({
        kind,
        global,
        tier,
      });
    },
  );

  it('keeps every term of a product: a price change is a term with a later date', () => {
    const list = facts(
      nativeProduct(
        nova({
          model: 'Nova Micro',
          usagetype: 'USE1-NovaMicro-input-tokens',
          inferenceType: 'Input tokens',
        }),
        {
          effectiveDate: '2024-12-03T00:00:00Z',
          unit: '1K tokens',
          usd: '0.000035',
        },
        {
          effectiveDate: '2026-12-15T00:00:00Z',
          unit: '1K tokens',
          usd: '0.000030',
        },
      ),
    );
    expect(list.map(f => [f.effectiveFrom, f.usdPer1k])).toEqual([
      ['2024-12-03', 0.000035],
      ['2026-12-15', 0.00003],
    ]);
  });

  it('leaves out what is not an on-demand token price, and counts unmapped models by name', () => {
    const t = { effectiveDate: DAY, unit: '1K tokens', usd: '0.001' };
    expect(
      parseProduct(
        nativeProduct(
          nova({
            model: 'Pixtral Large',
            usagetype: 'USE1-PixtralLarge-input-tokens',
            inferenceType: 'Input tokens',
          }),
          t,
        ),
        'AmazonBedrock',
      ),
    ).toEqual({ skipped: 'unmapped', name: 'Pixtral Large' });
    expect(
      parseProduct(
        nativeProduct(
          nova({
            usagetype: 'USE1-NovaMicro-Model-Customization-input-tokens',
            inferenceType: 'Input tokens',
            feature: 'Model Customization',
          }),
          t,
        ),
        'AmazonBedrock',
      ),
    ).toEqual({ skipped: 'not-a-token-price' });
    expect(
      parseProduct(
        nativeProduct(
          nova({
            usagetype: 'USE1-NovaCanvas-T2I-1024-Standard',
            inferenceType: 'Image generation',
          }),
          { effectiveDate: DAY, unit: 'Images', usd: '0.04' },
        ),
        'AmazonBedrock',
      ),
    ).toEqual({ skipped: 'not-a-token-price' });
    // a token usage type priced in a unit that is not tokens
    expect(
      parseProduct(
        nativeProduct(
          nova({
            usagetype: 'USE1-NovaPro-input-tokens',
            inferenceType: 'Input tokens',
          }),
          {
            effectiveDate: DAY,
            unit: 'Hrs',
            usd: '20',
          },
        ),
        'AmazonBedrock',
      ),
    ).toEqual({ skipped: 'not-a-token-price' });
    expect(parseProduct('{not json', 'AmazonBedrock')).toEqual({
      skipped: 'malformed',
    });
    expect(parseProduct('{"terms":{}}', 'AmazonBedrock')).toEqual({
      skipped: 'malformed',
    });
  });
});

describe('classifyNativeProduct', () => {
  const input = {
    usagetype: 'USE1-NovaPro-input-tokens',
    inferenceType: 'Input tokens',
    feature: 'On-demand Inference',
  };

  it.each<[string, Record<string, string>, string]>([
    // a declared tier is taken as it is, in either spelling, whatever the names say
    ['service_tier', { service_tier: 'Priority' }, 'priority'],
    ['serviceTier', { serviceTier: ' flex ' }, 'flex'],
    [
      'a declared standard tier',
      { service_tier: 'Standard', inferenceType: 'Input tokens flex' },
      'standard',
    ],
    // else the inference type or the usage type names it
    ['flex inference', { inferenceType: 'Input tokens flex' }, 'flex'],
    [
      'flex usage type',
      { usagetype: 'USE1-NovaPro-input-tokens-flex' },
      'flex',
    ],
    [
      'priority inference',
      { inferenceType: 'Input tokens priority' },
      'priority',
    ],
    [
      'priority usage type',
      { usagetype: 'USE1-NovaPro-input-tokens-priority' },
      'priority',
    ],
    // batch is batch however it is said, even over a declared tier
    ['batch feature', { feature: 'Batch Inference' }, 'batch'],
    ['batch inference', { inferenceType: 'Batch input tokens' }, 'batch'],
    [
      'batch usage type',
      { usagetype: 'USE1-NovaPro-input-tokens-batch', service_tier: 'Flex' },
      'batch',
    ],
  ])('reads the tier from the %s', (_, extra, tier) => {
    expect(classifyNativeProduct({ ...input, ...extra })).toEqual({
      kind: 'input',
      global: false,
      tier,
    });
  });

  it.each([
    ['Cache write input tokens', 'cacheWrite'],
    ['1-hour cache write input tokens', 'cacheWrite1h'],
    ['Input token', 'input'],
    ['Output token', 'output'],
  ])('reads the inference type %j as a %s price', (inferenceType, kind) => {
    expect(classifyNativeProduct({ ...input, inferenceType })).toEqual({
      kind,
      global: false,
      tier: 'standard',
    });
  });

  it.each(['Rerank queries', 'Speech input tokens', 'Image input tokens'])(
    'reads the inference type %j as no token price',
    inferenceType => {
      expect(
        classifyNativeProduct({ ...input, inferenceType }),
      ).toBeUndefined();
    },
  );
});

describe('parseProduct on the shape of the document', () => {
  const novaInput = {
    regionCode: 'us-east-1',
    model: 'Nova Pro',
    usagetype: 'USE1-NovaPro-input-tokens',
    inferenceType: 'Input tokens',
    feature: 'On-demand Inference',
  };
  const dimension = (usd: string, extra: Record<string, unknown> = {}) => ({
    unit: '1K tokens',
    beginRange: '0',
    pricePerUnit: { USD: usd },
    ...extra,
  });
  const term = (
    effectiveDate: string | undefined,
    ...dimensions: object[]
  ) => ({
    effectiveDate,
    priceDimensions: Object.fromEntries(
      dimensions.map((d, i) => [`SKU1.TERM.RATE${i}`, d]),
    ),
  });
  const document = (
    o: {
      onDemand?: unknown;
      attributes?: Record<string, unknown>;
      serviceCode?: string;
      sku?: string;
    } = {},
  ) =>
    JSON.stringify({
      ...('serviceCode' in o ? { serviceCode: o.serviceCode } : {}),
      product: {
        ...('sku' in o ? { sku: o.sku } : {}),
        attributes: o.attributes ?? novaInput,
      },
      terms: {
        OnDemand:
          'onDemand' in o
            ? o.onDemand
            : {
                'SKU1.TERM': term(DAY, dimension('0.0008')),
              },
      },
    });
  const prices = (raw: string) =>
    facts(raw).map(f => [f.effectiveFrom, f.usdPer1k]);

  it('reads the terms of a bulk offer file, nested by sku', () => {
    expect(
      prices(
        document({
          onDemand: { SKU1: { 'SKU1.TERM': term(DAY, dimension('0.0008')) } },
        }),
      ),
    ).toEqual([['2025-10-15', 0.0008]]);
  });

  it('skips what is not a term, and a term without a day', () => {
    expect(
      prices(
        document({
          onDemand: {
            'SKU1.NULL': null,
            'SKU1.TEXT': 'n/a',
            'SKU1.BAD': { effectiveDate: 20251015, priceDimensions: {} },
            'SKU1.UNDATED': term(undefined, dimension('0.0001')),
            'SKU1.SOON': term('soon', dimension('0.0002')),
            'SKU1.TERM': term(DAY, dimension('0.0008')),
          },
        }),
      ),
    ).toEqual([['2025-10-15', 0.0008]]);
    expect(
      parseProduct(document({ onDemand: 'none' }), 'AmazonBedrock'),
    ).toEqual({ skipped: 'malformed' });
  });

  it('reads the first step of a tiered rate, and a rate without steps', () => {
    expect(
      prices(
        document({
          onDemand: {
            'SKU1.TERM': term(
              DAY,
              dimension('0.0008'),
              dimension('0.0006', { beginRange: '1000000' }),
              dimension('0.0007', { beginRange: undefined }),
              { unit: '1K tokens', pricePerUnit: { EUR: '0.0009' } },
            ),
          },
        }),
      ),
    ).toEqual([
      ['2025-10-15', 0.0008],
      ['2025-10-15', 0.0007],
    ]);
  });

  it('takes the service code and sku from the document', () => {
    expect(
      parseProduct(
        document({ serviceCode: 'AmazonBedrock', sku: 'SKU1' }),
        'AmazonBedrockFoundationModels',
      ),
    ).toEqual({
      facts: [
        expect.objectContaining({ serviceCode: 'AmazonBedrock', sku: 'SKU1' }),
      ],
    });
    expect(parseProduct(document(), 'AmazonBedrockFoundationModels')).toEqual({
      facts: [
        expect.objectContaining({
          serviceCode: 'AmazonBedrockFoundationModels',
          sku: '',
        }),
      ],
    });
  });

  it('reads a native product without a usage type', () => {
    const { usagetype: _, ...attributes } = novaInput;
    expect(facts(document({ attributes }))).toEqual([
      expect.objectContaining({
        model: 'amazon.nova-pro-v1:0',
        kind: 'input',
        tier: 'standard',
        usdPer1k: 0.0008,
        usageType: '',
      }),
    ]);
  });

  it('counts a product without a model name or region, or with one that is not text, as malformed', () => {
    const { model: _, ...noName } = novaInput;
    const { regionCode: __, ...noRegion } = novaInput;
    for (const attributes of [
      noName,
      noRegion,
      { ...novaInput, regionCode: 1 },
    ])
      expect(parseProduct(document({ attributes }), 'AmazonBedrock')).toEqual({
        skipped: 'malformed',
      });
  });
});
