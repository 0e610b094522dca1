# Shared by scripts/start.sh and scripts/test.sh. Source it from the repository root.

# Node 22 and Yarn 4 on PATH (fetched into .tools on first use).
# shellcheck source=bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

# Each step's heading says how long the script has run (bash's SECONDS), so a slow step shows.
say() { printf '\n==> [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*" >&2; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

# Installs the workspace's dependencies exactly as locked. Quick when nothing changed.
install_dependencies() {
  say "Installing dependencies (yarn install --immutable)"
  yarn install --immutable || die "yarn install failed: see the output above, and README.md > Troubleshooting"
}

require_moto() {
  python3 -c 'import moto, flask, flask_cors' 2>/dev/null ||
    die 'the AWS emulator is missing: python3 cannot import moto. Install it with: pip install "moto[server]"'
}

require_postgres() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h 127.0.0.1 -p 5432 || die "PostgreSQL does not answer on 127.0.0.1:5432 (trust auth expected): start it, e.g. pg_ctlcluster <version> main start"
  else
    node -e "require('net').connect(5432,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))" ||
      die "PostgreSQL does not answer on 127.0.0.1:5432"
  fi
}

# Debian's chromium for the browser tests; installed when absent (needs root and apt).
require_chromium() {
  if [ -x /usr/bin/chromium ]; then return; fi
  say "Installing Debian's chromium for the browser tests"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ||
      die "could not install chromium with apt-get"
  else
    die "/usr/bin/chromium is missing: install Debian's chromium package (apt-get install chromium)"
  fi
  [ -x /usr/bin/chromium ] || die "/usr/bin/chromium is still missing after installing chromium"
}

port_free() {
  ! node -e "require('net').connect($1,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))" 2>/dev/null
}

# Waits until http://127.0.0.1:$1$2 answers (any HTTP status), up to $3 seconds.
wait_for_http() {
  local port=$1 path=$2 timeout=$3 start=$SECONDS
  until node -e "fetch('http://127.0.0.1:$port$path').then(()=>process.exit(0),()=>process.exit(1))" 2>/dev/null; do
    if (( SECONDS - start > timeout )); then return 1; fi
    sleep 2
  done
}

require_redis() {
  command -v redis-cli >/dev/null 2>&1 || die "redis-cli is missing: install Redis (apt-get install redis-server)"
  # the outage tests start and kill a redis-server of their own
  command -v redis-server >/dev/null 2>&1 || die "redis-server is missing: install Redis (apt-get install redis-server)"
  [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ] || die "Redis does not answer on 127.0.0.1:6379: start it, e.g. redis-server --daemonize yes"
}
