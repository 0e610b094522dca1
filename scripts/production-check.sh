#!/usr/bin/env bash
# The README's "Running it in production", as a test. Builds the backend bundle, unpacks it as
# the README says and starts it with app-config.yaml + app-config.production.yaml, setting only
# what a test environment must: PostgreSQL and Redis on 127.0.0.1, the AWS emulator in place of
# AWS, the demo catalog, a static access token. Checks that it refuses to start without its
# settings, waits for a collection, reads a summary and a Group roll-up with the token, and checks
# that Redis holds the suite's keys. Stops everything and drops what it created, pass or fail.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

PORT="${PRODUCTION_CHECK_PORT:-7107}"                   # the backend (the demo portal uses 7007)
EMULATOR_PORT="${PRODUCTION_CHECK_EMULATOR_PORT:-4576}" # moto; the stand-in on the next port
REDIS_DB="${PRODUCTION_CHECK_REDIS_DB:-14}"             # a Redis database of its own, flushed after
RUN_ID="prodcheck_$(date +%s)_$$"                       # prefix of this run's PostgreSQL databases
DIST="$PWD/artifacts/production"
LOGS="$PWD/artifacts"
mkdir -p "$LOGS"

require_moto
require_postgres
require_redis
for p in "$PORT" "$EMULATOR_PORT" "$((EMULATOR_PORT + 1))"; do
  port_free "$p" || die "port $p is taken: stop what uses it, or set PRODUCTION_CHECK_PORT / PRODUCTION_CHECK_EMULATOR_PORT"
done

pids=()
cleanup() {
  local rc=$?
  trap - INT TERM EXIT
  say "Stopping the backend and the emulator; dropping databases ${RUN_ID}_*; flushing Redis database $REDIS_DB"
  for pid in "${pids[@]}"; do kill -TERM "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for db in $(psql -h 127.0.0.1 -U postgres -Atc "SELECT datname FROM pg_database WHERE datname LIKE '${RUN_ID}_%'" 2>/dev/null); do
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null || true
  done
  redis-cli -n "$REDIS_DB" FLUSHDB >/dev/null 2>&1 || true
  exit "$rc"
}
trap cleanup INT TERM EXIT

# --- README: "Running it in production" --------------------------------------------------------
say "Building the backend bundle (yarn tsc, yarn build:backend)"
yarn tsc
yarn build:backend > "$LOGS/production-build.log" 2>&1 ||
  { tail -40 "$LOGS/production-build.log"; die "yarn build:backend failed: see $LOGS/production-build.log"; }

say "Unpacking it into $DIST and installing its production dependencies"
rm -rf "$DIST" && mkdir -p "$DIST"
cp package.json yarn.lock .yarnrc.yml "$DIST/"
tar xzf packages/backend/dist/skeleton.tar.gz -C "$DIST"
(cd "$DIST" && yarn workspaces focus --all --production) > "$LOGS/production-install.log" 2>&1 ||
  { tail -30 "$LOGS/production-install.log"; die "yarn workspaces focus failed: see $LOGS/production-install.log"; }
tar xzf packages/backend/dist/bundle.tar.gz -C "$DIST"
cp app-config.yaml app-config.production.yaml "$DIST/"
cp -r templates "$DIST/"

start_backend() {
  (cd "$DIST" && NODE_ENV=production exec node packages/backend \
    --config app-config.yaml --config app-config.production.yaml)
}

# --- missing settings: refused at once, one message naming each ---------------------------------
say "Starting it without its settings: it must refuse at once, naming every missing variable"
started=$(date +%s%N)
set +e
(
  unset APP_BASE_URL BACKEND_BASE_URL POSTGRES_HOST POSTGRES_PORT POSTGRES_USER POSTGRES_PASSWORD REDIS_URL
  start_backend
) > "$LOGS/production-refused.log" 2>&1
refused=$?
set -e
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
cat "$LOGS/production-refused.log"
[ "$refused" = 1 ] || die "the backend did not refuse to start (exit code $refused)"
for v in APP_BASE_URL BACKEND_BASE_URL POSTGRES_HOST POSTGRES_PORT POSTGRES_USER POSTGRES_PASSWORD REDIS_URL; do
  grep -q "^  $v (" "$LOGS/production-refused.log" || die "the refusal does not name $v"
done
(( elapsed_ms < 15000 )) || die "refusing took ${elapsed_ms} ms"
say "Refused in ${elapsed_ms} ms, naming all 7 variables"

# --- the test environment ----------------------------------------------------------------------
say "Starting the AWS emulator on 127.0.0.1:$EMULATOR_PORT and seeding the demo data"
rm -f "$LOGS/production-emulator.log"
set -m
yarn emulator start --port "$EMULATOR_PORT" > "$LOGS/production-emulator.log" 2>&1 &
pids+=($!)
set +m
until grep -q 'ready' "$LOGS/production-emulator.log" 2>/dev/null; do
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$LOGS/production-emulator.log"; die "the emulator stopped"; }
  sleep 1
done

