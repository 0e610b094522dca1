/**
 * Suites: the code where a silent bug costs money or leaks data, each with the tests that guard
 * it (fast tests only: the emulator and HTTP tests would take minutes per mutant).
 */
export const SUITES = {
  // prices and model-id normalisation: a bug here misprices every tenant
  prices: {
    dir: 'plugins/bedrock-common',
    mutate: ['src/prices.ts', 'src/models.ts'],
    tests: ['prices', 'models'],
  },
  // cost, usage and range math
  money: {
    dir: 'plugins/bedrock-backend',
    mutate: [
      'src/service/cost.ts',
      'src/service/usage.ts',
      'src/service/range.ts',
    ],
    tests: ['cost', 'usage', 'range'],
  },
  // the usage store, on SQLite and PostgreSQL
  store: {
    dir: 'plugins/bedrock-backend',
    mutate: ['src/database/DatabaseUsageStore.ts'],
    tests: ['DatabaseUsageStore'],
  },
  // who may see what: entity access and the group roll-up's filter
  access: {
    dir: 'plugins/bedrock-backend',
    mutate: [
      'src/service/entityAccess.ts',
      'src/service/GroupRollupService.ts',
    ],
    tests: ['entityAccess', 'GroupRollupService'],
  },
};
