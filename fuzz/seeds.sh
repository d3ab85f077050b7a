#!/usr/bin/env bash
# fuzz/seeds.sh TARGET DIR: fills DIR with the seed corpus of one harness, taken from the shipped fixtures
# (each file named by its SHA-256, so identical seeds are kept once).
set -euo pipefail
target=$1
dir=$2
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundles="$repo/fixtures/bundles"
mkdir -p "$dir"

seed() {
  for file in "$@"; do
    [ -f "$file" ] || continue
    cp "$file" "$dir/$(sha256sum "$file" | cut -c1-16)"
  done
}

shopt -s nullglob globstar
case "$target" in
  pe|authenticode) seed "$repo"/fixtures/pe/*.dll "$bundles"/*/binaries/*.bin ;;
  catalog)
    # The shipped catalogs are placeholders; a real PKCS#7 SignedData (an Authenticode signature cut out of a signed
    # fixture) lets the fuzzer reach past the container into the content-type and trust-list checks.
    seed "$bundles"/*/catalogs/*.cat
    for signed in "$repo"/fixtures/pe/sig-*.dll; do
      osslsigncode extract-signature -in "$signed" -out "$dir/$(basename "$signed" .dll).p7" >/dev/null 2>&1 || true
    done ;;
  pem) seed "$bundles"/*/certstores/*.pem ;;
  task-xml) seed "$bundles"/*/tasks/**/*.xml ;;
  processes-csv) seed "$bundles"/*/processes.csv ;;
  files-csv) seed "$bundles"/*/files.csv ;;
  task-runs-csv) seed "$bundles"/*/task-runs.csv ;;
  autoruns-json) seed "$bundles"/*/autoruns.json ;;
  host-json) seed "$bundles"/*/host.json ;;
  programs-json) seed "$bundles"/*/programs.json ;;
  extensions-json) seed "$bundles"/*/browser-extensions.json ;;
  defender-json) seed "$bundles"/*/defender.json ;;
  com-json) seed "$bundles"/*/com.json ;;
  bundle-zip)
    for name in csrsss-runkey trailing-space-runkey comhandler-hijack; do
      (cd "$bundles/$name" && zip -q -r -X "$dir/$name.zip" .)
    done ;;
  *) echo "seeds.sh: unknown target '$target'" >&2; exit 64 ;;
esac

if [ -z "$(ls -A "$dir")" ]; then
  echo "seeds.sh: no seed found for '$target'" >&2
  exit 1
fi