redis-cli -n "$REDIS_DB" FLUSHDB >/dev/null
TOKEN="$(node -e 'process.stdout.write(require("crypto").randomBytes(24).toString("hex"))')"
catalog='[{"type":"file","target":"'"$PWD"'/examples/org.yaml"},{"type":"file","target":"'"$PWD"'/examples/systems.yaml"},{"type":"file","target":"'"$PWD"'/examples/tenants.yaml"}]'

say "Starting the production backend on :$PORT (PostgreSQL databases ${RUN_ID}_*, Redis database $REDIS_DB)"
set -m
(
  # app-config.production.yaml's variables
  export APP_BASE_URL="http://127.0.0.1:$PORT" BACKEND_BASE_URL="http://127.0.0.1:$PORT" BACKEND_PORT="$PORT"
  export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT=5432 POSTGRES_USER=postgres POSTGRES_PASSWORD=unused-trust-auth
  export REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB"
  # this run's own databases (backstage_plugin_<pluginId> otherwise)
  export APP_CONFIG_backend_database_prefix="${RUN_ID}_"
  # the emulator in place of AWS: its endpoint, keys for the host's credential chain, STS
  export APP_CONFIG_bedrock_aws_endpoint="http://127.0.0.1:$((EMULATOR_PORT + 1))"
  export AWS_ACCESS_KEY_ID=AKIAPRODUCTIONCHECK1 AWS_SECRET_ACCESS_KEY=emulator-accepts-any AWS_REGION=us-east-1
  export AWS_ENDPOINT_URL_STS="http://127.0.0.1:$EMULATOR_PORT"
  # the emulator's two accounts, whose tenant tags bind the demo tenants to their entities
  export APP_CONFIG_bedrock_bindings_accounts='["123456789012","210987654321"]'
  # the demo catalog, and a static access token for the checks below
  export APP_CONFIG_catalog_locations="$catalog"
  export APP_CONFIG_backend_auth_externalAccess='[{"type":"static","options":{"token":"'"$TOKEN"'","subject":"production-check"}}]'
  start_backend
) > "$LOGS/production-backend.log" 2>&1 &
pids+=($!)
set +m

api() { # GET path with the static token; prints the body, fails on a non-2xx answer
  node -e '
    fetch(process.argv[1], { headers: { authorization: `Bearer ${process.argv[2]}` } })
      .then(async r => { const t = await r.text(); process.stdout.write(t); process.exit(r.ok ? 0 : 1); },
            () => process.exit(2));' "http://127.0.0.1:$PORT$1" "$TOKEN"
}

say "Waiting for a collection: the summary of component:default/checkout-assistant with usage and alarms"
deadline=$((SECONDS + 720))
summary=""
until summary="$(api '/api/bedrock/entity/component/default/checkout-assistant/summary?range=7d' 2>/dev/null)" &&
  node -e '
    const s = JSON.parse(process.argv[1]);
    process.exit(s.totals?.invocations > 0 && s.alarms?.data?.length > 0 ? 0 : 1);' "$summary" 2>/dev/null; do
  kill -0 "${pids[1]}" 2>/dev/null || { tail -50 "$LOGS/production-backend.log"; die "the backend stopped"; }
  (( SECONDS < deadline )) || { tail -50 "$LOGS/production-backend.log"; echo "last answer: ${summary:0:500}"; die "no collected data within 720 s"; }
  sleep 5
done
node -e '
  const s = JSON.parse(process.argv[1]);
  console.log(`summary: ${s.totals.invocations} invocations in 7 days, estimated USD ${s.cost.data?.rangeEstimatedUsd}, ${s.alarms.data.length} alarms, ${s.freshness ? JSON.stringify(s.freshness) : ""}`);' "$summary"

say "Reading a Group roll-up (cached in Redis)"
api '/api/bedrock/group/default/team-checkout/rollup?range=7d' > "$LOGS/production-rollup.json" ||
  { cat "$LOGS/production-rollup.json"; die "the roll-up failed"; }
api '/api/bedrock/group/default/team-checkout/rollup?range=7d' > /dev/null

# Backstage's cache stores a plugin's key as <pluginId>:<base64 of the key>
keys="$(redis-cli -n "$REDIS_DB" --scan --pattern 'bedrock:*' |
  node -e 'for (const k of require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean))
    console.log(`bedrock:${Buffer.from(k.slice("bedrock:".length), "base64").toString()}`)')"
echo "Redis database $REDIS_DB: $(redis-cli -n "$REDIS_DB" DBSIZE) keys in all; the suite's (decoded):"
echo "$keys" | sed 's/^/  /'
grep -q '^bedrock:rollup-buckets:' <<<"$keys" || die "Redis holds no roll-up cache key of the suite"
grep -q 'Collected Bedrock status\|Bedrock status run ran out of time' "$LOGS/production-backend.log" || die "no status run in the backend log"
grep -E 'Collected Bedrock (usage|status)|status run ran out' "$LOGS/production-backend.log" | tail -3 | cut -c1-400
say "Production check passed"
