import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_LOGGING,
  DEFAULT_THRESHOLDS,
  readProvisioningConfig,
} from './config';

const read = (provisioning: unknown) =>
  readProvisioningConfig(
    new ConfigReader({ bedrock: { provisioning } } as any),
  );

describe('readProvisioningConfig', () => {
  it('applies the defaults', () => {
    const c = read({ accounts: ['123456789012'] });
    expect(c.accounts).toEqual(['123456789012']);
    expect(c.thresholds).toEqual(DEFAULT_THRESHOLDS);
    expect(c.logging).toEqual(DEFAULT_LOGGING);
    expect(c.monthlyBudgetUsd).toBe(100);
  });

  it('takes numbers written as strings (environment substitution)', () => {
    const c = read({
      monthlyBudgetUsd: '250',
      thresholds: { latencyMs: '900' },
    });
    expect(c.monthlyBudgetUsd).toBe(250);
    expect(c.thresholds.latencyMs).toBe(900);
  });

  it.each([
    [
      { accounts: ['12345'] },
      /bedrock\.provisioning\.accounts\.0: not a 12-digit account id/,
    ],
    [
      { regions: ['Europe'] },
      /bedrock\.provisioning\.regions\.0: not an AWS region/,
    ],
    [
      { models: [{ id: 'm', copyFrom: 'm' }] },
      /bedrock\.provisioning\.models\.0\.copyFrom/,
    ],
    [{ monthlyBudgetUsd: -1 }, /bedrock\.provisioning\.monthlyBudgetUsd/],
    [
      { logging: { transitionStorageClass: 'TAPE' } },
      /bedrock\.provisioning\.logging\.transitionStorageClass/,
    ],
  ])('names the bad key of %j', (provisioning, message) => {
    expect(() => read(provisioning)).toThrow(message);
  });
});
