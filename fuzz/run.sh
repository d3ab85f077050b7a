#!/usr/bin/env bash
# fuzz/run.sh TARGET SECONDS: coverage-guided fuzzing of one parser with afl-fuzz and SharpFuzz.
# Builds the harness once into fuzz/out/bin, instruments the project's assemblies there (never the normal build),
# seeds the corpus from the fixtures, runs afl-fuzz for SECONDS and prints executions, paths, crashes and hangs.
# Exit 0 when no crash and no hang was found, 1 otherwise (the inputs are kept in fuzz/out/TARGET/default/{crashes,hangs}).
# `fuzz/run.sh all SECONDS` runs every harness in turn.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
out="$here/out"
bin="$out/bin"
target=${1:?usage: fuzz/run.sh TARGET|all SECONDS}
seconds=${2:?usage: fuzz/run.sh TARGET|all SECONDS}

if ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "fuzz/run.sh: afl-fuzz is missing; install Debian's afl++ (apt-get install -y afl++)" >&2
  exit 2
fi

# Rebuild when the sources changed since the last instrumented build (the stamp holds a digest of them).
stamp=$(cd "$repo" && { git rev-parse HEAD; git diff HEAD -- src fuzz/CsrssForensics.Fuzz; } 2>/dev/null | sha256sum | cut -c1-16)
if [ "$(cat "$bin/.instrumented" 2>/dev/null)" != "$stamp" ]; then
  (cd "$repo" && dotnet tool restore >/dev/null)
  rm -rf "$bin"
  dotnet publish "$here/CsrssForensics.Fuzz/CsrssForensics.Fuzz.csproj" -c Release -o "$bin" --nologo -v quiet >/dev/null
  for assembly in Core Bundle Pe Rules Analysis Reporting; do
    (cd "$repo" && dotnet tool run sharpfuzz "$bin/CsrssForensics.$assembly.dll" >/dev/null)
  done
  echo "$stamp" > "$bin/.instrumented"
fi

if [ "$target" = all ]; then
  # The harness lists its targets in its usage line (it exits 64 for usage, which is expected here).
  targets=$( (dotnet "$bin/CsrssForensics.Fuzz.dll" 2>&1 || true) | sed -n 's/.*targets: //p' | tr -d ',')
  [ -n "$targets" ] || { echo "fuzz/run.sh: the harness listed no targets" >&2; exit 1; }
  status=0
  for t in $targets; do "$0" "$t" "$seconds" || status=1; done
  exit $status
fi

findings="$out/$target"
seeds="$out/seeds-$target"
rm -rf "$findings" "$seeds"
"$here/seeds.sh" "$target" "$seeds"

# dotnet itself is not instrumented by afl's compiler (SharpFuzz reports coverage from the managed code), no core
# dump handler is configured in containers, and there is no screen to draw the status on.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1
afl-fuzz -V "$seconds" -i "$seeds" -o "$findings" -t 10000 -m none -- dotnet "$bin/CsrssForensics.Fuzz.dll" "$target" >"$findings.log" 2>&1 || {
  echo "fuzz/run.sh: afl-fuzz failed for $target; see $findings.log" >&2
  tail -20 "$findings.log" >&2
  exit 1
}

stats="$findings/default/fuzzer_stats"
value() { sed -n "s/^$1 *: *//p" "$stats"; }
crashes=$(value saved_crashes)
hangs=$(value saved_hangs)
printf '%-16s %10s execs  %6s paths  %s crashes  %s hangs  (%ss)\n' \
  "$target" "$(value execs_done)" "$(value corpus_count)" "$crashes" "$hangs" "$seconds"
[ "$crashes" = 0 ] && [ "$hangs" = 0 ]
