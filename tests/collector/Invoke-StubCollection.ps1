<#
.SYNOPSIS
    Runs collect.ps1 against the fake system root with the FakeHost stubs and returns where the bundle went.
    Used by the Pester tests and by make-fixture.sh.
.PARAMETER UseExistingRoot
    The fake root at <WorkDirectory>/root was built (and maybe changed) by the caller; do not build it.
.PARAMETER ExtraStubs
    A script block dot-sourced after FakeHost.ps1: its functions replace the standard stubs (e.g. a non-elevated host).
#>
param(
    [Parameter(Mandatory = $true)][string]$WorkDirectory,
    [string]$StubScope = 'Standard',
    [long]$StubMaxBinaryBytes = 67108864,
    [switch]$UseExistingRoot,
    [string]$StubOutputPath,
    [scriptblock]$ExtraStubs
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
# Dot-sourcing collect.ps1 binds its parameters in this scope; keep ours under other names first.
$stubWork = $WorkDirectory
$stubScopeValue = $StubScope
$stubMax = $StubMaxBinaryBytes
$stubExtra = $ExtraStubs
$stubOut = $StubOutputPath
$stubRepo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
$stubRoot = Join-Path $stubWork 'root'
if (-not $UseExistingRoot) { & (Join-Path $PSScriptRoot 'fake/New-FakeSystemRoot.ps1') -Path $stubRoot }
. (Join-Path $stubRepo 'collect.ps1') -NoRun
. (Join-Path $PSScriptRoot 'fake/FakeHost.ps1')
if ($stubExtra) { . $stubExtra }
$stubZip = Join-Path $stubWork 'bundle.zip'
if ($stubOut) { $stubZip = $stubOut }
$stubResult = Invoke-Collection -OutputPath $stubZip -Operator 'stub-operator' -Scope $stubScopeValue -MaxBinaryBytes $stubMax -FileSystemRoot $stubRoot
[pscustomobject]@{ Zip = $stubResult.Path; Sha256 = $stubResult.Sha256; Root = $stubRoot; Calls = @($StubCalls); Result = $stubResult }
