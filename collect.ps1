<#
.SYNOPSIS
    Collects a read-only evidence bundle (format csrss-forensics-bundle 1.0) for judging whether csrss.exe and other
    core Windows processes on this host are genuine.

.DESCRIPTION
    Gathers processes, file records and byte copies of process images, core-name files and their look-alikes,
    scheduled-task XML, autostart entries, certificate stores, host facts, installed programs, browser extensions
    and Defender state, writes manifest.json with the SHA-256 of every file, and packs everything into one .zip.
    Runs on Windows PowerShell 5.1 and PowerShell 7, needs no module, and changes nothing on the host (it reads
    files, registry, tasks and services; it writes only the bundle and a staging folder beside it, removed at the end).
    Without administrator rights it collects what it can and records what it could not in manifest.json errors[].

.PARAMETER OutputPath
    Path of the .zip to write, or an existing folder to write it into. Default: csrss-bundle-<HOST>-<yyyyMMddTHHmmssZ>.zip
    in the current folder (in the script's folder when the current folder is inside the Windows folder).
.PARAMETER Operator
    Name of the person running the collection (written to manifest.json).
.PARAMETER MaxBinaryBytes
    Files larger than this are recorded (hash, signature) but not copied into binaries/. Default 64 MB.
.PARAMETER Scope
    Quick: top-level folders only, copies only core-name/suspicious files. Standard (default): user-writable places
    searched in depth, every process image copied. Full: also searches the Windows and Program Files trees in depth.
.PARAMETER FileSystemRoot
    Test seam: a folder that stands for the system drive (C:\). Host paths in the bundle keep their Windows form.
.PARAMETER NoRun
    Test seam: only define the functions (dot-source the script), collect nothing.

.EXAMPLE
    powershell.exe -ExecutionPolicy Bypass -File E:\collect.ps1 -Operator jdoe
#>
[CmdletBinding()]
param(
    [string]$OutputPath,
    [string]$Operator = '',
    [long]$MaxBinaryBytes = 67108864,
    [ValidateSet('Quick', 'Standard', 'Full')]
    [string]$Scope = 'Standard',
    [string]$FileSystemRoot,
    [switch]$NoRun
)

# Keep this file ASCII only: Windows PowerShell 5.1 reads a BOM-less script as ANSI.

$CollectorName = 'collect.ps1'
$CollectorVersion = '1.0.0'
$BundleFormat = 'csrss-forensics-bundle'
$BundleFormatVersion = '1.0'

# Names of core Windows processes that malware imitates; a file named like one of these (or a look-alike) is of interest.
$CoreProcessNames = @(
    'csrss', 'smss', 'wininit', 'winlogon', 'services', 'lsass', 'lsaiso', 'svchost', 'explorer', 'conhost', 'dwm',
    'taskhostw', 'spoolsv', 'fontdrvhost', 'sihost', 'runtimebroker', 'userinit', 'ctfmon', 'dllhost', 'wmiprvse',
    'audiodg', 'searchindexer', 'taskmgr', 'rundll32', 'regsvr32', 'msmpeng'
)
$ExecutableExtensions = @('.exe', '.com', '.scr', '.pif')
# Executables and scripts collected from the folder of a suspicious copy.
$SiblingExtensions = @('.exe', '.dll', '.com', '.scr', '.pif', '.sys', '.cpl', '.bat', '.cmd', '.ps1', '.psm1', '.vbs',
    '.vbe', '.js', '.jse', '.wsf', '.wsh', '.hta', '.lnk', '.msi', '.jar', '.py',
    # Configuration a fake ships with: a miner's pool and wallet live in these, and the analyzer reads them.
    '.json', '.ini', '.cfg', '.conf', '.config', '.txt', '.xml', '.yaml', '.yml', '.toml')
$MaxSiblingsPerFolder = 200

# ---- formatting helpers

function Format-UtcTime {
    # Every time in the bundle: UTC, ISO 8601, 'Z', fraction only when there is one.
    param($Value)
    if ($null -eq $Value) { return $null }
    $dt = $null
    if ($Value -is [datetime]) {
        $dt = $Value
        if ($dt.Kind -ne [DateTimeKind]::Utc) { $dt = $dt.ToUniversalTime() }
    }
    elseif ($Value -is [datetimeoffset]) {
        $dt = $Value.UtcDateTime
    }
    else {
        $text = [string]$Value
        if ($text -eq '') { return $null }
        # WMI DMTF form (Get-WmiObject): yyyyMMddHHmmss.ffffff+UUU (UUU = minutes east of UTC).
        $m = [regex]::Match($text, '^(\d{14})\.(\d{6})([+-])(\d{3})$')
        if ($m.Success) {
            $local = [datetime]::ParseExact($m.Groups[1].Value, 'yyyyMMddHHmmss', [Globalization.CultureInfo]::InvariantCulture)
            $local = $local.AddTicks([long]$m.Groups[2].Value * 10)
            $offset = [int]$m.Groups[4].Value
            if ($m.Groups[3].Value -eq '-') { $offset = -$offset }
            $dt = [datetime]::SpecifyKind($local.AddMinutes(-$offset), [DateTimeKind]::Utc)
        }
        else {
            $parsed = [datetimeoffset]::MinValue
            $styles = [Globalization.DateTimeStyles]::AssumeUniversal
            if (-not [datetimeoffset]::TryParse($text, [Globalization.CultureInfo]::InvariantCulture, $styles, [ref]$parsed)) { return $null }
            $dt = $parsed.UtcDateTime
        }
    }
    if ($dt.Year -lt 1602) { return $null }
    return $dt.ToString('yyyy-MM-ddTHH:mm:ss.FFFFFFFZ', [Globalization.CultureInfo]::InvariantCulture)
}

function ConvertTo-JsonString {
    param([string]$Text)
    $sb = New-Object System.Text.StringBuilder
    [void]$sb.Append('"')
    foreach ($ch in $Text.ToCharArray()) {
        $code = [int]$ch
        if ($ch -eq '"') { [void]$sb.Append('\"') }
        elseif ($ch -eq '\') { [void]$sb.Append('\\') }
        elseif ($code -eq 10) { [void]$sb.Append('\n') }
        elseif ($code -eq 13) { [void]$sb.Append('\r') }
        elseif ($code -eq 9) { [void]$sb.Append('\t') }
        elseif ($code -lt 32 -or ($code -ge 0xD800 -and $code -le 0xDFFF) -or $code -eq 0x2028 -or $code -eq 0x2029) {
            # Lone surrogates and control characters (attacker-controlled strings) are escaped so the output stays valid UTF-8.
            [void]$sb.Append('\u').Append($code.ToString('x4'))
        }
        else { [void]$sb.Append($ch) }
    }
    [void]$sb.Append('"')
    return $sb.ToString()
}

function ConvertTo-BundleJson {
    # Own serializer: ConvertTo-Json differs between 5.1 and 7 (dates, depth, escaping); this one is the same on both.
    param($Value, [int]$Indent = 0)
    $pad = '  ' * ($Indent + 1)
    $end = '  ' * $Indent
    if ($null -eq $Value) { return 'null' }
    if ($Value -is [string] -or $Value -is [char] -or $Value -is [guid]) { return (ConvertTo-JsonString ([string]$Value)) }
    if ($Value -is [bool]) { if ($Value) { return 'true' } else { return 'false' } }
    if ($Value -is [datetime] -or $Value -is [datetimeoffset]) { return (ConvertTo-JsonString (Format-UtcTime $Value)) }
    if ($Value -is [int] -or $Value -is [long] -or $Value -is [uint32] -or $Value -is [uint64] -or $Value -is [int16] -or
        $Value -is [uint16] -or $Value -is [byte] -or $Value -is [sbyte]) {
        return ([string]$Value)
    }
    if ($Value -is [double] -or $Value -is [single] -or $Value -is [decimal]) {
        return ([double]$Value).ToString('R', [Globalization.CultureInfo]::InvariantCulture)
    }
    if ($Value -is [System.Collections.IDictionary]) {
        if ($Value.Count -eq 0) { return '{}' }
        $parts = New-Object System.Collections.Generic.List[string]
        foreach ($k in $Value.Keys) {
            $parts.Add($pad + (ConvertTo-JsonString ([string]$k)) + ': ' + (ConvertTo-BundleJson -Value $Value[$k] -Indent ($Indent + 1)))
        }
        return "{`n" + ($parts -join ",`n") + "`n$end}"
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        $parts = New-Object System.Collections.Generic.List[string]
        foreach ($item in $Value) { $parts.Add($pad + (ConvertTo-BundleJson -Value $item -Indent ($Indent + 1))) }
        if ($parts.Count -eq 0) { return '[]' }
        return "[`n" + ($parts -join ",`n") + "`n$end]"
    }
    if ($Value -is [System.Management.Automation.PSCustomObject]) {
        $map = [ordered]@{}
        foreach ($p in $Value.PSObject.Properties) { $map[$p.Name] = $p.Value }
        return (ConvertTo-BundleJson -Value $map -Indent $Indent)
    }
    return (ConvertTo-JsonString ([string]$Value))
}

function ConvertTo-CsvField {
    param($Value)
    if ($null -eq $Value) { return '' }
    $text = [string]$Value
    if ($Value -is [double] -or $Value -is [single] -or $Value -is [decimal]) {
        $text = ([double]$Value).ToString('0.##', [Globalization.CultureInfo]::InvariantCulture)
    }
    if ($text.IndexOfAny([char[]]@(',', '"', "`r", "`n")) -ge 0 -or $text.Trim() -ne $text) {
        return '"' + $text.Replace('"', '""') + '"'
    }
    return $text
}

function ConvertTo-CsvText {
    # RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break.
    param([string[]]$Columns, $Rows)
    $sb = New-Object System.Text.StringBuilder
    [void]$sb.Append(($Columns -join ',')).Append("`r`n")
    foreach ($row in $Rows) {
        $cells = foreach ($c in $Columns) { ConvertTo-CsvField $row[$c] }
        [void]$sb.Append((@($cells) -join ',')).Append("`r`n")
    }
    return $sb.ToString()
}

function Write-BundleText {
    # UTF-8 without BOM, explicit, because 5.1's Out-File/Set-Content write UTF-16 or ANSI.
    param($Context, [string]$RelativePath, [string]$Text)
    $full = Join-Path $Context.Staging ($RelativePath.Replace('/', [IO.Path]::DirectorySeparatorChar))
    $dir = Split-Path -Parent $full
    if (-not (Test-Path -LiteralPath $dir)) { [void](New-Item -ItemType Directory -Path $dir -Force) }
    [IO.File]::WriteAllText($full, $Text, (New-Object System.Text.UTF8Encoding $false))
}

function Add-CollectionError {
    param($Context, [string]$Item, [string]$Message)
    $Context.Errors.Add([ordered]@{ item = $Item; message = $Message })
    Write-Verbose ("error: {0}: {1}" -f $Item, $Message)
}

function Get-ErrorText {
    param($ErrorRecord)
    $ex = $ErrorRecord
    if ($ErrorRecord -is [System.Management.Automation.ErrorRecord]) { $ex = $ErrorRecord.Exception }
    while ($ex -is [System.Management.Automation.MethodInvocationException] -and $null -ne $ex.InnerException) { $ex = $ex.InnerException }
    return ($ex.GetType().Name + ': ' + $ex.Message).Trim()
}

function Write-Step {
    param($Context, [string]$Status)
    $Context.Step++
    $pct = [math]::Min(100, [int](100 * $Context.Step / $Context.StepCount))
    Write-Progress -Activity 'Collecting csrss forensics bundle' -Status $Status -PercentComplete $pct
    Write-Verbose ("step {0}/{1}: {2}" -f $Context.Step, $Context.StepCount, $Status)
}

# ---- host paths

function ConvertTo-LocalPath {
    # Host path (C:\Windows\...) -> path to open. Identity on a real host; below -FileSystemRoot in tests.
    param($Context, [string]$HostPath)
    if (-not $Context.RootPrefix) { return $HostPath }
    $m = [regex]::Match($HostPath, '^[A-Za-z]:\\?(.*)$')
    if (-not $m.Success) { return $null }
    $current = $Context.RootPrefix
    foreach ($segment in ($m.Groups[1].Value -split '\\')) {
        if ($segment -eq '') { continue }
        $next = Join-Path $current $segment
        if (-not (Test-Path -LiteralPath $next) -and (Test-Path -LiteralPath $current -PathType Container)) {
            # Windows paths are case-insensitive; the fake root is not.
            $match = Get-ChildItem -LiteralPath $current -Force -ErrorAction SilentlyContinue |
                Where-Object { $_.Name -ieq $segment } | Select-Object -First 1
            if ($match) { $next = $match.FullName }
        }
        $current = $next
    }
    return $current
}

function ConvertTo-HostPath {
    param($Context, [string]$LocalPath)
    if (-not $Context.RootPrefix) { return $LocalPath }
    $prefix = $Context.RootPrefix.TrimEnd([IO.Path]::DirectorySeparatorChar)
    if ($LocalPath.StartsWith($prefix, [StringComparison]::Ordinal)) {
        $rest = $LocalPath.Substring($prefix.Length).TrimStart([IO.Path]::DirectorySeparatorChar)
        return $Context.Env.SystemDrive + '\' + $rest.Replace([IO.Path]::DirectorySeparatorChar, '\')
    }
    return $LocalPath
}

function Expand-HostVariables {
    # Expands %VAR% from the host's environment table (never from this process's environment in tests).
    param($Context, [string]$Text, $Extra)
    if (-not $Text) { return $Text }
    return [regex]::Replace($Text, '%([^%\\]+)%', {
            param($match)
            $name = $match.Groups[1].Value
            if ($Extra -and $Extra.Contains($name.ToUpperInvariant())) { return $Extra[$name.ToUpperInvariant()] }
            if ($Context.Variables.Contains($name.ToUpperInvariant())) { return $Context.Variables[$name.ToUpperInvariant()] }
            return $match.Value
        })
}

function Resolve-CommandPaths {
    # From a command line, the host paths of the files it would run: the program, plus any absolute path to an
    # executable or script among its arguments (rundll32 x.dll, wscript x.vbs, cmd /c x.bat ...).
    param($Context, [string]$Command, $Extra)
    $found = New-Object System.Collections.Generic.List[string]
    if (-not $Command) { return @() }
    $text = (Expand-HostVariables -Context $Context -Text $Command.Trim() -Extra $Extra)
    $sysRoot = $Context.Env.SystemRoot
    # Service ImagePath forms: \SystemRoot\..., System32\..., \??\C:\...
    if ($text -match '^(?i)\\SystemRoot\\') { $text = $sysRoot + $text.Substring(11) }
    elseif ($text -match '^(?i)system32\\') { $text = $sysRoot + '\' + $text }
    elseif ($text.StartsWith('\??\')) { $text = $text.Substring(4) }
    $program = $null
    if ($text.StartsWith('"')) {
        $close = $text.IndexOf('"', 1)
        if ($close -gt 1) { $program = $text.Substring(1, $close - 1) }
    }
    else {
        # Unquoted: CreateProcess tries ever longer space-separated prefixes.
        $pieces = $text -split ' '
        for ($i = 1; $i -le $pieces.Count; $i++) {
            $candidate = ($pieces[0..($i - 1)] -join ' ').TrimEnd(',')
            foreach ($try in @($candidate, ($candidate + '.exe'))) {
                if ($try -match '^[A-Za-z]:\\') {
                    $local = ConvertTo-LocalPath -Context $Context -HostPath $try
                    if ($local -and (Test-Path -LiteralPath $local -PathType Leaf)) { $program = $try; break }
                }
            }
            if ($program) { break }
        }
        if (-not $program) { $program = $pieces[0].TrimEnd(',') }
    }
    if ($program) {
        if ($program -notmatch '^[A-Za-z]:\\' -and $program -notmatch '\\') {
            # A bare name runs from System32 (rundll32.exe, cmd.exe ...).
            # A bare name is searched like CreateProcess does: System32, then the Windows folder.
            $name = $program
            if (-not [IO.Path]::GetExtension($name)) { $name = $name + '.exe' }
            $program = $sysRoot + '\System32\' + $name
            $inWindows = ConvertTo-LocalPath -Context $Context -HostPath ($sysRoot + '\' + $name)
            $inSystem32 = ConvertTo-LocalPath -Context $Context -HostPath $program
            if (-not ($inSystem32 -and (Test-Path -LiteralPath $inSystem32 -PathType Leaf)) -and $inWindows -and (Test-Path -LiteralPath $inWindows -PathType Leaf)) {
                $program = $sysRoot + '\' + $name
            }
        }
        if ($program -match '^[A-Za-z]:\\') { $found.Add($program) }
    }
    $pattern = '(?i)([a-z]:\\[^"<>|*?\r\n,]*?\.(?:exe|dll|com|scr|pif|sys|cpl|bat|cmd|ps1|psm1|vbs|vbe|js|jse|wsf|hta|jar|py|msi))(?=$|[\s",;])'
    foreach ($m in [regex]::Matches($text, $pattern)) {
        $p = $m.Groups[1].Value
        if (-not ($found -contains $p)) { $found.Add($p) }
    }
    return @($found)
}

function Get-NameMatchKind {
    # 'core' for an exact core-process name, 'lookalike' for a near miss (csrsss, cssrs, csrs, c5rss...), else $null.
    param([string]$FileName)
    $ext = [IO.Path]::GetExtension($FileName).ToLowerInvariant()
    if (-not ($ExecutableExtensions -contains $ext)) { return $null }
    $base = [IO.Path]::GetFileNameWithoutExtension($FileName).ToLowerInvariant()
    if ($CoreProcessNames -contains $base) { return 'core' }
    # Common character swaps used to fake a name.
    $folded = $base.Replace('rn', 'm').Replace('vv', 'w').Replace('0', 'o').Replace('1', 'l').Replace('5', 's').Replace('i', 'l')
    foreach ($core in $CoreProcessNames) {
        $coreFolded = $core.Replace('i', 'l')
        if ($folded -eq $coreFolded) { return 'lookalike' }
        if ($core.Length -ge 5 -and (Get-EditDistance $folded $coreFolded) -le 1) { return 'lookalike' }
    }
    return $null
}

function Get-EditDistance {
    # Optimal string alignment distance (Levenshtein plus adjacent transposition).
    param([string]$A, [string]$B)
    if ([math]::Abs($A.Length - $B.Length) -gt 1) { return 2 }
    $d = New-Object 'int[,]' ($A.Length + 1), ($B.Length + 1)
    for ($i = 0; $i -le $A.Length; $i++) { $d[$i, 0] = $i }
    for ($j = 0; $j -le $B.Length; $j++) { $d[0, $j] = $j }
    for ($i = 1; $i -le $A.Length; $i++) {
        for ($j = 1; $j -le $B.Length; $j++) {
            $cost = 1
            if ($A[$i - 1] -eq $B[$j - 1]) { $cost = 0 }
            $v = [math]::Min([math]::Min($d[($i - 1), $j] + 1, $d[$i, ($j - 1)] + 1), $d[($i - 1), ($j - 1)] + $cost)
            if ($i -gt 1 -and $j -gt 1 -and $A[$i - 1] -eq $B[$j - 2] -and $A[$i - 2] -eq $B[$j - 1]) {
                $v = [math]::Min($v, $d[($i - 2), ($j - 2)] + 1)
            }
            $d[$i, $j] = $v
        }
    }
    return $d[$A.Length, $B.Length]
}

function Get-HostParent {
    # Host paths are Windows paths: Split-Path/[IO.Path] would treat '\' as a plain character off Windows.
    param([string]$HostPath)
    $i = $HostPath.LastIndexOf('\')
    if ($i -lt 0) { return '' }
    if ($i -eq 2 -and $HostPath[1] -eq ':') { return $HostPath.Substring(0, 3) }
    return $HostPath.Substring(0, $i)
}

function Get-HostLeaf {
    param([string]$HostPath)
    return $HostPath.Substring($HostPath.LastIndexOf('\') + 1)
}

function Test-InGenuineFolder {
    # System32 and SysWOW64 are where the core binaries belong; a core name anywhere else is suspicious.
    param($Context, [string]$HostPath)
    $dir = Get-HostParent $HostPath
    foreach ($ok in @(($Context.Env.SystemRoot + '\System32'), ($Context.Env.SystemRoot + '\SysWOW64'), $Context.Env.SystemRoot)) {
        if ($dir -ieq $ok) {
            # explorer.exe belongs in the Windows folder itself; other core names do not.
            if ($dir -ieq $Context.Env.SystemRoot) { return ([IO.Path]::GetFileNameWithoutExtension((Get-HostLeaf $HostPath)) -ieq 'explorer') }
            return $true
        }
    }
    return $false
}

function Get-FilesBelow {
    # Files under a folder, to MaxDepth levels, never following junctions/symlinks (AppData has looping junctions).
    # -Patterns lets the file system filter by name (much faster than a PowerShell loop over every file); on Windows
    # '*.exe' also matches '.exe?' names, so callers still check the extension.
    param($Context, [string]$LocalPath, [int]$MaxDepth, [string[]]$Patterns = @('*'))
    $result = New-Object System.Collections.Generic.List[string]
    if (-not (Test-Path -LiteralPath $LocalPath -PathType Container)) { return $result }
    $queue = New-Object System.Collections.Generic.Queue[object]
    $queue.Enqueue(@($LocalPath, 0))
    while ($queue.Count -gt 0) {
        $entry = $queue.Dequeue()
        $dirInfo = New-Object System.IO.DirectoryInfo ($entry[0])
        try {
            foreach ($pattern in $Patterns) { foreach ($f in $dirInfo.GetFiles($pattern)) { $result.Add($f.FullName) } }
            if ($entry[1] -lt $MaxDepth) {
                foreach ($sub in $dirInfo.GetDirectories()) {
                    if (($sub.Attributes -band [IO.FileAttributes]::ReparsePoint) -ne 0) { continue }
                    $queue.Enqueue(@($sub.FullName, ($entry[1] + 1)))
                }
            }
        }
        catch {
            Add-CollectionError -Context $Context -Item (ConvertTo-HostPath -Context $Context -LocalPath $entry[0]) -Message (Get-ErrorText $_)
        }
    }
    return $result
}

# ---- Windows touch-points (tests replace these)

function Get-UtcNow { [datetime]::UtcNow }

function Get-WinEnvironment {
    $isAdmin = $false
    try {
        $principal = New-Object Security.Principal.WindowsPrincipal ([Security.Principal.WindowsIdentity]::GetCurrent())
        $isAdmin = $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
    }
    catch { $isAdmin = $false }
    $sysDrive = $env:SystemDrive
    if (-not $sysDrive) { $sysDrive = 'C:' }
    [ordered]@{
        ComputerName     = $env:COMPUTERNAME
        SystemDrive      = $sysDrive
        SystemRoot       = $env:SystemRoot
        ProgramData      = $env:ProgramData
        ProgramFiles     = $env:ProgramFiles
        ProgramFilesX86  = ${env:ProgramFiles(x86)}
        UsersRoot        = (Split-Path -Parent $env:PUBLIC)
        TimeZone         = [TimeZoneInfo]::Local.Id
        IsElevated       = $isAdmin
        PowerShell       = $PSVersionTable.PSVersion.ToString()
    }
}

function Get-WinCim {
    param([string]$ClassName, [string]$Namespace = 'root\cimv2')
    return @(Get-WinCimRaw -ClassName $ClassName -Namespace $Namespace)
}

function Get-WinCimRaw {
    # CIM first (3.0+), WMI as fallback (older hosts). Only called from the Get-Win* wrappers.
    param([string]$ClassName, [string]$Namespace = 'root\cimv2')
    if (Get-Command Get-CimInstance -ErrorAction SilentlyContinue) {
        return @(Get-CimInstance -ClassName $ClassName -Namespace $Namespace -ErrorAction Stop)
    }
    return @(Get-WmiObject -Class $ClassName -Namespace $Namespace -ErrorAction Stop)
}

function Get-WinProcessCpu {
    # The WMI formatted-data provider computes rates between two queries: the first answer is all zeros, so ask
    # twice, a second apart, and keep the second.
    $null = Get-WinCimRaw -ClassName 'Win32_PerfFormattedData_PerfProc_Process'
    Start-Sleep -Seconds 1
    return @(Get-WinCimRaw -ClassName 'Win32_PerfFormattedData_PerfProc_Process')
}

function Get-WinProcessOwner {
    param($Process)
    $owner = $null
    # By name: the CIM type is loaded only when CimCmdlets is; a type literal would fail under the WMI fallback.
    if ($Process.GetType().FullName -eq 'Microsoft.Management.Infrastructure.CimInstance') {
        $owner = Invoke-CimMethod -InputObject $Process -MethodName GetOwner -ErrorAction Stop
    }
    else { $owner = $Process.GetOwner() }
    if ($owner -and $owner.ReturnValue -eq 0 -and $owner.User) {
        if ($owner.Domain) { return ($owner.Domain + '\' + $owner.User) }
        return $owner.User
    }
    return $null
}

function Get-WinGpuEngineSamples {
    # Instances look like pid_1234_luid_0x00000000_0x0000D1A5_phys_0_eng_0_engtype_3D; absent without WDDM counters.
    # Get-Counter takes counter names in the display language, so on a non-English host it fails; the WMI class
    # of the same counter set has fixed names (but its first answer may be zeros, see Get-WinProcessCpu).
    try {
        $set = Get-Counter -Counter '\GPU Engine(*)\Utilization Percentage' -ErrorAction Stop
        foreach ($s in $set.CounterSamples) { [pscustomobject]@{ InstanceName = $s.InstanceName; Value = $s.CookedValue } }
    }
    catch {
        $null = Get-WinCimRaw -ClassName 'Win32_PerfFormattedData_GPUPerformanceCounters_GPUEngine'
        Start-Sleep -Seconds 1
        foreach ($e in @(Get-WinCimRaw -ClassName 'Win32_PerfFormattedData_GPUPerformanceCounters_GPUEngine')) {
            [pscustomobject]@{ InstanceName = $e.Name; Value = $e.UtilizationPercentage }
        }
    }
}

function Get-WinAuthenticode {
    param([string]$LocalPath, [string]$HostPath)
    $sig = Get-AuthenticodeSignature -LiteralPath $LocalPath -ErrorAction Stop
    $type = $null
    if ($sig.PSObject.Properties['SignatureType']) { $type = [string]$sig.SignatureType }
    $subject = $null; $thumb = $null
    if ($sig.SignerCertificate) { $subject = $sig.SignerCertificate.Subject; $thumb = $sig.SignerCertificate.Thumbprint }
    [pscustomobject]@{ Status = [string]$sig.Status; SignatureType = $type; SignerSubject = $subject; SignerThumbprint = $thumb }
}

$CatalogSource = @'
using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

public static class CsrssBundleCatalog
{
    [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
    private struct CATALOG_INFO
    {
        public uint cbStruct;
        [MarshalAs(UnmanagedType.ByValTStr, SizeConst = 260)]
        public string wszCatalogFile;
    }

    [DllImport("wintrust.dll", SetLastError = true, CharSet = CharSet.Unicode)]
    private static extern bool CryptCATAdminAcquireContext2(out IntPtr phCatAdmin, IntPtr pgSubsystem, string pwszHashAlgorithm, IntPtr pStrongHashPolicy, uint dwFlags);

    [DllImport("wintrust.dll", SetLastError = true)]
    private static extern bool CryptCATAdminCalcHashFromFileHandle2(IntPtr hCatAdmin, SafeFileHandle hFile, ref uint pcbHash, byte[] pbHash, uint dwFlags);

    [DllImport("wintrust.dll", SetLastError = true)]
    private static extern IntPtr CryptCATAdminEnumCatalogFromHash(IntPtr hCatAdmin, byte[] pbHash, uint cbHash, uint dwFlags, ref IntPtr phPrevCatInfo);

    [DllImport("wintrust.dll", SetLastError = true)]
    private static extern bool CryptCATCatalogInfoFromContext(IntPtr hCatInfo, ref CATALOG_INFO psCatInfo, uint dwFlags);

    [DllImport("wintrust.dll", SetLastError = true)]
    private static extern bool CryptCATAdminReleaseCatalogContext(IntPtr hCatAdmin, IntPtr hCatInfo, uint dwFlags);

    [DllImport("wintrust.dll", SetLastError = true)]
    private static extern bool CryptCATAdminReleaseContext(IntPtr hCatAdmin, uint dwFlags);

    // Catalogs whose member list holds this file's hash: SHA256 catalogs first, then SHA1 (older catalogs).
    public static string[] Find(string path)
    {
        List<string> found = new List<string>();
        foreach (string algorithm in new string[] { "SHA256", null })
        {
            IntPtr admin;
            if (!CryptCATAdminAcquireContext2(out admin, IntPtr.Zero, algorithm, IntPtr.Zero, 0)) { continue; }
            try
            {
                byte[] hash = new byte[64];
                uint size = (uint)hash.Length;
                using (FileStream fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    if (!CryptCATAdminCalcHashFromFileHandle2(admin, fs.SafeFileHandle, ref size, hash, 0)) { continue; }
                }
                IntPtr previous = IntPtr.Zero;
                IntPtr info = CryptCATAdminEnumCatalogFromHash(admin, hash, size, 0, ref previous);
                while (info != IntPtr.Zero)
                {
                    CATALOG_INFO ci = new CATALOG_INFO();
                    ci.cbStruct = (uint)Marshal.SizeOf(typeof(CATALOG_INFO));
                    if (CryptCATCatalogInfoFromContext(info, ref ci, 0) && !found.Contains(ci.wszCatalogFile)) { found.Add(ci.wszCatalogFile); }
                    previous = info;
                    // Passing the previous context makes the API release it.
                    info = CryptCATAdminEnumCatalogFromHash(admin, hash, size, 0, ref previous);
                }
            }
            finally
            {
                CryptCATAdminReleaseContext(admin, 0);
            }
            if (found.Count > 0) { break; }
        }
        return found.ToArray();
    }
}
'@

function Get-WinCatalogPaths {
    param([string]$LocalPath, [string]$HostPath)
    if (-not ('CsrssBundleCatalog' -as [type])) { Add-Type -TypeDefinition $CatalogSource -ErrorAction Stop }
    return @([CsrssBundleCatalog]::Find($LocalPath))
}

function Get-WinZoneIdentifier {
    param([string]$LocalPath, [string]$HostPath)
    $stream = Get-Item -LiteralPath $LocalPath -Stream 'Zone.Identifier' -ErrorAction SilentlyContinue
    if (-not $stream) { return $null }
    return (Get-Content -LiteralPath $LocalPath -Stream 'Zone.Identifier' -Raw -ErrorAction Stop)
}

function Get-WinRegistryKey {
    # Read-only view of one key: $null when it does not exist; throws when it cannot be opened.
    param([ValidateSet('HKLM', 'HKU')][string]$Hive, [string]$Path)
    $hiveId = [Microsoft.Win32.RegistryHive]::LocalMachine
    if ($Hive -eq 'HKU') { $hiveId = [Microsoft.Win32.RegistryHive]::Users }
    $base = [Microsoft.Win32.RegistryKey]::OpenBaseKey($hiveId, [Microsoft.Win32.RegistryView]::Registry64)
    try {
        $key = $base
        if ($Path) { $key = $base.OpenSubKey($Path, $false) }
        if ($null -eq $key) { return $null }
        $values = [ordered]@{}
        foreach ($name in $key.GetValueNames()) {
            # Raw REG_EXPAND_SZ text: the bundle keeps what the host stores.
            $values[$name] = $key.GetValue($name, $null, [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
        }
        $result = [pscustomobject]@{ SubKeyNames = @($key.GetSubKeyNames()); Values = $values }
        if ($key -ne $base) { $key.Dispose() }
        return $result
    }
    finally { $base.Dispose() }
}

function Resolve-WinSid {
    param([string]$Sid)
    try { return (New-Object Security.Principal.SecurityIdentifier $Sid).Translate([Security.Principal.NTAccount]).Value }
    catch { return $null }
}

function Get-WinExportedTasks {
    # Fallback when the Tasks folder cannot be read (not elevated): the scheduler's own export.
    foreach ($t in (Get-ScheduledTask -ErrorAction Stop)) {
        [pscustomobject]@{ TaskPath = ($t.TaskPath + $t.TaskName); Xml = (Export-ScheduledTask -TaskName $t.TaskName -TaskPath $t.TaskPath -ErrorAction Stop) }
    }
}

function Get-WinTaskRuns {
    # The scheduler's own run record per registered task (not in the task XML). Schedule.Service works on 5.1 and 7,
    # Windows 7 on; GetTasks(1) includes hidden tasks. Times come back as host-local DateTime.
    $service = New-Object -ComObject 'Schedule.Service'
    $service.Connect()
    $folders = New-Object System.Collections.Generic.Queue[object]
    $folders.Enqueue($service.GetFolder('\'))
    while ($folders.Count -gt 0) {
        $folder = $folders.Dequeue()
        foreach ($t in @($folder.GetTasks(1))) {
            [pscustomobject]@{ Path = [string]$t.Path; LastRunTime = $t.LastRunTime; LastTaskResult = $t.LastTaskResult; NextRunTime = $t.NextRunTime }
        }
        foreach ($sub in @($folder.GetFolders(0))) { $folders.Enqueue($sub) }
    }
}

function Get-WinLnkTarget {
    param([string]$LocalPath, [string]$HostPath)
    # CreateShortcut on an existing .lnk only loads it; nothing is saved unless Save() is called.
    $shell = New-Object -ComObject WScript.Shell
    try {
        $lnk = $shell.CreateShortcut($LocalPath)
        return [pscustomobject]@{ TargetPath = $lnk.TargetPath; Arguments = $lnk.Arguments }
    }
    finally { [void][Runtime.InteropServices.Marshal]::ReleaseComObject($shell) }
}

function Get-WinCertificates {
    param([string]$StoreName)
    $store = New-Object System.Security.Cryptography.X509Certificates.X509Store ($StoreName, [System.Security.Cryptography.X509Certificates.StoreLocation]::LocalMachine)
    $store.Open([System.Security.Cryptography.X509Certificates.OpenFlags]'ReadOnly, OpenExistingOnly')
    try { foreach ($c in $store.Certificates) { [pscustomobject]@{ Thumbprint = $c.Thumbprint; Subject = $c.Subject; RawData = $c.RawData } } }
    finally { $store.Close() }
}

function Get-WinSessions {
    # quser prints: USERNAME SESSIONNAME ID STATE IDLE TIME LOGON TIME (header localised, rows not).
    # Windows PowerShell turns a native program's stderr into errors, and 'Stop' would end the step on quser's
    # "No User exists" message; the exit code and output are what count here.
    $ErrorActionPreference = 'Continue'
    if (-not (Get-Command quser.exe -ErrorAction SilentlyContinue)) { throw 'quser.exe not present (Windows Home edition?)' }
    $lines = @(& quser.exe 2>$null)
    foreach ($line in @($lines | Select-Object -Skip 1)) {
        $m = [regex]::Match([string]$line, '^\s*>?(\S+)\s+(?:(\S+)\s+)?(\d+)\s+(\S+)')
        if ($m.Success) { [pscustomobject]@{ Id = [int]$m.Groups[3].Value; User = $m.Groups[1].Value; State = $m.Groups[4].Value } }
    }
}

function Get-WinDefenderStatus { Get-MpComputerStatus -ErrorAction Stop }

function Get-WinDefenderDetections { @(Get-MpThreatDetection -ErrorAction Stop) }

function Get-WinDefenderThreats { @(Get-MpThreat -ErrorAction Stop) }

# ---- file records

function Add-FileOfInterest {
    param($Context, [string]$HostPath, [string]$Reason)
    if (-not $HostPath) { return }
    $key = $HostPath.ToLowerInvariant()
    if (-not $Context.Files.Contains($key)) {
        $Context.Files[$key] = [ordered]@{ HostPath = $HostPath; Reasons = (New-Object System.Collections.Generic.List[string]); Done = $false }
    }
    if (-not $Context.Files[$key].Reasons.Contains($Reason)) { $Context.Files[$key].Reasons.Add($Reason) }
}

function Copy-AndHash {
    # One read: stream the file into the staging folder while hashing it; opened with full sharing so files in use
    # by the host can still be read, and never for writing.
    param([string]$Source, [string]$TempTarget)
    $sha = [System.Security.Cryptography.SHA256]::Create()
    $in = New-Object System.IO.FileStream ($Source, [IO.FileMode]::Open, [IO.FileAccess]::Read, ([IO.FileShare]::ReadWrite -bor [IO.FileShare]::Delete))
    $out = $null
    try {
        if ($TempTarget) { $out = New-Object System.IO.FileStream ($TempTarget, [IO.FileMode]::CreateNew, [IO.FileAccess]::Write) }
        $buffer = New-Object byte[] 1048576
        while (($n = $in.Read($buffer, 0, $buffer.Length)) -gt 0) {
            [void]$sha.TransformBlock($buffer, 0, $n, $null, 0)
            if ($out) { $out.Write($buffer, 0, $n) }
        }
        [void]$sha.TransformFinalBlock($buffer, 0, 0)
        return (-join ($sha.Hash | ForEach-Object { $_.ToString('x2') }))
    }
    finally {
        $in.Dispose()
        if ($out) { $out.Dispose() }
        $sha.Dispose()
    }
}

function Save-BundleFile {
    # Copies a host file into the bundle under a name chosen by the collector; returns sha256 (and bundle path).
    param($Context, [string]$LocalPath, [string]$Folder, [string]$NameWithoutHash, [bool]$Copy)
    $temp = $null
    if ($Copy) {
        $tempDir = Join-Path $Context.Staging $Folder
        if (-not (Test-Path -LiteralPath $tempDir)) { [void](New-Item -ItemType Directory -Path $tempDir -Force) }
        $temp = Join-Path $tempDir ('.partial-' + [guid]::NewGuid().ToString('N'))
    }
    try {
        $hash = Copy-AndHash -Source $LocalPath -TempTarget $temp
    }
    catch {
        if ($temp -and (Test-Path -LiteralPath $temp)) { Remove-Item -LiteralPath $temp -Force }
        throw
    }
    $bundlePath = $null
    if ($Copy) {
        $name = $NameWithoutHash
        if (-not $name) { $name = $hash + '.bin' }
        $bundlePath = $Folder + '/' + $name
        $final = Join-Path (Join-Path $Context.Staging $Folder) $name
        if (Test-Path -LiteralPath $final) { Remove-Item -LiteralPath $temp -Force }
        else { Move-Item -LiteralPath $temp -Destination $final }
    }
    return [pscustomobject]@{ Sha256 = $hash; BundlePath = $bundlePath }
}

function Get-CatalogBundleName {
    param($Context, [string]$HostCatalogPath, [string]$Sha256)
    $leaf = [regex]::Replace((Get-HostLeaf $HostCatalogPath), '[^A-Za-z0-9._~{}-]', '_')
    if (-not $leaf.EndsWith('.cat', [StringComparison]::OrdinalIgnoreCase)) { $leaf = $leaf + '.cat' }
    # Two catalogs with the same name from different CatRoot folders: keep both.
    if ($Context.CatalogNames.Contains($leaf) -and $Context.CatalogNames[$leaf] -ne $Sha256) {
        $leaf = [IO.Path]::GetFileNameWithoutExtension($leaf) + '-' + $Sha256.Substring(0, 12) + '.cat'
    }
    $Context.CatalogNames[$leaf] = $Sha256
    return $leaf
}

function Get-FileRow {
    param($Context, $Entry)
    $hostPath = $Entry.HostPath
    $local = ConvertTo-LocalPath -Context $Context -HostPath $hostPath
    $row = [ordered]@{ path = $hostPath; reason = (Get-ReasonText $Entry.Reasons) }
    if (-not $local -or -not (Test-Path -LiteralPath $local -PathType Leaf)) {
        Add-CollectionError -Context $Context -Item $hostPath -Message 'file not found or not accessible'
        return $row
    }
    # Times first: reading the bytes can move the last-access time.
    $info = New-Object System.IO.FileInfo ($local)
    $row.size = $info.Length
    $row.createdUtc = Format-UtcTime $info.CreationTimeUtc
    $row.modifiedUtc = Format-UtcTime $info.LastWriteTimeUtc
    $copy = ($info.Length -le $Context.MaxBinaryBytes) -and (Test-ShouldCopy -Context $Context -Entry $Entry)
    try {
        $saved = Save-BundleFile -Context $Context -LocalPath $local -Folder 'binaries' -Copy $copy
        $row.sha256 = $saved.Sha256
        $row.bundlePath = $saved.BundlePath
        if (-not $copy -and $info.Length -gt $Context.MaxBinaryBytes) {
            Add-CollectionError -Context $Context -Item $hostPath -Message ("not copied: {0} bytes exceeds -MaxBinaryBytes {1}" -f $info.Length, $Context.MaxBinaryBytes)
        }
    }
    catch { Add-CollectionError -Context $Context -Item $hostPath -Message ('read failed: ' + (Get-ErrorText $_)) }
    try {
        $sig = Get-WinAuthenticode -LocalPath $local -HostPath $hostPath
        $row.signatureStatus = $sig.Status
        $type = $sig.SignatureType
        if ($type -eq 'Authenticode') { $type = 'Embedded' }
        if (-not $type) { if ($sig.Status -eq 'NotSigned') { $type = 'None' } }
        $row.signatureType = $type
        $row.signerSubject = $sig.SignerSubject
        $row.signerThumbprint = $sig.SignerThumbprint
    }
    catch { Add-CollectionError -Context $Context -Item $hostPath -Message ('signature check failed: ' + (Get-ErrorText $_)) }
    if (-not $Context.CatalogLookupBroken) {
        try {
            $cats = @(Get-WinCatalogPaths -LocalPath $local -HostPath $hostPath)
            if ($cats.Count -gt 0 -and $cats[0]) {
                $row.catalogPath = $cats[0]
                $row.catalogBundlePath = Save-Catalog -Context $Context -HostCatalogPath $cats[0]
            }
        }
        catch {
            # The P/Invoke helper failed as a whole (Add-Type blocked, wintrust missing): say so once, not per file.
            $Context.CatalogLookupBroken = $true
            Add-CollectionError -Context $Context -Item 'catalog lookup' -Message (Get-ErrorText $_)
        }
    }
    try {
        $zone = Get-WinZoneIdentifier -LocalPath $local -HostPath $hostPath
        if ($zone) { $row.zoneIdentifier = ([string]$zone).Trim() }
    }
    catch { Add-CollectionError -Context $Context -Item ($hostPath + ':Zone.Identifier') -Message (Get-ErrorText $_) }
    return $row
}

function Save-Catalog {
    param($Context, [string]$HostCatalogPath)
    $key = $HostCatalogPath.ToLowerInvariant()
    if ($Context.Catalogs.Contains($key)) { return $Context.Catalogs[$key] }
    $Context.Catalogs[$key] = $null
    $local = ConvertTo-LocalPath -Context $Context -HostPath $HostCatalogPath
    try {
        $hash = Copy-AndHash -Source $local -TempTarget $null
        $name = Get-CatalogBundleName -Context $Context -HostCatalogPath $HostCatalogPath -Sha256 $hash
        $saved = Save-BundleFile -Context $Context -LocalPath $local -Folder 'catalogs' -NameWithoutHash $name -Copy $true
        $Context.Catalogs[$key] = $saved.BundlePath
    }
    catch { Add-CollectionError -Context $Context -Item $HostCatalogPath -Message ('catalog copy failed: ' + (Get-ErrorText $_)) }
    return $Context.Catalogs[$key]
}

function Get-ReasonText {
    # Several reasons are joined with ';' in a fixed order, the strongest first.
    param($Reasons)
    $order = @('process-image', 'task-target', 'autorun-target', 'name-match', 'sibling')
    return ((@($order | Where-Object { $Reasons -contains $_ })) -join ';')
}

function Test-ShouldCopy {
    param($Context, $Entry)
    if ($Context.Scope -ne 'Quick') { return $true }
    # Quick: copy core-named files, look-alikes and their neighbours, and anything outside the Windows folder;
    # other files under the Windows folder (drivers, service hosts) are hashed and signature-checked only.
    if ($Entry.Reasons -contains 'name-match' -or $Entry.Reasons -contains 'sibling') { return $true }
    return -not $Entry.HostPath.StartsWith($Context.Env.SystemRoot + '\', [StringComparison]::OrdinalIgnoreCase)
}

# ---- collectors

function Get-ProcessRows {
    param($Context)
    $rows = New-Object System.Collections.Generic.List[object]
    $procs = @()
    try { $procs = @(Get-WinCim -ClassName 'Win32_Process') }
    catch { Add-CollectionError -Context $Context -Item 'Win32_Process' -Message (Get-ErrorText $_); return $rows }

    $cpu = @{}
    try {
        $cores = 1
        $cs = @(Get-WinCim -ClassName 'Win32_ComputerSystem')
        if ($cs.Count -gt 0 -and $cs[0].NumberOfLogicalProcessors) { $cores = [int]$cs[0].NumberOfLogicalProcessors }
        foreach ($p in @(Get-WinProcessCpu)) {
            if ($p.Name -eq '_Total' -or $p.Name -eq 'Idle') { continue }
            # PercentProcessorTime is per logical processor (can exceed 100); the bundle wants 0-100 per machine.
            $cpu[[int]$p.IDProcess] = [math]::Min(100.0, [double]$p.PercentProcessorTime / $cores)
        }
    }
    catch { Add-CollectionError -Context $Context -Item 'Win32_PerfFormattedData_PerfProc_Process' -Message (Get-ErrorText $_) }

    $gpu = @{}
    try {
        foreach ($s in @(Get-WinGpuEngineSamples)) {
            $m = [regex]::Match([string]$s.InstanceName, '^pid_(\d+)_')
            if (-not $m.Success) { continue }
            $id = [int]$m.Groups[1].Value
            if (-not $gpu.ContainsKey($id)) { $gpu[$id] = 0.0 }
            $gpu[$id] = $gpu[$id] + [double]$s.Value
        }
    }
    catch { Add-CollectionError -Context $Context -Item 'GPU Engine counters' -Message (Get-ErrorText $_) }

    foreach ($p in $procs) {
        $id = [int]$p.ProcessId
        $user = $null
        if ($id -gt 4) {
            try { $user = Get-WinProcessOwner -Process $p }
            catch { Add-CollectionError -Context $Context -Item ("process {0} owner" -f $id) -Message (Get-ErrorText $_) }
        }
        $gpuValue = $null
        if ($gpu.ContainsKey($id)) { $gpuValue = [math]::Min(100.0, $gpu[$id]) }
        elseif ($gpu.Count -gt 0) { $gpuValue = 0.0 }
        $cpuValue = $null
        if ($cpu.ContainsKey($id)) { $cpuValue = $cpu[$id] }
        $rows.Add([ordered]@{
                pid             = $id
                parentPid       = $p.ParentProcessId
                name            = $p.Name
                imagePath       = $p.ExecutablePath
                commandLine     = $p.CommandLine
                creationTimeUtc = (Format-UtcTime $p.CreationDate)
                sessionId       = $p.SessionId
                user            = $user
                cpuPercent      = $cpuValue
                gpuPercent      = $gpuValue
                workingSetBytes = $p.WorkingSetSize
            })
        if ($p.ExecutablePath) { Add-FileOfInterest -Context $Context -HostPath $p.ExecutablePath -Reason 'process-image' }
        elseif ($id -gt 4 -and -not $Context.Env.IsElevated) {
            Add-CollectionError -Context $Context -Item ("process {0} ({1})" -f $id, $p.Name) -Message 'image path not readable (not elevated)'
        }
    }
    return $rows
}

function Find-NameMatches {
    param($Context)
    $sysRoot = $Context.Env.SystemRoot
    $deep = 8
    $windowsDepth = 0
    if ($Context.Scope -eq 'Quick') { $deep = 2 }
    if ($Context.Scope -eq 'Full') { $deep = 32; $windowsDepth = 32 }
    $places = New-Object System.Collections.Generic.List[object]
    # The Windows folder itself (explorer.exe, fakes dropped beside it); System32/SysWOW64 top level.
    $places.Add(@($sysRoot, $windowsDepth))
    if ($windowsDepth -eq 0) {
        $places.Add(@(($sysRoot + '\System32'), 0))
        $places.Add(@(($sysRoot + '\SysWOW64'), 0))
    }
    $places.Add(@(($sysRoot + '\Temp'), $deep))
    if ($Context.Env.ProgramData) { $places.Add(@($Context.Env.ProgramData, $deep)) }
    if ($Context.Scope -eq 'Full') {
        foreach ($pf in @($Context.Env.ProgramFiles, $Context.Env.ProgramFilesX86)) { if ($pf) { $places.Add(@($pf, $deep)) } }
    }
    foreach ($userProfile in (Get-UserProfiles -Context $Context)) {
        if ($userProfile.Name -ieq 'Public') { $places.Add(@($userProfile.HostPath, $deep)); continue }
        foreach ($sub in @('AppData', 'Downloads', 'Desktop')) { $places.Add(@(($userProfile.HostPath + '\' + $sub), $deep)) }
    }
    foreach ($place in $places) {
        $local = ConvertTo-LocalPath -Context $Context -HostPath $place[0]
        if (-not $local) { continue }
        $patterns = @($ExecutableExtensions | ForEach-Object { '*' + $_ })
        foreach ($file in (Get-FilesBelow -Context $Context -LocalPath $local -MaxDepth $place[1] -Patterns $patterns)) {
            if (-not ($ExecutableExtensions -contains [IO.Path]::GetExtension($file).ToLowerInvariant())) { continue }
            $kind = Get-NameMatchKind ([IO.Path]::GetFileName($file))
            if ($kind) { Add-FileOfInterest -Context $Context -HostPath (ConvertTo-HostPath -Context $Context -LocalPath $file) -Reason 'name-match' }
        }
    }
}

function Get-UserProfiles {
    param($Context)
    $local = ConvertTo-LocalPath -Context $Context -HostPath $Context.Env.UsersRoot
    if (-not $local -or -not (Test-Path -LiteralPath $local -PathType Container)) { return @() }
    $list = @()
    try {
        foreach ($d in (New-Object System.IO.DirectoryInfo $local).GetDirectories()) {
            if (($d.Attributes -band [IO.FileAttributes]::ReparsePoint) -ne 0) { continue }
            if (@('Default', 'Default User', 'All Users') -contains $d.Name) { continue }
            $list += [pscustomobject]@{ Name = $d.Name; HostPath = ($Context.Env.UsersRoot + '\' + $d.Name); LocalPath = $d.FullName }
        }
    }
    catch { Add-CollectionError -Context $Context -Item $Context.Env.UsersRoot -Message (Get-ErrorText $_) }
    return @($list | Sort-Object Name)
}

function Add-Siblings {
    # "Search the same folder for other executables or scripts": fake system-process malware comes with helpers,
    # drivers and configuration files.
    param($Context)
    $folders = New-Object System.Collections.Generic.List[string]
    foreach ($entry in @($Context.Files.Values)) {
        $leaf = Get-HostLeaf $entry.HostPath
        if (-not (Get-NameMatchKind $leaf)) { continue }
        if (Test-InGenuineFolder -Context $Context -HostPath $entry.HostPath) { continue }
        $dir = Get-HostParent $entry.HostPath
        if (-not ($folders -contains $dir)) { $folders.Add($dir) }
    }
    foreach ($dir in $folders) {
        $local = ConvertTo-LocalPath -Context $Context -HostPath $dir
        $count = 0
        foreach ($file in (Get-FilesBelow -Context $Context -LocalPath $local -MaxDepth 0)) {
            if (-not ($SiblingExtensions -contains [IO.Path]::GetExtension($file).ToLowerInvariant())) { continue }
            # The core-named files themselves are already there as name-match.
            if (Get-NameMatchKind ([IO.Path]::GetFileName($file))) { continue }
            $count++
            if ($count -gt $MaxSiblingsPerFolder) {
                Add-CollectionError -Context $Context -Item $dir -Message ("more than {0} executables, scripts and configuration files; the rest not collected" -f $MaxSiblingsPerFolder)
                break
            }
            Add-FileOfInterest -Context $Context -HostPath (ConvertTo-HostPath -Context $Context -LocalPath $file) -Reason 'sibling'
        }
    }
}

function Get-TaskEntries {
    # Copies every task's raw XML to tasks/<path>.xml, adds the Exec targets as files of interest, and returns the
    # Exec commands with their task path.
    param($Context)
    $commands = New-Object System.Collections.Generic.List[object]
    $tasksHost = $Context.Env.SystemRoot + '\System32\Tasks'
    $tasksLocal = ConvertTo-LocalPath -Context $Context -HostPath $tasksHost
    $files = @()
    $readable = $false
    if ($tasksLocal -and (Test-Path -LiteralPath $tasksLocal -PathType Container)) {
        $before = $Context.Errors.Count
        $files = @(Get-FilesBelow -Context $Context -LocalPath $tasksLocal -MaxDepth 16)
        $readable = ($Context.Errors.Count -eq $before)
    }
    else { Add-CollectionError -Context $Context -Item $tasksHost -Message 'tasks folder not found' }
    $xmlByPath = New-Object 'System.Collections.Generic.SortedDictionary[string,object]' ([StringComparer]::Ordinal)
    foreach ($file in $files) {
        $rel = $file.Substring($tasksLocal.Length).TrimStart([IO.Path]::DirectorySeparatorChar).Replace([IO.Path]::DirectorySeparatorChar, '/')
        try {
            $bytes = [IO.File]::ReadAllBytes($file)
            $xmlByPath[$rel] = $bytes
        }
        catch { Add-CollectionError -Context $Context -Item (ConvertTo-HostPath -Context $Context -LocalPath $file) -Message (Get-ErrorText $_) }
    }
    if (-not $readable) {
        # Not elevated: the folder is admin-only; the scheduler still exports the tasks this user may see.
        try {
            foreach ($t in @(Get-WinExportedTasks)) {
                $rel = ([string]$t.TaskPath).TrimStart('\').Replace('\', '/')
                if (-not $xmlByPath.ContainsKey($rel)) {
                    # Stored as the Tasks folder holds them: UTF-16 LE with a BOM.
                    $utf16 = New-Object System.Text.UnicodeEncoding $false, $true
                    $xmlByPath[$rel] = [byte[]]($utf16.GetPreamble() + $utf16.GetBytes([string]$t.Xml))
                }
            }
        }
        catch { Add-CollectionError -Context $Context -Item 'Get-ScheduledTask' -Message (Get-ErrorText $_) }
    }
    foreach ($rel in $xmlByPath.Keys) {
        $safe = Get-SafeRelativePath $rel
        if (-not $safe) { Add-CollectionError -Context $Context -Item $rel -Message 'task path not usable as a bundle path'; continue }
        $bundleRel = 'tasks/' + $safe + '.xml'
        $target = Join-Path $Context.Staging ($bundleRel.Replace('/', [IO.Path]::DirectorySeparatorChar))
        $dir = Split-Path -Parent $target
        if (-not (Test-Path -LiteralPath $dir)) { [void](New-Item -ItemType Directory -Path $dir -Force) }
        [IO.File]::WriteAllBytes($target, $xmlByPath[$rel])
        try {
            # Task XML is attacker-writable: no DTD, no external resolution.
            $settings = New-Object System.Xml.XmlReaderSettings
            $settings.DtdProcessing = [System.Xml.DtdProcessing]::Prohibit
            $settings.XmlResolver = $null
            $doc = New-Object System.Xml.XmlDocument
            $doc.XmlResolver = $null
            $stream = New-Object System.IO.MemoryStream (, $xmlByPath[$rel])
            $reader = [System.Xml.XmlReader]::Create($stream, $settings)
            try { $doc.Load($reader) } finally { $reader.Dispose(); $stream.Dispose() }
            $ns = New-Object System.Xml.XmlNamespaceManager $doc.NameTable
            $ns.AddNamespace('t', 'http://schemas.microsoft.com/windows/2004/02/mit/task')
            foreach ($classNode in @($doc.SelectNodes('//t:Actions/t:ComHandler/t:ClassId', $ns))) {
                # Task XML is attacker-writable and the id becomes part of a registry path: a GUID or nothing.
                $classId = $classNode.InnerText.Trim()
                if ($classId -match '^\{?([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}?$') {
                    [void]$Context.ComClassIds.Add('{' + $Matches[1].ToUpperInvariant() + '}')
                }
                else { Add-CollectionError -Context $Context -Item $bundleRel -Message 'ComHandler ClassId is not a GUID; its COM registration not read' }
            }
            foreach ($exec in @($doc.SelectNodes('//t:Actions/t:Exec', $ns))) {
                $cmd = $exec.SelectSingleNode('t:Command', $ns)
                $argNode = $exec.SelectSingleNode('t:Arguments', $ns)
                $line = ''
                if ($cmd) { $line = $cmd.InnerText.Trim() }
                if ($line -and -not $line.StartsWith('"') -and $line.Contains(' ')) { $line = '"' + $line + '"' }
                if ($argNode) { $line = $line + " " + $argNode.InnerText.Trim() }
                $commands.Add([pscustomobject]@{ TaskPath = '\' + $rel.Replace('/', '\'); Command = $line.Trim() })
            }
        }
        catch { Add-CollectionError -Context $Context -Item $bundleRel -Message ('task XML not parsed: ' + (Get-ErrorText $_)) }
    }
    foreach ($c in $commands) {
        foreach ($p in (Resolve-CommandPaths -Context $Context -Command $c.Command)) { Add-FileOfInterest -Context $Context -HostPath $p -Reason 'task-target' }
    }
    return $commands
}

function Get-TaskRunRows {
    # One row per registered task for task-runs.csv; $null (part left out) when the scheduler cannot be asked.
    param($Context)
    try { $runs = @(Get-WinTaskRuns) }
    catch { Add-CollectionError -Context $Context -Item 'Schedule.Service' -Message ('task run times not read: ' + (Get-ErrorText $_)); return $null }
    $rows = New-Object System.Collections.Generic.List[object]
    foreach ($r in $runs) {
        $rows.Add([ordered]@{
                taskPath       = [string]$r.Path
                lastRunTimeUtc = (Format-TaskTime $r.LastRunTime)
                lastTaskResult = [string][int]$r.LastTaskResult
                nextRunTimeUtc = (Format-TaskTime $r.NextRunTime)
            })
    }
    # Ordinal order: the same host gives the same bytes whatever the culture.
    $items = $rows.ToArray()
    $keys = [string[]]@($items | ForEach-Object { $_.taskPath })
    # Typed as Array/IComparer: the generic overload would sort a converted copy of $items, not $items.
    [Array]::Sort([Array]$keys, [Array]$items, [Collections.IComparer][StringComparer]::Ordinal)
    return , $items
}

function Format-TaskTime {
    # The scheduler says "never" (not run yet / no next run) with the OLE zero date 1899-12-30: written empty.
    param($Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [datetime] -and $Value.Year -lt 1900) { return $null }
    return (Format-UtcTime $Value)
}

function Get-SafeRelativePath {
    # Bundle paths are relative, '/'-separated, never '..'; task names are host-controlled.
    param([string]$Relative)
    $parts = @()
    foreach ($seg in ($Relative -split '/')) {
        if ($seg -eq '' -or $seg -eq '.' -or $seg -eq '..') { continue }
        $parts += [regex]::Replace($seg, '[\x00-\x1f<>:"|?*\\]', '_')
    }
    if ($parts.Count -eq 0) { return $null }
    return ($parts -join '/')
}

function ConvertTo-RegText {
    param($Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [byte[]]) { return $null }
    if ($Value -is [array]) { return (@($Value | ForEach-Object { [string]$_ }) -join ' ') }
    return [string]$Value
}

function Read-RegistryKey {
    # Registry read that turns "access denied" into a manifest error and goes on.
    param($Context, [string]$Hive, [string]$Path)
    try { return (Get-WinRegistryKey -Hive $Hive -Path $Path) }
    catch { Add-CollectionError -Context $Context -Item ($Hive + '\' + $Path) -Message (Get-ErrorText $_); return $null }
}

function Get-LoadedUserHives {
    param($Context)
    $root = Read-RegistryKey -Context $Context -Hive 'HKU' -Path ''
    if (-not $root) { return @() }
    $list = @()
    foreach ($sid in @($root.SubKeyNames | Sort-Object)) {
        if ($sid -like '*_Classes') { continue }
        $user = $null
        if ($sid -ne '.DEFAULT') { $user = Resolve-WinSid -Sid $sid }
        $list += [pscustomobject]@{ Sid = $sid; User = $user }
    }
    return $list
}

function Get-AutorunEntries {
    param($Context)
    $entries = New-Object System.Collections.Generic.List[object]
    $runRoots = @(
        @('HKLM', 'SOFTWARE\Microsoft\Windows\CurrentVersion', $null),
        @('HKLM', 'SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion', $null)
    )
    foreach ($h in $Context.UserHives) { $runRoots += , @('HKU', ($h.Sid + '\Software\Microsoft\Windows\CurrentVersion'), $h) }
    foreach ($r in $runRoots) {
        foreach ($pair in @(@('Run', 'RunKey'), @('RunOnce', 'RunOnceKey'), @('Policies\Explorer\Run', 'PoliciesRun'))) {
            $path = $r[1] + '\' + $pair[0]
            $key = Read-RegistryKey -Context $Context -Hive $r[0] -Path $path
            if (-not $key) { continue }
            foreach ($name in $key.Values.Keys) {
                $user = $null
                if ($r[2]) { $user = $r[2].User; if (-not $user) { $user = $r[2].Sid } }
                $entries.Add((New-AutorunEntry -Kind $pair[1] -Location ($r[0] + '\' + $path) -Name $name -Command (ConvertTo-RegText $key.Values[$name]) -User $user))
            }
        }
    }
    $winlogon = 'SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon'
    $wl = Read-RegistryKey -Context $Context -Hive 'HKLM' -Path $winlogon
    if ($wl) {
        foreach ($pair in @(@('Shell', 'WinlogonShell'), @('Userinit', 'WinlogonUserinit'))) {
            if ($wl.Values.Contains($pair[0])) {
                $entries.Add((New-AutorunEntry -Kind $pair[1] -Location ('HKLM\' + $winlogon) -Name $pair[0] -Command (ConvertTo-RegText $wl.Values[$pair[0]]) -User $null))
            }
        }
    }
    foreach ($h in $Context.UserHives) {
        $userWl = Read-RegistryKey -Context $Context -Hive 'HKU' -Path ($h.Sid + '\Software\Microsoft\Windows NT\CurrentVersion\Winlogon')
        if ($userWl -and $userWl.Values.Contains('Shell')) {
            $entries.Add((New-AutorunEntry -Kind 'WinlogonShell' -Location ('HKU\' + $h.Sid + '\Software\Microsoft\Windows NT\CurrentVersion\Winlogon') -Name 'Shell' -Command (ConvertTo-RegText $userWl.Values['Shell']) -User $h.User))
        }
    }
    $servicesPath = 'SYSTEM\CurrentControlSet\Services'
    $services = Read-RegistryKey -Context $Context -Hive 'HKLM' -Path $servicesPath
    if ($services) {
        foreach ($svc in @($services.SubKeyNames | Sort-Object)) {
            $k = Read-RegistryKey -Context $Context -Hive 'HKLM' -Path ($servicesPath + '\' + $svc)
            if ($k -and $k.Values.Contains('ImagePath')) {
                $entries.Add((New-AutorunEntry -Kind 'Service' -Location ('HKLM\' + $servicesPath + '\' + $svc) -Name $svc -Command (ConvertTo-RegText $k.Values['ImagePath']) -User (ConvertTo-RegText $k.Values['ObjectName'])))
            }
        }
    }
    foreach ($ifeoPath in @('SOFTWARE\Microsoft\Windows NT\CurrentVersion\Image File Execution Options', 'SOFTWARE\WOW6432Node\Microsoft\Windows NT\CurrentVersion\Image File Execution Options')) {
        $ifeo = Read-RegistryKey -Context $Context -Hive 'HKLM' -Path $ifeoPath
        if (-not $ifeo) { continue }
        foreach ($img in @($ifeo.SubKeyNames | Sort-Object)) {
            $k = Read-RegistryKey -Context $Context -Hive 'HKLM' -Path ($ifeoPath + '\' + $img)
            if ($k -and $k.Values.Contains('Debugger')) {
                $entries.Add((New-AutorunEntry -Kind 'IfeoDebugger' -Location ('HKLM\' + $ifeoPath + '\' + $img) -Name $img -Command (ConvertTo-RegText $k.Values['Debugger']) -User $null))
            }
        }
    }
    foreach ($appInitPath in @('SOFTWARE\Microsoft\Windows NT\CurrentVersion\Windows', 'SOFTWARE\WOW6432Node\Microsoft\Windows NT\CurrentVersion\Windows')) {
        $k = Read-RegistryKey -Context $Context -Hive 'HKLM' -Path $appInitPath
        if ($k -and $k.Values.Contains('AppInit_DLLs') -and (ConvertTo-RegText $k.Values['AppInit_DLLs'])) {
            $entries.Add((New-AutorunEntry -Kind 'AppInitDlls' -Location ('HKLM\' + $appInitPath) -Name 'AppInit_DLLs' -Command (ConvertTo-RegText $k.Values['AppInit_DLLs']) -User $null))
        }
    }
    foreach ($e in (Get-StartupFolderEntries -Context $Context)) { $entries.Add($e) }
    foreach ($e in (Get-WmiSubscriptionEntries -Context $Context)) { $entries.Add($e) }
    # Scheduled tasks are not repeated here: their raw XML in tasks/ is the evidence, and the analyzer reads it.
    foreach ($e in $entries) {
        $command = $e.command
        if ($e.kind -eq 'AppInitDlls') { $command = ($command -split '[,; ]+' | Where-Object { $_ } | ForEach-Object { '"' + $_ + '"' }) -join ' ' }
        if ($e.kind -eq 'WinlogonUserinit') { $command = ($command -split ',' | Where-Object { $_.Trim() } | ForEach-Object { $_.Trim() }) -join ' ' }
        foreach ($p in (Resolve-CommandPaths -Context $Context -Command $command)) { Add-FileOfInterest -Context $Context -HostPath $p -Reason 'autorun-target' }
    }
    return $entries
}

function Get-ComRegistrations {
    # The registration of every class id a task's ComHandler action names, read-only: the machine's
    # (HKLM\SOFTWARE\Classes\CLSID) and every loaded user hive's (HKU\<sid>\Software\Classes\CLSID, which is what
    # HKCU\Software\Classes is and what wins over HKLM for that user: a COM hijack). Both are recorded so the analyzer
    # can show the override. A TreatAs class is read too (bounded). Each server file that exists becomes a file of
    # interest like any task target: hashed, signature-checked and copied within -MaxBinaryBytes.
    param($Context)
    $records = New-Object System.Collections.Generic.List[object]
    $pending = New-Object 'System.Collections.Generic.Queue[string]'
    foreach ($id in $Context.ComClassIds) { $pending.Enqueue($id) }
    $seen = @{}
    while ($pending.Count -gt 0) {
        $id = $pending.Dequeue()
        if ($seen.ContainsKey($id)) { continue }
        $seen[$id] = $true
        $roots = @(, @('HKLM', ('SOFTWARE\Classes\CLSID\' + $id), $null))
        foreach ($h in $Context.UserHives) { $roots += , @('HKU', ($h.Sid + '\Software\Classes\CLSID\' + $id), $h) }
        $found = $false
        $errorsBefore = $Context.Errors.Count
        foreach ($r in $roots) {
            $key = Read-RegistryKey -Context $Context -Hive $r[0] -Path $r[1]
            if (-not $key) { continue }
            $found = $true
            $record = [ordered]@{ classId = $id; hive = $r[0]; user = $null; key = ($r[0] + '\' + $r[1]); name = (ConvertTo-RegText $key.Values['']); inprocServer32 = $null; threadingModel = $null; localServer32 = $null; treatAs = $null }
            if ($r[2]) { $record.user = $r[2].User; if (-not $record.user) { $record.user = $r[2].Sid } }
            $inproc = Read-RegistryKey -Context $Context -Hive $r[0] -Path ($r[1] + '\InprocServer32')
            if ($inproc) { $record.inprocServer32 = ConvertTo-RegText $inproc.Values['']; $record.threadingModel = ConvertTo-RegText $inproc.Values['ThreadingModel'] }
            $localServer = Read-RegistryKey -Context $Context -Hive $r[0] -Path ($r[1] + '\LocalServer32')
            if ($localServer) { $record.localServer32 = ConvertTo-RegText $localServer.Values[''] }
            $treatAs = Read-RegistryKey -Context $Context -Hive $r[0] -Path ($r[1] + '\TreatAs')
            if ($treatAs) { $record.treatAs = ConvertTo-RegText $treatAs.Values[''] }
            $records.Add($record)
            $commands = @()
            # InprocServer32 holds a path, not a command line: quoted, so a space in it is not an argument break.
            if ($record.inprocServer32) { $commands += ('"' + $record.inprocServer32.Trim().Trim('"') + '"') }
            if ($record.localServer32) { $commands += $record.localServer32 }
            foreach ($c in $commands) {
                foreach ($p in (Resolve-CommandPaths -Context $Context -Command $c)) {
                    $local = ConvertTo-LocalPath -Context $Context -HostPath $p
                    if ($local -and (Test-Path -LiteralPath $local -PathType Leaf)) { Add-FileOfInterest -Context $Context -HostPath $p -Reason 'task-target' }
                }
            }
            if ($record.treatAs -and $record.treatAs.Trim() -match '^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}$' -and $seen.Count -lt 256) {
                $pending.Enqueue($record.treatAs.Trim().ToUpperInvariant())
            }
        }
        # An unreadable key is already an error of its own; "not registered" is said only when every hive answered.
        if (-not $found -and $Context.Errors.Count -eq $errorsBefore) { Add-CollectionError -Context $Context -Item ('CLSID ' + $id) -Message 'COM class not registered in HKLM or any loaded user hive' }
    }
    return $records
}

function New-AutorunEntry {
    param([string]$Kind, [string]$Location, $Name, $Command, $User)
    return [ordered]@{ kind = $Kind; location = $Location; name = $Name; command = $Command; user = $User }
}

function Get-StartupFolderEntries {
    param($Context)
    $entries = @()
    $folders = @()
    if ($Context.Env.ProgramData) { $folders += , @(($Context.Env.ProgramData + '\Microsoft\Windows\Start Menu\Programs\StartUp'), $null) }
    foreach ($p in (Get-UserProfiles -Context $Context)) {
        $folders += , @(($p.HostPath + '\AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Startup'), $p.Name)
    }
    foreach ($f in $folders) {
        $local = ConvertTo-LocalPath -Context $Context -HostPath $f[0]
        if (-not $local -or -not (Test-Path -LiteralPath $local -PathType Container)) { continue }
        foreach ($file in @(Get-FilesBelow -Context $Context -LocalPath $local -MaxDepth 0 | Sort-Object)) {
            $leaf = Split-Path -Leaf $file
            if ($leaf -ieq 'desktop.ini') { continue }
            $hostFile = ConvertTo-HostPath -Context $Context -LocalPath $file
            $command = '"' + $hostFile + '"'
            if ($leaf.EndsWith('.lnk', [StringComparison]::OrdinalIgnoreCase)) {
                Add-FileOfInterest -Context $Context -HostPath $hostFile -Reason 'autorun-target'
                try {
                    $lnk = Get-WinLnkTarget -LocalPath $file -HostPath $hostFile
                    if ($lnk -and $lnk.TargetPath) { $command = ('"' + $lnk.TargetPath + '" ' + $lnk.Arguments).Trim() }
                }
                catch { Add-CollectionError -Context $Context -Item $hostFile -Message ('shortcut not read: ' + (Get-ErrorText $_)) }
            }
            $entries += , (New-AutorunEntry -Kind 'StartupFolder' -Location $f[0] -Name $leaf -Command $command -User $f[1])
        }
    }
    return $entries
}

function Get-WmiSubscriptionEntries {
    param($Context)
    $entries = @()
    $ns = 'root\subscription'
    try {
        $filters = @(Get-WinCim -ClassName '__EventFilter' -Namespace $ns)
        $bindings = @(Get-WinCim -ClassName '__FilterToConsumerBinding' -Namespace $ns)
        $consumers = @()
        $consumers += @(Get-WinCim -ClassName 'CommandLineEventConsumer' -Namespace $ns)
        $consumers += @(Get-WinCim -ClassName 'ActiveScriptEventConsumer' -Namespace $ns)
    }
    catch { Add-CollectionError -Context $Context -Item $ns -Message (Get-ErrorText $_); return $entries }
    foreach ($c in $consumers) {
        $command = $null
        if ($c.PSObject.Properties['CommandLineTemplate'] -and $c.CommandLineTemplate) { $command = [string]$c.CommandLineTemplate }
        elseif ($c.PSObject.Properties['ExecutablePath'] -and $c.ExecutablePath) { $command = [string]$c.ExecutablePath }
        elseif ($c.PSObject.Properties['ScriptFileName'] -and $c.ScriptFileName) { $command = [string]$c.ScriptFileName }
        elseif ($c.PSObject.Properties['ScriptText'] -and $c.ScriptText) { $command = [string]$c.ScriptText }
        # Which filter triggers it: the binding names the consumer by its Name key.
        $filterText = @()
        foreach ($b in $bindings) {
            if ([string]$b.Consumer -like ('*"' + $c.Name + '"*') -or ($b.Consumer.PSObject -and $b.Consumer.Name -eq $c.Name)) {
                foreach ($f in $filters) {
                    if ([string]$b.Filter -like ('*"' + $f.Name + '"*') -or ($b.Filter.PSObject -and $b.Filter.Name -eq $f.Name)) { $filterText += ($f.Name + ': ' + $f.Query) }
                }
            }
        }
        $cls = 'CommandLineEventConsumer'
        if ($c.PSObject.Properties['ScriptingEngine']) { $cls = 'ActiveScriptEventConsumer' }
        $location = $ns + ':' + $cls
        if ($filterText.Count -gt 0) { $location = $location + ' <- ' + ($filterText -join '; ') }
        $entries += , (New-AutorunEntry -Kind 'WmiSubscription' -Location $location -Name $c.Name -Command $command -User $null)
    }
    return $entries
}

function Export-CertificateStores {
    param($Context)
    foreach ($store in @('Root', 'AuthRoot', 'CA')) {
        try {
            $certs = @(Get-WinCertificates -StoreName $store | Sort-Object Thumbprint)
            $sb = New-Object System.Text.StringBuilder
            foreach ($c in $certs) {
                [void]$sb.Append("-----BEGIN CERTIFICATE-----`n")
                $b64 = [Convert]::ToBase64String([byte[]]$c.RawData)
                for ($i = 0; $i -lt $b64.Length; $i += 64) { [void]$sb.Append($b64.Substring($i, [math]::Min(64, $b64.Length - $i))).Append("`n") }
                [void]$sb.Append("-----END CERTIFICATE-----`n")
            }
            Write-BundleText -Context $Context -RelativePath ('certstores/LocalMachine-' + $store + '.pem') -Text $sb.ToString()
        }
        catch { Add-CollectionError -Context $Context -Item ('Cert:\LocalMachine\' + $store) -Message (Get-ErrorText $_) }
    }
}

function Get-HostFacts {
    param($Context, $ProcessRows)
    $facts = [ordered]@{
        hostname          = $Context.Env.ComputerName
        osVersion         = $null
        osBuild           = $null
        timeZone          = $Context.Env.TimeZone
        bootTimeUtc       = $null
        systemRoot        = $Context.Env.SystemRoot
        subSystemsWindows = $null
        sessions          = @()
    }
    try {
        $os = @(Get-WinCim -ClassName 'Win32_OperatingSystem')
        if ($os.Count -gt 0) {
            $facts.osVersion = [string]$os[0].Caption
            $facts.osBuild = [string]$os[0].Version
            $facts.bootTimeUtc = Format-UtcTime $os[0].LastBootUpTime
        }
    }
    catch { Add-CollectionError -Context $Context -Item 'Win32_OperatingSystem' -Message (Get-ErrorText $_) }
    $cv = Read-RegistryKey -Context $Context -Hive 'HKLM' -Path 'SOFTWARE\Microsoft\Windows NT\CurrentVersion'
    if ($cv -and $cv.Values.Contains('UBR') -and $facts.osBuild) { $facts.osBuild = $facts.osBuild + '.' + [string]$cv.Values['UBR'] }
    $ss = Read-RegistryKey -Context $Context -Hive 'HKLM' -Path 'SYSTEM\CurrentControlSet\Control\Session Manager\SubSystems'
    if ($ss -and $ss.Values.Contains('Windows')) { $facts.subSystemsWindows = ConvertTo-RegText $ss.Values['Windows'] }
    # A Hashtable, not [ordered]: an OrderedDictionary indexed with an int means "position", not "key".
    $sessions = @{}
    try {
        foreach ($s in @(Get-WinSessions)) { $sessions[[int]$s.Id] = [ordered]@{ id = [int]$s.Id; user = $s.User; state = $s.State } }
    }
    catch { Add-CollectionError -Context $Context -Item 'quser' -Message (Get-ErrorText $_) }
    # Sessions that only show in the process list (session 0 always exists: services).
    foreach ($p in $ProcessRows) {
        if ($null -ne $p.sessionId -and -not $sessions.ContainsKey([int]$p.sessionId)) {
            $sessions[[int]$p.sessionId] = [ordered]@{ id = [int]$p.sessionId; user = $null; state = $null }
        }
    }
    $facts.sessions = @($sessions.Values | Sort-Object { $_.id })
    return $facts
}

function Get-Programs {
    param($Context)
    $programs = New-Object System.Collections.Generic.List[object]
    $roots = @(@('HKLM', 'SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall', $null), @('HKLM', 'SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall', $null))
    foreach ($h in $Context.UserHives) { $roots += , @('HKU', ($h.Sid + '\Software\Microsoft\Windows\CurrentVersion\Uninstall'), $h) }
    foreach ($r in $roots) {
        $k = Read-RegistryKey -Context $Context -Hive $r[0] -Path $r[1]
        if (-not $k) { continue }
        foreach ($sub in @($k.SubKeyNames | Sort-Object)) {
            $p = Read-RegistryKey -Context $Context -Hive $r[0] -Path ($r[1] + '\' + $sub)
            if (-not $p) { continue }
            $user = $null
            if ($r[2]) { $user = $r[2].User; if (-not $user) { $user = $r[2].Sid } }
            $programs.Add([ordered]@{
                    name            = (ConvertTo-RegText $p.Values['DisplayName'])
                    version         = (ConvertTo-RegText $p.Values['DisplayVersion'])
                    publisher       = (ConvertTo-RegText $p.Values['Publisher'])
                    installDate     = (ConvertTo-RegText $p.Values['InstallDate'])
                    installLocation = (ConvertTo-RegText $p.Values['InstallLocation'])
                    uninstallString = (ConvertTo-RegText $p.Values['UninstallString'])
                    registryKey     = ($r[0] + '\' + $r[1] + '\' + $sub)
                    user            = $user
                })
        }
    }
    return $programs
}

function Read-JsonFile {
    param([string]$LocalPath)
    $text = [IO.File]::ReadAllText($LocalPath)
    return ($text | ConvertFrom-Json)
}

function Get-BrowserExtensions {
    param($Context)
    $list = New-Object System.Collections.Generic.List[object]
    foreach ($userProfile in (Get-UserProfiles -Context $Context)) {
        foreach ($b in @(@('Chrome', 'AppData\Local\Google\Chrome\User Data'), @('Edge', 'AppData\Local\Microsoft\Edge\User Data'))) {
            $dataLocal = Join-Path $userProfile.LocalPath ($b[1].Replace('\', [IO.Path]::DirectorySeparatorChar))
            if (-not (Test-Path -LiteralPath $dataLocal -PathType Container)) { continue }
            foreach ($browserProfile in @(Get-ChildItem -LiteralPath $dataLocal -Directory -Force -ErrorAction SilentlyContinue | Sort-Object Name)) {
                $extRoot = Join-Path $browserProfile.FullName 'Extensions'
                if (-not (Test-Path -LiteralPath $extRoot -PathType Container)) { continue }
                foreach ($ext in @(Get-ChildItem -LiteralPath $extRoot -Directory -Force -ErrorAction SilentlyContinue | Sort-Object Name)) {
                    foreach ($ver in @(Get-ChildItem -LiteralPath $ext.FullName -Directory -Force -ErrorAction SilentlyContinue | Sort-Object Name)) {
                        $manifestPath = Join-Path $ver.FullName 'manifest.json'
                        if (-not (Test-Path -LiteralPath $manifestPath -PathType Leaf)) { continue }
                        $hostManifest = ConvertTo-HostPath -Context $Context -LocalPath $manifestPath
                        try {
                            $m = Read-JsonFile $manifestPath
                            $name = Resolve-ExtensionName -ExtensionDir $ver.FullName -Manifest $m
                            $permissions = @()
                            if ($m.PSObject.Properties['permissions']) { $permissions = @($m.permissions | ForEach-Object { [string]$_ }) }
                            $list.Add([ordered]@{
                                    browser     = $b[0]
                                    user        = $userProfile.Name
                                    profile     = $browserProfile.Name
                                    id          = $ext.Name
                                    name        = $name
                                    version     = [string]$m.version
                                    path        = (Get-HostParent $hostManifest)
                                    permissions = $permissions
                                })
                        }
                        catch { Add-CollectionError -Context $Context -Item $hostManifest -Message (Get-ErrorText $_) }
                    }
                }
            }
        }
        $ffLocal = Join-Path $userProfile.LocalPath ('AppData\Roaming\Mozilla\Firefox\Profiles'.Replace('\', [IO.Path]::DirectorySeparatorChar))
        if (Test-Path -LiteralPath $ffLocal -PathType Container) {
            foreach ($ffProfile in @(Get-ChildItem -LiteralPath $ffLocal -Directory -Force -ErrorAction SilentlyContinue | Sort-Object Name)) {
                $json = Join-Path $ffProfile.FullName 'extensions.json'
                if (-not (Test-Path -LiteralPath $json -PathType Leaf)) { continue }
                try {
                    $doc = Read-JsonFile $json
                    foreach ($a in @($doc.addons)) {
                        if (-not $a) { continue }
                        $name = $null
                        if ($a.PSObject.Properties['defaultLocale'] -and $a.defaultLocale) { $name = [string]$a.defaultLocale.name }
                        $permissions = @()
                        if ($a.PSObject.Properties['userPermissions'] -and $a.userPermissions -and $a.userPermissions.PSObject.Properties['permissions']) {
                            $permissions = @($a.userPermissions.permissions | ForEach-Object { [string]$_ })
                        }
                        $list.Add([ordered]@{
                                browser     = 'Firefox'
                                user        = $userProfile.Name
                                profile     = $ffProfile.Name
                                id          = [string]$a.id
                                name        = $name
                                version     = [string]$a.version
                                path        = [string]$a.path
                                permissions = $permissions
                            })
                    }
                }
                catch { Add-CollectionError -Context $Context -Item (ConvertTo-HostPath -Context $Context -LocalPath $json) -Message (Get-ErrorText $_) }
            }
        }
    }
    return $list
}

function Resolve-ExtensionName {
    # Chrome manifests may name themselves "__MSG_appName__"; the text lives in _locales/<default_locale>/messages.json.
    param([string]$ExtensionDir, $Manifest)
    $name = [string]$Manifest.name
    $m = [regex]::Match($name, '^__MSG_(.+)__$')
    if (-not $m.Success) { return $name }
    $locale = 'en'
    if ($Manifest.PSObject.Properties['default_locale'] -and $Manifest.default_locale) { $locale = [string]$Manifest.default_locale }
    $messages = Join-Path (Join-Path (Join-Path $ExtensionDir '_locales') $locale) 'messages.json'
    if (-not (Test-Path -LiteralPath $messages -PathType Leaf)) { return $name }
    try {
        $doc = Read-JsonFile $messages
        foreach ($p in $doc.PSObject.Properties) {
            if ($p.Name -ieq $m.Groups[1].Value -and $p.Value.PSObject.Properties['message']) { return [string]$p.Value.message }
        }
    }
    catch { return $name }
    return $name
}

function Get-DefenderData {
    param($Context)
    $result = [ordered]@{ status = $null; detections = @() }
    try {
        $s = Get-WinDefenderStatus
        if ($s) {
            $result.status = [ordered]@{
                amServiceEnabled            = (ConvertTo-NullableBool $s.AMServiceEnabled)
                antivirusEnabled            = (ConvertTo-NullableBool $s.AntivirusEnabled)
                realTimeProtectionEnabled   = (ConvertTo-NullableBool $s.RealTimeProtectionEnabled)
                isTamperProtected           = (ConvertTo-NullableBool $s.IsTamperProtected)
                amRunningMode               = (ConvertTo-NullableString $s.AMRunningMode)
                amProductVersion            = (ConvertTo-NullableString $s.AMProductVersion)
                antivirusSignatureVersion   = (ConvertTo-NullableString $s.AntivirusSignatureVersion)
                antivirusSignatureUpdatedUtc = (Format-UtcTime $s.AntivirusSignatureLastUpdated)
                quickScanEndUtc             = (Format-UtcTime $s.QuickScanEndTime)
                fullScanEndUtc              = (Format-UtcTime $s.FullScanEndTime)
            }
        }
    }
    catch { Add-CollectionError -Context $Context -Item 'Get-MpComputerStatus' -Message (Get-ErrorText $_) }
    $names = @{}
    try { foreach ($t in @(Get-WinDefenderThreats)) { if ($t) { $names[[string]$t.ThreatID] = [string]$t.ThreatName } } }
    catch { Add-CollectionError -Context $Context -Item 'Get-MpThreat' -Message (Get-ErrorText $_) }
    try {
        $detections = @()
        foreach ($d in @(Get-WinDefenderDetections)) {
            if (-not $d) { continue }
            $threatName = $null
            if ($names.ContainsKey([string]$d.ThreatID)) { $threatName = $names[[string]$d.ThreatID] }
            $detections += , ([ordered]@{
                    detectionId       = (ConvertTo-NullableString $d.DetectionID)
                    threatId          = (ConvertTo-NullableString $d.ThreatID)
                    threatName        = $threatName
                    processName       = (ConvertTo-NullableString $d.ProcessName)
                    user              = (ConvertTo-NullableString $d.DomainUser)
                    resources         = @(@($d.Resources) | Where-Object { $_ } | ForEach-Object { [string]$_ })
                    initialDetectionUtc = (Format-UtcTime $d.InitialDetectionTime)
                    remediationUtc    = (Format-UtcTime $d.RemediationTime)
                    threatStatusId    = (ConvertTo-NullableString $d.ThreatStatusID)
                    actionSuccess     = (ConvertTo-NullableBool $d.ActionSuccess)
                })
        }
        $result.detections = @($detections | Sort-Object { $_.initialDetectionUtc }, { $_.detectionId })
    }
    catch { Add-CollectionError -Context $Context -Item 'Get-MpThreatDetection' -Message (Get-ErrorText $_) }
    return $result
}

function ConvertTo-NullableBool { param($Value) if ($null -eq $Value) { return $null } return [bool]$Value }

function ConvertTo-NullableString { param($Value) if ($null -eq $Value) { return $null } return [string]$Value }

# ---- bundle

function Write-Manifest {
    param($Context)
    $files = New-Object System.Collections.Generic.List[object]
    $prefix = $Context.Staging.TrimEnd([IO.Path]::DirectorySeparatorChar)
    $all = @(Get-ChildItem -LiteralPath $Context.Staging -Recurse -File -Force)
    $rels = @($all | ForEach-Object { $_.FullName.Substring($prefix.Length + 1).Replace([IO.Path]::DirectorySeparatorChar, '/') })
    [Array]::Sort($rels, [StringComparer]::Ordinal)
    foreach ($rel in $rels) {
        if ($rel -eq 'manifest.json') { continue }
        $full = Join-Path $Context.Staging ($rel.Replace('/', [IO.Path]::DirectorySeparatorChar))
        $files.Add([ordered]@{ path = $rel; size = (New-Object System.IO.FileInfo $full).Length; sha256 = (Copy-AndHash -Source $full -TempTarget $null) })
    }
    $manifest = [ordered]@{
        format         = $BundleFormat
        formatVersion  = $BundleFormatVersion
        collector      = [ordered]@{ name = $CollectorName; version = $CollectorVersion }
        collectedAtUtc = $Context.CollectedAtUtc
        operator       = $Context.Operator
        hostname       = $Context.Env.ComputerName
        files          = $files
        errors         = $Context.Errors
    }
    Write-BundleText -Context $Context -RelativePath 'manifest.json' -Text ((ConvertTo-BundleJson $manifest) + "`n")
}

function New-BundleZip {
    # Entries named with '/', sorted, stamped with the collection time: no .NET Framework backslash-name bug, and
    # the same staging folder always gives the same entries.
    param($Context, [string]$ZipPath, [datetime]$Stamp)
    Add-Type -AssemblyName System.IO.Compression
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $prefix = $Context.Staging.TrimEnd([IO.Path]::DirectorySeparatorChar)
    $rels = @(Get-ChildItem -LiteralPath $Context.Staging -Recurse -File -Force | ForEach-Object { $_.FullName.Substring($prefix.Length + 1).Replace([IO.Path]::DirectorySeparatorChar, '/') })
    [Array]::Sort($rels, [StringComparer]::Ordinal)
    $fs = New-Object System.IO.FileStream ($ZipPath, [IO.FileMode]::CreateNew, [IO.FileAccess]::ReadWrite)
    try {
        $zip = New-Object System.IO.Compression.ZipArchive ($fs, [System.IO.Compression.ZipArchiveMode]::Create, $true)
        try {
            foreach ($rel in $rels) {
                $entry = $zip.CreateEntry($rel, [System.IO.Compression.CompressionLevel]::Optimal)
                $entry.LastWriteTime = New-Object DateTimeOffset ($Stamp, [TimeSpan]::Zero)
                $src = [IO.File]::OpenRead((Join-Path $Context.Staging ($rel.Replace('/', [IO.Path]::DirectorySeparatorChar))))
                $dst = $entry.Open()
                try { $src.CopyTo($dst) } finally { $dst.Dispose(); $src.Dispose() }
            }
        }
        finally { $zip.Dispose() }
    }
    finally { $fs.Dispose() }
}

function Invoke-Collection {
    [CmdletBinding()]
    param(
        [string]$OutputPath,
        [string]$Operator = '',
        [long]$MaxBinaryBytes = 67108864,
        [ValidateSet('Quick', 'Standard', 'Full')][string]$Scope = 'Standard',
        [string]$FileSystemRoot
    )
    $ErrorActionPreference = 'Stop'
    $started = Get-UtcNow
    $envTable = Get-WinEnvironment
    $stamp = $started.ToString('yyyyMMddTHHmmssZ', [Globalization.CultureInfo]::InvariantCulture)
    $hostName = [regex]::Replace([string]$envTable.ComputerName, '[^A-Za-z0-9._-]', '_')
    $defaultName = 'csrss-bundle-' + $hostName + '-' + $stamp + '.zip'
    if (-not $OutputPath) {
        $folder = (Get-Location).ProviderPath
        # An elevated prompt starts in C:\Windows\System32: never write the bundle into the Windows folder.
        if ($envTable.SystemRoot -and -not $FileSystemRoot -and ($folder + '\').StartsWith($envTable.SystemRoot + '\', [StringComparison]::OrdinalIgnoreCase)) {
            $folder = $PSScriptRoot
            Write-Warning ("The current folder is inside {0}; writing the bundle next to the script instead: {1}" -f $envTable.SystemRoot, $folder)
        }
        $OutputPath = Join-Path $folder $defaultName
    }
    elseif (Test-Path -LiteralPath $OutputPath -PathType Container) {
        $OutputPath = Join-Path $OutputPath $defaultName
    }
    # Relative to PowerShell's current location, not the process's working folder ([IO.Path]::GetFullPath would use
    # the latter, which stays C:\Windows\System32 in an elevated prompt after 'cd E:\').
    $OutputPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutputPath)
    if (Test-Path -LiteralPath $OutputPath) { throw "Output file already exists: $OutputPath" }
    $rootPrefix = $null
    if ($FileSystemRoot) { $rootPrefix = (Resolve-Path -LiteralPath $FileSystemRoot).ProviderPath }
    # Staging lives beside the output (the USB stick or share), not in the host's %TEMP%.
    $staging = $OutputPath + '.staging'
    if (Test-Path -LiteralPath $staging) { throw "Staging folder already exists: $staging" }
    [void](New-Item -ItemType Directory -Path $staging)

    $variables = [ordered]@{}
    foreach ($pair in @(@('SYSTEMROOT', $envTable.SystemRoot), @('WINDIR', $envTable.SystemRoot), @('SYSTEMDRIVE', $envTable.SystemDrive),
            @('PROGRAMDATA', $envTable.ProgramData), @('ALLUSERSPROFILE', $envTable.ProgramData), @('PROGRAMFILES', $envTable.ProgramFiles),
            @('PROGRAMFILES(X86)', $envTable.ProgramFilesX86), @('PUBLIC', ($envTable.UsersRoot + '\Public')))) {
        if ($pair[1]) { $variables[$pair[0]] = $pair[1] }
    }
    $ctx = [pscustomobject]@{
        Errors              = (New-Object System.Collections.Generic.List[object])
        Staging             = $staging
        RootPrefix          = $rootPrefix
        Env                 = $envTable
        Variables           = $variables
        Scope               = $Scope
        MaxBinaryBytes      = $MaxBinaryBytes
        Operator            = $Operator
        CollectedAtUtc      = (Format-UtcTime $started)
        Files               = [ordered]@{}
        Catalogs            = [ordered]@{}
        CatalogNames        = @{}
        CatalogLookupBroken = $false
        UserHives           = @()
        ComClassIds         = (New-Object 'System.Collections.Generic.SortedSet[string]' ([StringComparer]::Ordinal))
        Step                = 0
        StepCount           = 13
    }
    try {
        if (-not $envTable.IsElevated) {
            Add-CollectionError -Context $ctx -Item 'privileges' -Message 'not running elevated: other users'' process paths and owners, the Tasks folder and some registry keys may be missing'
        }
        Write-Step $ctx 'Processes'
        $processRows = @(Get-ProcessRows -Context $ctx)
        $processColumns = @('pid', 'parentPid', 'name', 'imagePath', 'commandLine', 'creationTimeUtc', 'sessionId', 'user', 'cpuPercent', 'gpuPercent', 'workingSetBytes')
        $sortedProcesses = @($processRows | Sort-Object { [int]$_.pid })
        Write-BundleText -Context $ctx -RelativePath 'processes.csv' -Text (ConvertTo-CsvText -Columns $processColumns -Rows $sortedProcesses)

        Write-Step $ctx 'Scheduled tasks'
        $null = Get-TaskEntries -Context $ctx
        $taskRuns = Get-TaskRunRows -Context $ctx
        if ($null -ne $taskRuns) {
            Write-BundleText -Context $ctx -RelativePath 'task-runs.csv' -Text (ConvertTo-CsvText -Columns @('taskPath', 'lastRunTimeUtc', 'lastTaskResult', 'nextRunTimeUtc') -Rows $taskRuns)
        }

        Write-Step $ctx 'Autostarts'
        $ctx.UserHives = @(Get-LoadedUserHives -Context $ctx)
        $autoruns = @(Get-AutorunEntries -Context $ctx)
        Write-BundleText -Context $ctx -RelativePath 'autoruns.json' -Text ((ConvertTo-BundleJson ([ordered]@{ entries = $autoruns })) + "`n")

        Write-Step $ctx 'COM handlers of scheduled tasks'
        $comRegistrations = @(Get-ComRegistrations -Context $ctx)
        Write-BundleText -Context $ctx -RelativePath 'com.json' -Text ((ConvertTo-BundleJson ([ordered]@{ registrations = $comRegistrations })) + "`n")

        Write-Step $ctx 'Files named like core processes'
        Find-NameMatches -Context $ctx
        Add-Siblings -Context $ctx

        Write-Step $ctx 'Hashing, signatures and copies'
        $fileRows = New-Object System.Collections.Generic.List[object]
        $keys = @($ctx.Files.Keys)
        [Array]::Sort($keys, [StringComparer]::Ordinal)
        $i = 0
        foreach ($k in $keys) {
            $i++
            Write-Progress -Id 1 -ParentId 0 -Activity 'Files' -Status $ctx.Files[$k].HostPath -PercentComplete ([int](100 * $i / [math]::Max(1, $keys.Count)))
            $fileRows.Add((Get-FileRow -Context $ctx -Entry $ctx.Files[$k]))
        }
        Write-Progress -Id 1 -Activity 'Files' -Completed
        $fileColumns = @('path', 'size', 'sha256', 'createdUtc', 'modifiedUtc', 'signatureStatus', 'signatureType', 'signerSubject', 'signerThumbprint', 'catalogPath', 'catalogBundlePath', 'bundlePath', 'reason', 'zoneIdentifier')
        Write-BundleText -Context $ctx -RelativePath 'files.csv' -Text (ConvertTo-CsvText -Columns $fileColumns -Rows $fileRows)

        Write-Step $ctx 'Certificate stores'
        Export-CertificateStores -Context $ctx

        Write-Step $ctx 'Host facts'
        Write-BundleText -Context $ctx -RelativePath 'host.json' -Text ((ConvertTo-BundleJson (Get-HostFacts -Context $ctx -ProcessRows $processRows)) + "`n")

        Write-Step $ctx 'Installed programs'
        $programs = @(Get-Programs -Context $ctx)
        Write-BundleText -Context $ctx -RelativePath 'programs.json' -Text ((ConvertTo-BundleJson ([ordered]@{ programs = $programs })) + "`n")

        Write-Step $ctx 'Browser extensions'
        $extensions = @(Get-BrowserExtensions -Context $ctx)
        Write-BundleText -Context $ctx -RelativePath 'browser-extensions.json' -Text ((ConvertTo-BundleJson ([ordered]@{ extensions = $extensions })) + "`n")

        Write-Step $ctx 'Defender'
        Write-BundleText -Context $ctx -RelativePath 'defender.json' -Text ((ConvertTo-BundleJson (Get-DefenderData -Context $ctx)) + "`n")

        Write-Step $ctx 'Manifest'
        Write-Manifest -Context $ctx

        Write-Step $ctx 'Zip'
        New-BundleZip -Context $ctx -ZipPath $OutputPath -Stamp $started
    }
    finally {
        Write-Progress -Activity 'Collecting csrss forensics bundle' -Completed
        if (Test-Path -LiteralPath $staging) { Remove-Item -LiteralPath $staging -Recurse -Force }
    }
    $zipHash = (Copy-AndHash -Source $OutputPath -TempTarget $null)
    return [pscustomobject]@{ Path = $OutputPath; Sha256 = $zipHash; Errors = $ctx.Errors.Count; Files = $ctx.Files.Count }
}


if (-not $NoRun) {
    $result = Invoke-Collection -OutputPath $OutputPath -Operator $Operator -MaxBinaryBytes $MaxBinaryBytes -Scope $Scope -FileSystemRoot $FileSystemRoot
    Write-Host ('Bundle:  ' + $result.Path)
    Write-Host ('SHA-256: ' + $result.Sha256)
    Write-Host ('Files of interest: {0}; collection errors recorded in manifest.json: {1}' -f $result.Files, $result.Errors)
}
