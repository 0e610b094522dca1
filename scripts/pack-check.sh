#!/usr/bin/env bash
# What the published packages contain, checked on the tarballs themselves: builds the suite's
# publishable packages as they are published (`yarn tsc` for the declarations, then
# `backstage-cli repo build`), packs each with `yarn pack` (its prepack applies publishConfig,
# rewrites exports to dist/ and compiles config.d.ts to config.schema.json; Yarn replaces
# `workspace:` ranges) and checks each tarball with scripts/pack-check.mjs: entry points and type
# declarations in dist/, no workspace:/portal:/link: ranges, the configuration schema, every
# database migration, README.md, no tests or fixtures. Tarballs go to a temporary directory;
# package.json is restored, and dist/ folders this run created are removed, pass or fail.
set -euo pipefail
cd "$(dirname "$0")/.."
# Run as `yarn pack:check`, node and yarn are already on PATH: bootstrap only when they are not.
if ! command -v node >/dev/null 2>&1 || ! command -v yarn >/dev/null 2>&1; then
  # shellcheck source=bootstrap.sh
  source scripts/bootstrap.sh
fi
say() { printf '\n==> %s\n' "$*" >&2; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

start=$(date +%s)
# The publishable packages: every workspace under plugins/ and packages/ that is not private
mapfile -t packages < <(node -e '
  const fs = require("fs");
  for (const root of ["plugins", "packages"]) {
    for (const dir of fs.readdirSync(root).sort()) {
      const file = `${root}/${dir}/package.json`;
      if (fs.existsSync(file) && !JSON.parse(fs.readFileSync(file, "utf8")).private) console.log(`${root}/${dir}`);
    }
  }')
[ "${#packages[@]}" -gt 0 ] || die "no publishable (non-private) package found under plugins/ or packages/"

out=$(mktemp -d "${TMPDIR:-/tmp}/pack-check.XXXXXX")
created_dist=()
for p in "${packages[@]}"; do [ -d "$p/dist" ] || created_dist+=("$p/dist"); done

cleanup() {
  local rc=$?
  trap - INT TERM EXIT
  for p in "${packages[@]}"; do
    # an interrupted `yarn pack` leaves the prepack package.json in place: put the original back
    if [ -f "$p/package.json-prepack" ]; then
      (cd "$p" && yarn backstage-cli package postpack >/dev/null 2>&1) ||
        { mv -f "$p/package.json-prepack" "$p/package.json" && rm -f "$p/config.schema.json"; }
    fi
  done
  for d in "${created_dist[@]}"; do rm -rf "$d"; done
  rm -rf "$out"
  exit "$rc"
}
trap cleanup INT TERM EXIT

say "pack-check: type declarations (yarn tsc) and build (backstage-cli repo build) of ${packages[*]}"
yarn tsc
yarn backstage-cli repo build > "$out/build.log" 2>&1 ||
  { tail -40 "$out/build.log"; die "backstage-cli repo build failed (output above)"; }

say "pack-check: yarn pack of ${#packages[@]} packages"
for p in "${packages[@]}"; do
  (cd "$p" && yarn pack --out "$out/$(basename "$p").tgz") > "$out/pack.log" 2>&1 ||
    { tail -40 "$out/pack.log"; die "yarn pack failed in $p (output above)"; }
done

say "pack-check: tarball contents"
status=0
node scripts/pack-check.mjs "$out" "${packages[@]}" || status=$?
echo "pack-check: $((${#packages[@]})) packages built, packed and checked in $(($(date +%s) - start)) s"
[ "$status" -eq 0 ] || die "the package tarballs are incomplete or unpublishable (see above)"
