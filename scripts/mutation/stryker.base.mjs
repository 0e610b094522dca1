/**
 * StrykerJS settings shared by the packages under mutation testing (see scripts/mutation.sh).
 * Jest runs with the very configuration `backstage-cli package test` builds (its SWC transforms,
 * environments and setup files): Stryker's jest runner loads @backstage/cli's jest config file,
 * which reads the package from the working directory, here Stryker's sandbox copy of it.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function strykerConfig({ mutate, testMatch }) {
  return {
    packageManager: 'yarn',
    testRunner: 'jest',
    plugins: ['@stryker-mutator/jest-runner'],
    jest: {
      projectType: 'custom',
      configFile: require.resolve('@backstage/cli/config/jest'),
      // only the tests that can kill these mutants (no emulator tests: they take minutes)
      config: { testMatch },
      enableFindRelatedTests: false,
    },
    mutate,
    coverageAnalysis: 'perTest',
    // the machine is shared: one test process at a time
    concurrency: 1,
    timeoutMS: 20_000,
    reporters: ['clear-text', 'json', 'progress'],
    clearTextReporter: {
      allowColor: false,
      logTests: false,
      reportScoreTable: true,
      reportMutants: true,
    },
    jsonReporter: { fileName: 'reports/mutation/mutation.json' },
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
    thresholds: { high: 90, low: 80, break: null },
  };
}
