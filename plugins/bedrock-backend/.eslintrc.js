module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  // the mutation-testing config imports the shared base in scripts/mutation
  ignorePatterns: ['stryker.config.mjs'],
});
