import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_PRICES,
  findPrice,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { readBedrockConfig } from './config';

describe('readBedrockConfig', () => {
  it('applies defaults', () => {
    const c = readBedrockConfig(new ConfigReader({}));
    expect(c.collector).toMatchObject({
      enabled: true,
      backfillDays: 30,
      refetchHours: 3,
      windowHours: 24,
      fetchEveryHours: 3,
      shards: 12,
      accountUsage: true,
    });
    expect(
      readBedrockConfig(
        new ConfigReader({ bedrock: { collector: { accountUsage: false } } }),
      ).collector.accountUsage,
    ).toBe(false);
    // stale once a fetch is an hour late
    expect(c.staleAfterMinutes).toBe(240);
    expect(c.collector.schedule.frequency).toEqual({ minutes: 15 });
    expect(c.costExplorer.enabled).toBe(false);
    expect(c.idleDays).toBe(7);
    expect(c.prices).toEqual(DEFAULT_PRICES);
  });

  it('adds config price rows after the built-in table, so they win', () => {
    const c = readBedrockConfig(
      new ConfigReader({
        bedrock: {
          prices: [
            {
              model: 'cohere.command-r-v1:0',
              inputPer1k: 0.0005,
              outputPer1k: 0.0015,
            },
            {
              model: 'amazon.nova-lite-v1:0',
              region: 'us-east-1',
              inputPer1k: 1,
              outputPer1k: 2,
              effectiveFrom: '2026-01-01',
            },
          ],
          collector: {
            schedule: { frequency: { minutes: 5 }, timeout: { minutes: 1 } },
            backfillDays: 9999,
          },
        },
      }),
    );
    expect(
      findPrice(c.prices, 'cohere.command-r-v1:0', 'eu-west-1', '2026-11-20')
        ?.inputPer1k,
    ).toBe(0.0005);
    expect(
      findPrice(c.prices, 'amazon.nova-lite-v1:0', 'us-east-1', '2026-11-20')
        ?.inputPer1k,
    ).toBe(1);
    expect(
      findPrice(c.prices, 'amazon.nova-lite-v1:0', 'us-east-1', '2025-11-20')
        ?.inputPer1k,
    ).toBe(0.00006);
    expect(c.collector.schedule.frequency).toEqual({ minutes: 5 });
    expect(c.collector.backfillDays).toBe(455);
  });

  it('reads a price row per service tier; a tier it does not know is refused', () => {
    const c = readBedrockConfig(
      new ConfigReader({
        bedrock: {
          prices: [
            {
              model: 'amazon.nova-pro-v1:0',
              tier: 'flex',
              inputPer1k: 0.0004,
              outputPer1k: 0.0016,
            },
            {
              model: 'amazon.nova-pro-v1:0',
              tier: 'standard',
              region: 'eu-west-1',
              inputPer1k: 0.9,
              outputPer1k: 3,
            },
          ],
        },
      }),
    );
    const at = (id: string, region = 'us-east-1') =>
      findPrice(c.prices, id, region, '2026-11-20')?.inputPer1k;
    expect(at('amazon.nova-pro-v1:0+flex')).toBe(0.0004);
    expect(at('amazon.nova-pro-v1:0')).toBe(0.0008);
    expect(at('amazon.nova-pro-v1:0', 'eu-west-1')).toBe(0.9);
    expect(at('amazon.nova-pro-v1:0+priority')).toBeUndefined();
    expect(() =>
      readBedrockConfig(
        new ConfigReader({
          bedrock: {
            prices: [
              { model: 'x', tier: 'turbo', inputPer1k: 1, outputPer1k: 1 },
            ],
          },
        }),
      ),
    ).toThrow(/bedrock\.prices\[0\.tier\]/);
  });

  it('rejects a malformed price row, naming it', () => {
    expect(() =>
      readBedrockConfig(
        new ConfigReader({
          bedrock: { prices: [{ model: 'x', inputPer1k: -1, outputPer1k: 1 }] },
        }),
      ),
    ).toThrow(/bedrock\.prices\[0\.inputPer1k\]/);
  });

  it('bounds a status run: 4 in flight, 60 s per account, 80% of the 3-minute timeout', () => {
    const c = readBedrockConfig(new ConfigReader({}));
    expect(c.status.schedule.timeout).toEqual({ minutes: 3 });
    expect(c.status.budget).toEqual({
      concurrency: 4,
      accountBudgetMs: 60_000,
      runBudgetMs: 144_000,
    });
  });

  it('reads the status budget and an ISO 8601 timeout from config', () => {
    const c = readBedrockConfig(
      new ConfigReader({
        bedrock: {
          status: {
            schedule: { frequency: { minutes: 10 }, timeout: 'PT5M' },
            concurrency: 2,
            accountTimeoutSeconds: 30,
          },
        },
      }),
    );
    // initialDelay, left out, keeps its default
    expect(c.status.schedule.initialDelay).toEqual({ seconds: 3 });
    expect(c.status.budget).toEqual({
      concurrency: 2,
      accountBudgetMs: 30_000,
      runBudgetMs: 240_000,
    });
    expect(() =>
      readBedrockConfig(
        new ConfigReader({ bedrock: { status: { concurrency: 0 } } }),
      ),
    ).toThrow(/bedrock\.status\.concurrency must be a positive number/);
  });

  it('caps Cost Explorer requests a day and reads the variance threshold, admins from the bindings by default', () => {
    const defaults = readBedrockConfig(
      new ConfigReader({
        bedrock: { bindings: { adminRecipients: ['group:default/platform'] } },
      }),
    );
    expect(defaults.costExplorer.maxRequestsPerDay).toBe(100);
    expect(defaults.reconciliation).toEqual({
      notify: true,
      varianceThresholdPercent: 10,
      minVarianceUsd: 10,
      adminRecipients: ['group:default/platform'],
    });
    const c = readBedrockConfig(
      new ConfigReader({
        bedrock: {
          costExplorer: { maxRequestsPerDay: 20 },
          reconciliation: {
            notify: false,
            varianceThresholdPercent: 5,
            minVarianceUsd: 0,
            adminRecipients: ['user:default/finops'],
          },
        },
      }),
    );
    expect(c.costExplorer.maxRequestsPerDay).toBe(20);
    expect(c.reconciliation).toEqual({
      notify: false,
      varianceThresholdPercent: 5,
      minVarianceUsd: 0,
      adminRecipients: ['user:default/finops'],
    });
    expect(() =>
      readBedrockConfig(
        new ConfigReader({
          bedrock: { costExplorer: { maxRequestsPerDay: 0 } },
        }),
      ),
    ).toThrow(/bedrock\.costExplorer\.maxRequestsPerDay must be a positive/);
  });
});
