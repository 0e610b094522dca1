#!/usr/bin/env bash
# Runs the whole test suite: type check, lint, every jest project (unit, emulator and PostgreSQL
# integration tests), the production check (scripts/production-check.sh), then the end-to-end
# tests in real Chromium against the running portal.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

require_moto
require_postgres
require_redis
require_chromium
install_dependencies

# The database tests run on SQLite and on this PostgreSQL (see TestDatabases in the tests).
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"
export CI=true

say "Formatting (prettier --check)"
yarn prettier:check

say "Type check (tsc)"
yarn tsc

say "Lint"
yarn lint

say "Unit and integration tests (jest, all projects)"
yarn test --maxWorkers=2

say "Production check: the backend bundle as README 'Running it in production' runs it"
bash scripts/production-check.sh

say "API benchmark smoke run (production backend build, 5 tenants, 1 s phases)"
node --import tsx bench/api.ts --smoke --no-build

say "End-to-end tests in Chromium"
bash scripts/e2e.sh
