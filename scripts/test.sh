#!/usr/bin/env bash
# Runs the whole test suite: formatting, type check, API reports, lint, the package tarballs'
# contents (scripts/pack-check.sh), every jest project (unit,
# emulator and PostgreSQL integration tests), the production check (scripts/production-check.sh),
# then the end-to-end tests in real Chromium against the running portal.
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

# tsc wrote dist-types: the public API of each published package must match its committed
# report.api.md (regenerate with `yarn build:api-reports` when a change is deliberate)
say "API reports (backstage-repo-tools api-reports --ci)"
yarn build:api-reports:only --ci

say "Lint"
yarn lint

say "Package contents (yarn pack of the five packages, scripts/pack-check.sh)"
yarn pack:check

say "Import directions (dependency-cruiser, .dependency-cruiser.cjs)"
yarn deps:check

say "Unit and integration tests (jest, all projects)"
yarn test --maxWorkers=2

say "Production check: the backend bundle as README 'Running it in production' runs it"
bash scripts/production-check.sh

say "API benchmark smoke run (production backend build, 5 tenants, 1 s phases)"
node --import tsx bench/api.ts --smoke --no-build

say "Identity-log aggregation benchmark smoke run (Logs Insights stand-in, 2,000 records)"
node --import tsx bench/identityLogs.ts --smoke

say "End-to-end tests in Chromium"
bash scripts/e2e.sh
