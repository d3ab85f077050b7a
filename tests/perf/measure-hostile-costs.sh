#!/usr/bin/env bash
# Measures wall time and peak memory of `analyze` on each bundle folder under INPUT (made by
# make-hostile-cost-bundles.py), one at a time, with the Release build of the CLI.
# usage: tests/perf/measure-hostile-costs.sh INPUT [CLI_DLL]
set -uo pipefail
input=$1
cli=${2:-src/CsrssForensics.Cli/bin/Release/net10.0/csrss-forensics.dll}
out=$(mktemp -d)
for bundle in "$input"/*/; do
  name=$(basename "$bundle")
  /usr/bin/time -f "$name wall=%e s maxrss=%M KB" dotnet "$cli" analyze "$bundle" --out "$out/$name" -q >/dev/null 2>"$out/$name.err"
  echo "exit=$? $(tail -1 "$out/$name.err")"
done
rm -rf "$out"
