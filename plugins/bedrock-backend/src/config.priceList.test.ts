import { ConfigReader } from '@backstage/config';
import { readBedrockConfig } from './config';

describe('bedrock.priceList', () => {
  it('reads the list daily from us-east-1, every region, with the first configured account', () => {
    const c = readBedrockConfig(
      new ConfigReader({
        bedrock: {
          provisioning: { accounts: ['123456789012', '210987654321'] },
        },
      }),
    );
    expect(c.priceList).toEqual({
      enabled: true,
      schedule: {
        frequency: { hours: 24 },
        timeout: { minutes: 10 },
        initialDelay: { minutes: 1 },
      },
      endpointRegion: 'us-east-1',
      regions: [],
      accountId: '123456789012',
    });
  });

  it("takes what is configured, and marks bedrock.prices rows as the operator's", () => {
    const c = readBedrockConfig(
      new ConfigReader({
        bedrock: {
          bindings: { accounts: ['111111111111'] },
          priceList: {
            enabled: false,
            endpointRegion: 'eu-central-1',
            regions: ['eu-west-1'],
            accountId: '222222222222',
            schedule: { frequency: { hours: 6 }, timeout: { minutes: 2 } },
          },
          prices: [{ model: 'x.y', inputPer1k: 1, outputPer1k: 2 }],
        },
      }),
    );
    expect(c.priceList).toMatchObject({
      enabled: false,
      endpointRegion: 'eu-central-1',
      regions: ['eu-west-1'],
      accountId: '222222222222',
      schedule: { frequency: { hours: 6 }, timeout: { minutes: 2 } },
    });
    expect(c.prices.filter(p => p.origin === 'config')).toEqual([
      expect.objectContaining({
        model: 'x.y',
        source: 'app-config bedrock.prices',
      }),
    ]);
  });

  it('refuses an endpoint region that does not serve the Price List API', () => {
    expect(() =>
      readBedrockConfig(
        new ConfigReader({
          bedrock: { priceList: { endpointRegion: 'us-west-2' } },
        }),
      ),
    ).toThrow(
      /bedrock\.priceList\.endpointRegion must be one of us-east-1, eu-central-1, ap-south-1/,
    );
  });
});
