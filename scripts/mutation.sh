#!/usr/bin/env bash
# Mutation testing (StrykerJS, jest runner) over the code where a silent bug costs money or leaks
# data: prices and model ids (bedrock-common), cost, usage and range math, the usage store, entity
# access and the roll-up's filter (bedrock-backend); the suites are in scripts/mutation/suites.mjs.
# Prints Stryker's per-file table for each suite, then every file's score and every surviving
# mutant; fails when a file scores under 80%. One test process at a time (the machine is shared).
# Usage: bash scripts/mutation.sh [prices|money|store|access|ownership|increases|actions ...]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
require_postgres
install_dependencies

export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"
export CI=true
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(prices money store access ownership increases actions)

for suite in "${suites[@]}"; do
  dir=$(MUTATION_SUITE="$suite" node --input-type=module -e \
    "const { SUITES } = await import('./scripts/mutation/suites.mjs'); console.log(SUITES[process.env.MUTATION_SUITE].dir)")
  say "Mutation testing: $suite ($dir)"
  (cd "$dir" && MUTATION_SUITE="$suite" node "$OLDPWD/node_modules/@stryker-mutator/core/bin/stryker.js" \
    run "$OLDPWD/scripts/mutation/stryker.config.mjs")
done

say "Mutation score per file: (killed + timed out) / (killed + timed out + survived + no coverage)"
node scripts/mutation/summary.mjs "${suites[@]}"
