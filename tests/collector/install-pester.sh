#!/usr/bin/env bash
# Downloads Pester 5.7.1 from the NuGet feed (the PowerShell Gallery is not reachable) by restoring a tiny project
# that only holds a PackageDownload, then prints the path of Pester.psd1. The NuGet.org Pester package has the
# Chocolatey layout: the module sits in tools/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
artifacts="${TMPDIR:-/tmp}/csrss-collector-pester"
dotnet restore "$here/pester/pester.csproj" --artifacts-path "$artifacts" >&2
packages="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')"
psd1="${packages%/}/pester/5.7.1/tools/Pester.psd1"
if [[ ! -f "$psd1" ]]; then
  echo "install-pester.sh: Pester.psd1 not found at $psd1" >&2
  exit 1
fi
echo "$psd1"
