#!/usr/bin/env bash
# Publishes csrss-forensics as self-contained single-file executables (no .NET install needed on the target) and writes
# SHA256SUMS beside them.
#   scripts/publish.sh [RID ...]     default RIDs: win-x64 linux-x64 osx-arm64
#   PUBLISH_DIR=dir                  output folder (default artifacts/publish)
#   PUBLISH_TRIM=partial|none        trimming (default partial: only framework assemblies marked trimmable are trimmed;
#                                    our code and the packages keep every type, so nothing reached by reflection is lost)
# ReadyToRun is on: the tool starts with precompiled code instead of JIT-compiling every method on each run.
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
    -p:DebugType=none "${trim_args[@]}" \
    -o "$staging"
  extension=""
  case "$rid" in win-*) extension=".exe" ;; esac
  mv "$staging/csrss-forensics$extension" "$out/csrss-forensics-$version-$rid$extension"
  rm -rf "$staging"
done

rm -rf "$out/.build"

# One line per executable in the folder, in the format `sha256sum -c` reads.
(cd "$out" && sha256sum csrss-forensics-"$version"-* > SHA256SUMS && cat SHA256SUMS)
