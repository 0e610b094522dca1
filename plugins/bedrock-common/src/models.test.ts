import { modelDisplayName, normalizeModelId, splitServiceTier } from './models';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

describe('normalizeModelId', () => {
  it.each([
    [HAIKU, HAIKU],
    [`  ${HAIKU}\n`, HAIKU],
    [`arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`, HAIKU],
    [`arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/${HAIKU}`, HAIKU],
    ['us.amazon.nova-pro-v1:0', 'amazon.nova-pro-v1:0'],
    ['eu.amazon.nova-pro-v1:0', 'amazon.nova-pro-v1:0'],
    ['apac.amazon.nova-pro-v1:0', 'amazon.nova-pro-v1:0'],
    ['us-gov.amazon.nova-pro-v1:0', 'amazon.nova-pro-v1:0'],
    ['jp.amazon.nova-pro-v1:0', 'amazon.nova-pro-v1:0'],
    // the global profile is priced apart from in-Region and geo traffic: kept
    [
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    ],
    [
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0',
      'amazon.nova-pro-v1:0',
    ],
    // not a geography: left alone
    ['amazon.nova-pro-v1:0', 'amazon.nova-pro-v1:0'],
    ['usx.amazon.nova-pro-v1:0', 'usx.amazon.nova-pro-v1:0'],
    // a vendor whose name ends in a geography is not a profile
    ['campus.amazon.nova-pro-v1:0', 'campus.amazon.nova-pro-v1:0'],
    // an id with a line break inside is garbage, not a profile or an ARN to unwrap
    ['us.amazon.nova-pro-v1:0\nx', 'us.amazon.nova-pro-v1:0\nx'],
    [
      `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}\nx`,
      `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}\nx`,
    ],
    // a geography prefix needs a vendor.model after it
    ['us.nova-pro', 'us.nova-pro'],
    // an ARN of another service is not unwrapped
    [
      'arn:aws:s3:us-east-1:123456789012:bucket/amazon.nova-pro-v1:0',
      'arn:aws:s3:us-east-1:123456789012:bucket/amazon.nova-pro-v1:0',
    ],
    [
      `xarn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`,
      `xarn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`,
    ],
  ])('%s -> %s', (raw, want) => {
    expect(normalizeModelId(raw)).toBe(want);
  });

  it('resolves application inference profiles, by id or ARN, to their base model', () => {
    const profiles = {
      abc123: `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`,
      xyz789: 'us.amazon.nova-pro-v1:0',
    };
    expect(normalizeModelId('abc123', profiles)).toBe(HAIKU);
    expect(
      normalizeModelId(
        'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/xyz789',
        profiles,
      ),
    ).toBe('amazon.nova-pro-v1:0');
    expect(normalizeModelId('unknown1', profiles)).toBe('unknown1');
    expect(normalizeModelId('abc123')).toBe('abc123');
  });

  it('keeps the service tier CloudWatch appends (model-id+priority, model-id+flex), and drops the default one', () => {
    const profiles = { xyz789: 'us.amazon.nova-pro-v1:0' };
    expect(normalizeModelId('us.amazon.nova-pro-v1:0+flex')).toBe(
      'amazon.nova-pro-v1:0+flex',
    );
    expect(normalizeModelId('amazon.nova-pro-v1:0+Priority')).toBe(
      'amazon.nova-pro-v1:0+priority',
    );
    expect(normalizeModelId('amazon.nova-pro-v1:0+default')).toBe(
      'amazon.nova-pro-v1:0',
    );
    // an application profile's tier traffic resolves to the base model on that tier
    expect(
      normalizeModelId(
        'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/xyz789+flex',
        profiles,
      ),
    ).toBe('amazon.nova-pro-v1:0+flex');
    expect(normalizeModelId('xyz789+priority', profiles)).toBe(
      'amazon.nova-pro-v1:0+priority',
    );
    // a tier this version does not know is kept as named, never dropped
    expect(normalizeModelId('amazon.nova-pro-v1:0+turbo')).toBe(
      'amazon.nova-pro-v1:0+turbo',
    );
    // a lone or trailing plus is not a tier
    expect(normalizeModelId('+flex')).toBe('+flex');
    expect(normalizeModelId('amazon.nova-pro-v1:0+')).toBe(
      'amazon.nova-pro-v1:0+',
    );
  });
});

