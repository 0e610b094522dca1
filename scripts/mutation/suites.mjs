/**
 * Suites: the code where a silent bug costs money or leaks data, each with the tests that guard
 * it (fast tests only: the emulator and HTTP tests would take minutes per mutant), and the score
 * every file must reach (`goal`, default 80%; 90% for who may read or change what).
 */
export const SUITES = {
  // prices and model-id normalisation: a bug here misprices every tenant
  prices: {
    dir: 'plugins/bedrock-common',
    mutate: ['src/prices.ts', 'src/models.ts'],
    tests: ['prices', 'priceRules', 'priceOrigins', 'models'],
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
  // what the estimate adds and how it meets the bill: batch jobs as usage, the price list's
  // units and products, estimate vs bill, and the split of an account's usage (issue 21)
  estimate: {
    dir: 'plugins/bedrock-backend',
    mutate: [
      'src/batch/batchUsage.ts',
      'src/prices/units.ts',
      'src/prices/parseProduct.ts',
      'src/service/reconciliation.ts',
      'src/unattributed/attribution.ts',
    ],
    tests: [
      'batchUsage',
      'units',
      'parseProduct',
      'reconciliation',
      'attribution',
    ],
  },
  // the usage store, on SQLite and PostgreSQL
  store: {
    dir: 'plugins/bedrock-backend',
    mutate: ['src/database/DatabaseUsageStore.ts'],
    // the store's tests live in three files: rows and reads, watermarks and windows, TTFT
    tests: [
      'DatabaseUsageStore',
      'DatabaseUsageStore.watermarks',
      'DatabaseUsageStore.ttft',
    ],
  },
  // who may see what: entity access, the group roll-up's filter and the tree it reads
  access: {
    dir: 'plugins/bedrock-backend',
    mutate: [
      'src/service/entityAccess.ts',
      'src/access/entityAuthorizer.ts',
      'src/service/GroupRollupService.ts',
      'src/service/GroupTreeReader.ts',
      'src/service/visibleTree.ts',
    ],
    tests: [
      'entityAccess',
      'entityAuthorizer',
      'GroupRollupService',
      'GroupRollupCache',
      'GroupTreeReader',
      'visibleTree',
    ],
    goal: 90,
  },
  // who may change a tenant, and which entity a binding names: the change rule, binding
  // verification and the tag sync's trust rules
  ownership: {
    dir: 'plugins/bedrock-backend',
    mutate: [
      'src/bindings/TenantChangeAuthorizer.ts',
      'src/bindings/verify.ts',
      'src/bindings/BindingSync.ts',
    ],
    tests: ['TenantChangeAuthorizer', 'verify', 'BindingSync'],
    goal: 90,
  },
  // temporary budget increases: the amounts and limits written to AWS, who decides once, the revert
  increases: {
    dir: 'plugins/bedrock-backend',
    mutate: [
      'src/increases/BudgetIncreaseService.ts',
      'src/increases/BudgetIncreaseStore.ts',
    ],
    tests: ['BudgetIncreaseService', 'BudgetIncreaseStore'],
    goal: 80,
  },
  // what the scaffolder actions ask before any AWS call, and what only admins may
  actions: {
    dir: 'plugins/scaffolder-backend-module-bedrock',
    mutate: ['src/actions/tenantRules.ts', 'src/actions/authorization.ts'],
    tests: ['authorization', 'validation'],
    goal: 90,
  },
};
