import { profileModelId } from './profileModel';

const SONNET_45 = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const fm = (region: string) => ({
  modelArn: `arn:aws:bedrock:${region}::foundation-model/${SONNET_45}`,
});

describe('profileModelId', () => {
  it('prices a profile copied from a foundation model as the base model', () => {
    expect(profileModelId([fm('us-east-1')])).toBe(SONNET_45);
  });

  it('prices a geo profile copy (one geography) as the base model: regional rates', () => {
    expect(
      profileModelId([fm('us-east-1'), fm('us-east-2'), fm('us-west-2')]),
    ).toBe(SONNET_45);
    expect(profileModelId([fm('us-gov-west-1'), fm('us-gov-east-1')])).toBe(
      SONNET_45,
    );
  });

  it('prices a global profile copy (several geographies) as global.<model>, not regional', () => {
    expect(
      profileModelId([fm('us-east-1'), fm('eu-west-1'), fm('ap-northeast-1')]),
    ).toBe(`global.${SONNET_45}`);
  });

  it('is undefined without models', () => {
    expect(profileModelId(undefined)).toBeUndefined();
    expect(profileModelId([{}])).toBeUndefined();
  });
});