describe('splitServiceTier', () => {
  it.each([
    ['amazon.nova-pro-v1:0', 'amazon.nova-pro-v1:0', 'standard'],
    ['amazon.nova-pro-v1:0+flex', 'amazon.nova-pro-v1:0', 'flex'],
    ['amazon.nova-pro-v1:0+PRIORITY', 'amazon.nova-pro-v1:0', 'priority'],
    ['amazon.nova-pro-v1:0+default', 'amazon.nova-pro-v1:0', 'standard'],
    ['amazon.nova-pro-v1:0+reserved', 'amazon.nova-pro-v1:0', 'reserved'],
    ['amazon.nova-pro-v1:0+turbo', 'amazon.nova-pro-v1:0', 'turbo'],
  ])('%s is %s on tier %s', (id, model, tier) => {
    expect(splitServiceTier(id)).toEqual({ model, tier });
  });
});

describe('modelDisplayName', () => {
  it.each([
    [HAIKU, 'Claude 3 Haiku'],
    ['anthropic.claude-3-5-haiku-20241022-v1:0', 'Claude 3.5 Haiku'],
    ['anthropic.claude-3-5-sonnet-20240620-v1:0', 'Claude 3.5 Sonnet'],
    ['anthropic.claude-3-7-sonnet-20250219-v1:0', 'Claude 3.7 Sonnet'],
    ['anthropic.claude-sonnet-4-5-20250929-v1:0', 'Claude Sonnet 4.5'],
    ['anthropic.claude-sonnet-4-6', 'Claude Sonnet 4.6'],
    ['anthropic.claude-sonnet-4-20250514-v1:0', 'Claude Sonnet 4'],
    ['anthropic.claude-haiku-4-5-20251001-v1:0', 'Claude Haiku 4.5'],
    ['anthropic.claude-opus-4-5-20251101-v1:0', 'Claude Opus 4.5'],
    ['anthropic.claude-opus-4-20250514-v1:0', 'Claude Opus 4'],
    ['anthropic.claude-3-opus-20240229-v1:0', 'Claude 3 Opus'],
    ['amazon.nova-micro-v1:0', 'Nova Micro'],
    ['amazon.nova-lite-v1:0', 'Nova Lite'],
    ['amazon.nova-pro-v1:0', 'Nova Pro'],
    ['amazon.nova-premier-v1:0', 'Nova Premier'],
    ['amazon.titan-embed-text-v2:0', 'Titan Text Embeddings V2'],
    ['meta.llama3-1-8b-instruct-v1:0', 'Llama 3.1 8B'],
    ['meta.llama3-1-70b-instruct-v1:0', 'Llama 3.1 70B'],
    ['meta.llama3-1-405b-instruct-v1:0', 'Llama 3.1 405B'],
    ['meta.llama3-3-70b-instruct-v1:0', 'Llama 3.3 70B'],
    ['mistral.mistral-7b-instruct-v0:2', 'Mistral 7B'],
    ['mistral.mixtral-8x7b-instruct-v0:1', 'Mixtral 8x7B'],
    ['mistral.mistral-large-2402-v1:0', 'Mistral Large'],
    ['cohere.command-r-v1:0', 'cohere.command-r-v1:0'],
    ['amazon.nova-pro-v1:0+flex', 'Nova Pro · Flex'],
    [
      'global.amazon.nova-2-lite-v1:0+priority',
      'global.amazon.nova-2-lite-v1:0+priority',
    ],
    ['amazon.nova-premier-v1:0+priority', 'Nova Premier · Priority'],
    ['amazon.nova-pro-v1:0+turbo', 'Nova Pro · turbo'],
    ['cohere.command-r-v1:0+flex', 'cohere.command-r-v1:0+flex'],
  ])('%s is shown as %s', (id, name) => {
    expect(modelDisplayName(id)).toBe(name);
  });
});
