import { marketplaceProduct, nativeProduct } from '../__testUtils__/priceList';
import {
  classifyMarketplaceUsageType,
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
      'USE1-MP:USE1_created_image-Units',
      'USW2-MP:USW2_input_tokens_long_ctx_standard-Units',
      'USW2-MP:USW2_cache_write_tokens_30m_standard-Units',
      'USE1-MP:USE1_search_units-Units',
    ])
      expect(classifyMarketplaceUsageType(other)).toBeUndefined();
  });

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
