#!/usr/bin/env bash
# Runs the whole test suite: formatting, type check, API reports, lint, the package tarballs'
# contents (scripts/pack-check.sh), every jest project (unit, emulator and PostgreSQL
# integration tests), then the end-to-end tests in real Chromium against the running portal,
# with the production check (scripts/production-check.sh) and the benchmark smoke runs beside them.
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

# The production check and the benchmark smoke runs use their own ports (backend 7107, emulator
# 4576-4577, benchmark backend 7197), PostgreSQL databases and Redis database, none of the demo
# portal's: they run beside the browser tests, whose time is mostly the browser waiting, and their
# output goes to artifacts/production-check.log, printed when they end.
mkdir -p artifacts
say "Production check and benchmark smoke runs, in the background (log: artifacts/production-check.log)"
(
  say "Production check: the backend bundle as README 'Running it in production' runs it"
  bash scripts/production-check.sh
  say "API benchmark smoke run (production backend build, 5 tenants, 1 s phases)"
  node --import tsx bench/api.ts --smoke --no-build
  say "Identity-log aggregation benchmark smoke run (Logs Insights stand-in, 2,000 records)"
  node --import tsx bench/identityLogs.ts --smoke
) > artifacts/production-check.log 2>&1 &
production=$!
# the background run stops with this script, whichever step fails first: its steps get TERM
# (production-check.sh then stops its backend and emulator and drops its databases)
trap 'pkill -TERM -P "$production" 2>/dev/null || true; kill -TERM "$production" 2>/dev/null || true' EXIT

say "End-to-end tests in Chromium"
bash scripts/e2e.sh

say "Waiting for the production check and the benchmark smoke runs"
if wait "$production"; then
  cat artifacts/production-check.log
else
  cat artifacts/production-check.log
  die "the production check or a benchmark smoke run failed: see its output above"
fi
trap - EXIT
