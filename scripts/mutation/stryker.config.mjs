/**
 * StrykerJS configuration for scripts/mutation.sh: one suite (MUTATION_SUITE) at a time, run
 * from the suite's package directory.
 *
 * Jest runs with the very configuration `backstage-cli package test` builds (its SWC transforms,
 * environments and setup files): Stryker's jest runner loads @backstage/cli's jest config file,
 * which reads the package from the working directory, here Stryker's sandbox copy of it.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

import { SUITES } from './suites.mjs';

const name = process.env.MUTATION_SUITE;
const suite = SUITES[name];
if (!suite)
  throw new Error(
    `MUTATION_SUITE must be one of ${Object.keys(SUITES).join(', ')}`,
  );

export default {
  packageManager: 'yarn',
  testRunner: 'jest',
  plugins: ['@stryker-mutator/jest-runner'],
  jest: {
    projectType: 'custom',
    configFile: require.resolve('@backstage/cli/config/jest'),
    config: { testMatch: suite.tests.map(t => `**/${t}.test.ts`) },
    enableFindRelatedTests: false,
  },
  mutate: suite.mutate,
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
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  tempDirName: `.stryker-tmp/${name}`,
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 80, break: null },
};
