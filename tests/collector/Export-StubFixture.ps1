param([Parameter(Mandatory = $true)][string]$Destination)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$work = Join-Path ([IO.Path]::GetTempPath()) ('csrss-collector-fixture-' + [guid]::NewGuid().ToString('N'))
[void](New-Item -ItemType Directory -Path $work)
try {
    $run = & (Join-Path $PSScriptRoot 'Invoke-StubCollection.ps1') -WorkDirectory $work
    if (Test-Path -LiteralPath $Destination) {
        Get-ChildItem -LiteralPath $Destination -Force | Remove-Item -Recurse -Force
    }
    else { [void](New-Item -ItemType Directory -Path $Destination) }
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $zip = [IO.Compression.ZipFile]::OpenRead($run.Zip)
    try {
        foreach ($e in $zip.Entries) {
            $target = Join-Path $Destination $e.FullName
            $dir = Split-Path -Parent $target
            if (-not (Test-Path -LiteralPath $dir)) { [void](New-Item -ItemType Directory -Path $dir -Force) }
            $in = $e.Open(); $out = [IO.File]::Create($target)
            try { $in.CopyTo($out) } finally { $out.Dispose(); $in.Dispose() }
        }
    }
    finally { $zip.Dispose() }
    'fixture written to {0} ({1} files); zip SHA-256 of this run: {2}' -f $Destination, @(Get-ChildItem -LiteralPath $Destination -Recurse -File).Count, $run.Sha256
}
finally { Remove-Item -LiteralPath $work -Recurse -Force }
