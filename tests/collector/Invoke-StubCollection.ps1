<#
.SYNOPSIS
    Runs collect.ps1 against the fake system root with the FakeHost stubs and returns where the bundle went.
    Used by the Pester tests and by make-fixture.sh.
#>
param(
    [Parameter(Mandatory = $true)][string]$WorkDirectory,
    [string]$StubScope = 'Standard',
    [long]$StubMaxBinaryBytes = 67108864
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$work = $WorkDirectory
$stubScope = $StubScope
$stubMax = $StubMaxBinaryBytes
$repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
$root = Join-Path $work 'root'
& (Join-Path $PSScriptRoot 'fake/New-FakeSystemRoot.ps1') -Path $root
# Dot-sourcing binds collect.ps1's parameters in this scope; ours were copied above under other names.
. (Join-Path $repo 'collect.ps1') -NoRun
. (Join-Path $PSScriptRoot 'fake/FakeHost.ps1')
$zip = Join-Path $work 'bundle.zip'
$result = Invoke-Collection -OutputPath $zip -Operator 'stub-operator' -Scope $stubScope -MaxBinaryBytes $stubMax -FileSystemRoot $root
[pscustomobject]@{ Zip = $result.Path; Sha256 = $result.Sha256; Root = $root; Calls = @($StubCalls); Result = $result }
