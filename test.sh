#!/usr/bin/env bash
# Runs every test of the project: the .NET test projects and the collector's Pester tests.
# Installs what the tests need when it can (as root: osslsigncode and chromium from Debian), otherwise says what to install.
set -euo pipefail
cd "$(dirname "$0")"

need_packages=()
command -v osslsigncode >/dev/null 2>&1 || need_packages+=(osslsigncode)
command -v openssl >/dev/null 2>&1 || need_packages+=(openssl)   # referee for RSASSA-PSS signer signatures (openssl cms)
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need_packages+=(chromium)
command -v jq >/dev/null 2>&1 || need_packages+=(jq)   # .ci/conformance reads verify's JSON with it
command -v afl-fuzz >/dev/null 2>&1 || need_packages+=(afl++)   # fuzz/run.sh: the smoke pass of every parser harness
command -v zip >/dev/null 2>&1 || need_packages+=(zip)   # fuzz/seeds.sh zips fixture bundles as seeds
command -v python3 >/dev/null 2>&1 || need_packages+=(python3)   # tests/perf/reading-floor.py, the bench's script floor (ScriptFloorTests)
if [ ${#need_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${need_packages[*]} (needed by the signature oracle and browser tests)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_packages[@]}" >/dev/null
  else
    echo "test.sh: missing ${need_packages[*]}. Install them first, e.g.: sudo apt-get install -y ${need_packages[*]}" >&2
    exit 2
  fi
fi

dotnet tool restore
dotnet build CsrssForensics.sln -c Release
dotnet test CsrssForensics.sln -c Release --no-build
# The release build: publish linux-x64 single-file and compare its reports with dotnet run's, byte for byte.
scripts/publish-check.sh
tests/collector/run-tests.sh
# A few seconds of coverage-guided fuzzing per parser (fuzz/README.md); a crash or a hang fails the run.
fuzz/run.sh all "${FUZZ_SMOKE_SECONDS:-5}"
