#!/usr/bin/env bash
# CI check of the release build: publishes linux-x64 with scripts/publish.sh, runs the published executable on a
# fixture bundle and compares every report, byte for byte, with the reports of `dotnet run` (the Release build test.sh
# made). A trimming or single-file difference that changes output fails here.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# dotnet publish prints its errors on stdout: keep them, and show them when the publish fails.
if ! PUBLISH_DIR="$work/publish" scripts/publish.sh linux-x64 >"$work/publish.log" 2>&1; then
  grep -E 'error|warning' "$work/publish.log" >&2 || tail -40 "$work/publish.log" >&2
  echo "publish-check: scripts/publish.sh linux-x64 failed (above)" >&2
  exit 1
fi
binary=$(ls "$work"/publish/csrss-forensics-*-linux-x64)

fixture=fixtures/bundles/appdata-csrss-task
formats=md,html,json,csv,jsonl,timesketch
# Exit code 1 is the expected "compromised" verdict of this fixture; anything but a verdict code fails.
run() {
  local out=$1
  shift
  "$@" analyze "$fixture" --out "$out" --format "$formats" --quiet >/dev/null || [ $? -le 3 ]
}
run "$work/published" "$binary"
run "$work/dotnet-run" dotnet run --no-build -c Release --project src/CsrssForensics.Cli --

for report in "$work"/dotnet-run/report.*; do
  name=$(basename "$report")
  cmp "$report" "$work/published/$name"
done

# Two bundles make a case database: DuckDB's native library must be inside the single file and load from it.
"$binary" analyze "$fixture" fixtures/bundles/clean-two-sessions --out "$work/batch" --quiet >/dev/null || [ $? -le 3 ]
if ! "$binary" query "$work/batch/case.duckdb" "SELECT 42 AS answer" | grep -q 42; then
  echo "publish-check: the published binary could not query its DuckDB case database" >&2
  exit 1
fi
echo "publish-check: published linux-x64 binary gives byte-identical reports ($(ls "$work"/dotnet-run | wc -l) files) and opens a DuckDB case"
