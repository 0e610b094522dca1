import { strykerConfig } from '../../scripts/mutation/stryker.base.mjs';

// Prices and model-id normalisation: a silent bug here misprices every tenant.
export default strykerConfig({
  mutate: ['src/prices.ts', 'src/models.ts'],
  testMatch: ['**/prices.test.ts', '**/models.test.ts'],
});
