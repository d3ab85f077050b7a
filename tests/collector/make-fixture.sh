#!/usr/bin/env bash
# Regenerates fixtures/bundles/collector-stub/: runs collect.ps1 against the fake system root with the FakeHost stubs
# (fixed clock, fixed file bytes and times) and unzips the bundle there. Its note is fixtures/bundles/collector-stub.HOW-MADE.md, beside the bundle so the manifest covers every file inside.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
dotnet tool restore >&2
export NO_COLOR=1
dotnet tool run pwsh -NoProfile -NonInteractive -File "$here/Export-StubFixture.ps1" -Destination "$repo/fixtures/bundles/collector-stub"
