#!/usr/bin/env bash
# Runs the collector's Pester tests off Windows: restores the local PowerShell 7.6.9 tool and Pester, then runs every
# *.Tests.ps1 under tests/collector. Exits non-zero when a test fails.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
dotnet tool restore >&2
pester="$("$here/install-pester.sh")"
export NO_COLOR=1
dotnet tool run pwsh -NoProfile -NonInteractive -File "$here/Run-Pester.ps1" -PesterPath "$pester" "$@"
