#!/usr/bin/env bash
# Mutation testing (StrykerJS, jest runner) over the code where a silent bug costs money or leaks
# data: prices and model ids (bedrock-common), cost, usage, range, the usage store, entity access
# and the roll-up's filter (bedrock-backend). Prints Stryker's per-file table for each package,
# then every file's score and every surviving mutant; fails when a file scores under 80%.
# One test process at a time (the machine is shared); about 5 min for bedrock-common and
# 45 min for bedrock-backend on two cores, too long for the test command (see README).
# Usage: bash scripts/mutation.sh [bedrock-common|bedrock-backend ...]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
require_postgres

export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"
export CI=true
packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(bedrock-common bedrock-backend)

for pkg in "${packages[@]}"; do
  say "Mutation testing plugins/$pkg"
  (cd "plugins/$pkg" && node ../../node_modules/@stryker-mutator/core/bin/stryker.js run stryker.config.mjs)
done

say "Mutation score per file (killed + timed out) / (killed + timed out + survived + no coverage)"
node scripts/mutation/summary.mjs "${packages[@]}"
