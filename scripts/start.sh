#!/usr/bin/env bash
# Brings the portal up with its embedded defaults and demo data:
#   AWS emulator (moto) on 127.0.0.1:4566, seeded; backend on :7007; frontend on :3000.
# Configuration: app-config.yaml (shared) + app-config.demo.yaml (what only the demo needs).
# Ctrl-C stops all of it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

EMULATOR_PORT="${EMULATOR_PORT:-4566}"
require_moto
install_dependencies
port_free "$EMULATOR_PORT" || die "port $EMULATOR_PORT is taken: stop what uses it, or set EMULATOR_PORT"
port_free "$((EMULATOR_PORT + 1))" || die "port $((EMULATOR_PORT + 1)) is taken: stop what uses it, or set EMULATOR_PORT"
port_free 7007 || die "port 7007 (backend) is taken: is the portal already running?"
port_free 3000 || die "port 3000 (frontend) is taken: is the portal already running?"

# Tenants the template provisioned in an earlier run lived in that run's emulator only.
rm -f examples/provisioned/*.yaml

pids=()
cleanup() {
  trap - INT TERM EXIT
  say "Stopping"
  for pid in "${pids[@]}"; do kill -TERM "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

say "Starting the AWS emulator on 127.0.0.1:$EMULATOR_PORT and seeding the demo data"
mkdir -p artifacts
# an earlier run's log says 'ready' too: remove it before tee recreates it
rm -f artifacts/emulator.log
set -m
yarn emulator start --port "$EMULATOR_PORT" > >(tee artifacts/emulator.log) 2>&1 &
pids+=($!)
set +m
until grep -q 'ready' artifacts/emulator.log 2>/dev/null; do
  kill -0 "${pids[0]}" 2>/dev/null || die "the emulator stopped: see artifacts/emulator.log"
  sleep 1
done

# The suite's AWS endpoint: moto, behind the stand-in for the inference-profile API it lacks.
export BEDROCK_AWS_ENDPOINT="http://127.0.0.1:$((EMULATOR_PORT + 1))"
# @backstage/integration-aws-node assumes roles through STS; send STS to the emulator too.
export AWS_ENDPOINT_URL_STS="http://127.0.0.1:$EMULATOR_PORT"
say "Starting Backstage: frontend http://localhost:3000, backend http://localhost:7007"
set -m
yarn start --config "$PWD/app-config.yaml" --config "$PWD/app-config.demo.yaml" &
pids+=($!)
set +m
wait "${pids[1]}"
