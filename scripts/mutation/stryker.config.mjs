/**
 * StrykerJS configuration for scripts/mutation.sh, run from the package under test
 * (plugins/bedrock-common or plugins/bedrock-backend).
 *
 * Jest runs with the very configuration `backstage-cli package test` builds (its SWC transforms,
 * environments and setup files): Stryker's jest runner loads @backstage/cli's jest config file,
 * which reads the package from the working directory, here Stryker's sandbox copy of it.
 */
import { createRequire } from 'node:module';
import { basename } from 'node:path';

const require = createRequire(import.meta.url);

/** Per package: the code where a silent bug costs money or leaks data, and the tests that guard it. */
const PACKAGES = {
  // prices and model-id normalisation: a bug here misprices every tenant
  'bedrock-common': {
    mutate: ['src/prices.ts', 'src/models.ts'],
    testMatch: ['**/prices.test.ts', '**/models.test.ts'],
  },
  // cost, usage and range math, the usage store, entity access and the roll-up's filter
  'bedrock-backend': {
    mutate: [
      'src/service/cost.ts',
      'src/service/usage.ts',
      'src/service/range.ts',
      'src/database/DatabaseUsageStore.ts',
      'src/service/entityAccess.ts',
      'src/service/GroupRollupService.ts',
    ],
    // no emulator tests: they take minutes per run
    testMatch: ['**/service/*.test.ts', '**/database/*.test.ts'],
  },
};

const pkg = PACKAGES[basename(process.cwd())];
if (!pkg) throw new Error(`no mutation testing set up for ${process.cwd()}`);

export default {
  packageManager: 'yarn',
  testRunner: 'jest',
  plugins: ['@stryker-mutator/jest-runner'],
  jest: {
    projectType: 'custom',
    configFile: require.resolve('@backstage/cli/config/jest'),
    config: { testMatch: pkg.testMatch },
    enableFindRelatedTests: false,
  },
  mutate: pkg.mutate,
  coverageAnalysis: 'perTest',
  // the machine is shared: one test process at a time
  concurrency: 1,
  timeoutMS: 20_000,
  reporters: ['clear-text', 'json', 'progress'],
  clearTextReporter: {
    allowColor: false,
    logTests: false,
    reportScoreTable: true,
    reportMutants: false,
  },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 80, break: null },
};
