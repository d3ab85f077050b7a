#!/usr/bin/env bash
# Publishes csrss-forensics as self-contained single-file executables (no .NET install needed on the target) and writes
# SHA256SUMS beside them.
#   scripts/publish.sh [RID ...]     default RIDs: win-x64 linux-x64 osx-arm64
#   PUBLISH_DIR=dir                  output folder (default artifacts/publish)
#   PUBLISH_TRIM=partial|none        trimming (default partial: only framework assemblies marked trimmable are trimmed;
#                                    our code and the packages keep every type, so nothing reached by reflection is lost)
# ReadyToRun is on: the tool starts with precompiled code instead of JIT-compiling every method on each run. Tiered
# compilation is off in the published executables, so that precompiled code is kept instead of being compiled a second
# time once it gets hot: on 2 cores the re-compiling thread took a quarter of the CPU of `verify` over 3,198 DLLs, and
# turning it off cut the CPU of `verify` by about a quarter and of `analyze` on the 5k bundle by half, for 0.07 s more on
# the tiny fixture (docs/performance.md). The development build (`dotnet build`, no ReadyToRun) keeps it on: there it
# is what avoids fully optimising every method on first call.
# DuckDB's native library (runtimes/<rid>/native of DuckDB.NET.Bindings.Full; osx-arm64 takes the universal `osx` one)
# is bundled and extracted on first run; each executable is checked to carry it.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${PUBLISH_DIR:-artifacts/publish}
trim=${PUBLISH_TRIM:-partial}
rids=("$@")
if [ ${#rids[@]} -eq 0 ]; then
  rids=(win-x64 linux-x64 osx-arm64)
fi
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)

trim_args=(-p:PublishTrimmed=false)
if [ "$trim" = "partial" ]; then
  trim_args=(-p:PublishTrimmed=true -p:TrimMode=partial)
fi

mkdir -p "$out"
for rid in "${rids[@]}"; do
  staging="$out/.staging-$rid"
  rm -rf "$staging"
  # A separate artifacts folder: the publish properties apply to every project, and building them into the usual
  # bin/obj folders would overwrite the development build that tests and `dotnet run --no-build` use.
  dotnet publish src/CsrssForensics.Cli -c Release -r "$rid" --self-contained true --artifacts-path "$out/.build" \
    -p:PublishSingleFile=true -p:PublishReadyToRun=true -p:IncludeNativeLibrariesForSelfExtract=true \
    -p:DebugType=none -p:TieredCompilation=false "${trim_args[@]}" \
    -o "$staging"
  extension=""
  duckdb=libduckdb.so
  case "$rid" in
    win-*) extension=".exe" duckdb=duckdb.dll ;;
    osx-*) duckdb=libduckdb.dylib ;;
  esac
  # The single-file bundle's manifest names every file it carries; a file left beside the executable would be lost
  # (the XML documentation files the build writes there are not needed to run).
  if ! grep -q -a -F "$duckdb" "$staging/csrss-forensics$extension"; then
    echo "publish: $rid executable does not carry $duckdb (DuckDB's native library)" >&2
    exit 1
  fi
  left=$(find "$staging" -type f ! -name "csrss-forensics$extension" ! -name '*.xml')
  if [ -n "$left" ]; then
    echo "publish: $rid files outside the single file (they would not ship): $left" >&2
    exit 1
  fi
  mv "$staging/csrss-forensics$extension" "$out/csrss-forensics-$version-$rid$extension"
  rm -rf "$staging"
done

rm -rf "$out/.build"

# One line per executable in the folder, in the format `sha256sum -c` reads.
(cd "$out" && sha256sum csrss-forensics-"$version"-* > SHA256SUMS && cat SHA256SUMS)
