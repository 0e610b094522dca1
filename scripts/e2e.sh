#!/usr/bin/env bash
# Starts the portal exactly as scripts/start.sh does (emulator seeded, backend, frontend), runs
# the browser tests in e2e/ with Debian's chromium through playwright-core, then stops it all.
# Screenshots go to artifacts/screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
require_chromium

mkdir -p artifacts
bash scripts/start.sh > artifacts/portal.log 2>&1 &
portal=$!
# TERM, not INT: a background job of a non-interactive shell ignores SIGINT.
stop_portal() { kill -TERM "$portal" 2>/dev/null || true; wait "$portal" 2>/dev/null || true; }
trap stop_portal EXIT

say "Waiting for the portal (backend :7007, frontend :3000)"
wait_for_http 7007 /api/bedrock/health 600 || { tail -50 artifacts/portal.log; die "the backend did not come up"; }
wait_for_http 3000 / 600 || { tail -50 artifacts/portal.log; die "the frontend did not come up"; }

say "Running e2e/*.test.ts"
node --import tsx --test --test-concurrency=1 e2e/*.test.ts
