<#
.SYNOPSIS
    Stubs for every Windows touch-point of collect.ps1 (the Get-Win* functions and Get-UtcNow), describing the host
    WS-STUB01: two genuine csrss.exe in System32 (sessions 0 and 1), and a fake csrss.exe in alice's AppData started by
    the hidden task \Microsoft\Windows\Maintenance\SystemHealthMonitor under svchost (Schedule), using the GPU.
    Dot-source this AFTER `. collect.ps1 -NoRun`: a later definition in the same scope replaces the real function.
#>

$StubAliceSid = 'S-1-5-21-1111111111-2222222222-3333333333-1001'
$StubMicrosoftSubject = 'CN=Microsoft Windows, O=Microsoft Corporation, L=Redmond, S=Washington, C=US'
$StubMicrosoftThumbprint = 'AC9B2B7C3B8E4F5A6D7E8F901A2B3C4D5E6F7A8B'
$StubCatalog = 'C:\Windows\System32\CatRoot\{F750E6C3-38EE-11D1-85E5-00C04FC295EE}\Microsoft-Windows-Client-Desktop-Required-Package~31bf3856ad364e35~amd64~~10.0.22631.4460.cat'
# A throw-away self-signed test root (openssl, P-256), fixed so the bundle is reproducible. Trusted by nothing.
$StubRootCertBase64 = 'MIIBuTCCAWCgAwIBAgIBATAKBggqhkjOPQQDAjA8MSYwJAYDVQQDDB1Dc3Jzc0ZvcmVuc2ljcyBTdHViIFRlc3QgUm9vdDESMBAGA1UECgwJVGVzdCBPbmx5MB4XDTI2MTEyODA0MjExOVoXDTM2MTEyNTA0MjExOVowPDEmMCQGA1UEAwwdQ3Nyc3NGb3JlbnNpY3MgU3R1YiBUZXN0IFJvb3QxEjAQBgNVBAoMCVRlc3QgT25seTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABCDUcotT8/pR6TiUEh2wSM5o2euz8Gsax7s8DI40iEVFf00kCyFM1Bd9cnU4BHAg1gQyrbqlR7OQZvsS0NROF5SjUzBRMB0GA1UdDgQWBBQ4W43aKPVMA+GjoFYjMUC71cn6hDAfBgNVHSMEGDAWgBQ4W43aKPVMA+GjoFYjMUC71cn6hDAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIEzMlS8kYmvDbOEZEZb8wDp2LczGb6xJFJmSELdfFeNIAiB1cwdTU1t3PPytDRrO/S38by5JoRK+9aCtBuZhhx8F1g=='
# Calls the stubs saw, for tests that check what the collector asked the host.
$StubCalls = New-Object System.Collections.Generic.List[string]

function New-StubTime { param([string]$Text) [datetime]::SpecifyKind([datetime]::Parse($Text, [Globalization.CultureInfo]::InvariantCulture), 'Utc').ToLocalTime() }

function Get-UtcNow { [datetime]::SpecifyKind([datetime]'2026-11-20T08:15:00', 'Utc') }

function Get-WinEnvironment {
    [ordered]@{
        ComputerName    = 'WS-STUB01'
        SystemDrive     = 'C:'
        SystemRoot      = 'C:\Windows'
        ProgramData     = 'C:\ProgramData'
        ProgramFiles    = 'C:\Program Files'
        ProgramFilesX86 = 'C:\Program Files (x86)'
        UsersRoot       = 'C:\Users'
        TimeZone        = 'W. Europe Standard Time'
        IsElevated      = $true
        PowerShell      = '5.1.22621.4391'
    }
}

function New-StubProcess {
    param([int]$Id, [int]$ParentId, [string]$Name, [string]$Path, [string]$CommandLine, [string]$Created, [int]$Session, [long]$WorkingSet, [string]$Owner)
    [pscustomobject]@{
        ProcessId = $Id; ParentProcessId = $ParentId; Name = $Name; ExecutablePath = $Path; CommandLine = $CommandLine
        CreationDate = (New-StubTime $Created); SessionId = $Session; WorkingSetSize = $WorkingSet; StubOwner = $Owner
    }
}

function Get-WinCim {
    param([string]$ClassName, [string]$Namespace = 'root\cimv2')
    $StubCalls.Add("Get-WinCim $Namespace $ClassName")
    $csrssArgs = 'ObjectDirectory=\Windows SharedSection=1024,20480,768 Windows=On SubSystemType=Windows ServerDll=basesrv,1 ServerDll=winsrv:UserServerDllInitialization,3 ServerDll=sxssrv,4 ProfileControl=Off MaxRequestThreads=16'
    switch ($ClassName) {
        'Win32_Process' {
            New-StubProcess 0 0 'System Idle Process' $null $null '2026-11-20T07:01:00Z' 0 8192 $null
            New-StubProcess 4 0 'System' $null $null '2026-11-20T07:01:00Z' 0 151552 $null
            New-StubProcess 388 4 'smss.exe' 'C:\Windows\System32\smss.exe' '\SystemRoot\System32\smss.exe' '2026-11-20T07:01:01.25Z' 0 1228800 'NT AUTHORITY\SYSTEM'
            New-StubProcess 512 500 'csrss.exe' 'C:\Windows\System32\csrss.exe' ('%SystemRoot%\system32\csrss.exe ' + $csrssArgs) '2026-11-20T07:01:03.5Z' 0 5464064 'NT AUTHORITY\SYSTEM'
            New-StubProcess 600 592 'csrss.exe' 'C:\Windows\System32\csrss.exe' ('%SystemRoot%\system32\csrss.exe ' + $csrssArgs) '2026-11-20T07:01:04Z' 1 6090752 'NT AUTHORITY\SYSTEM'
            New-StubProcess 1120 680 'svchost.exe' 'C:\Windows\System32\svchost.exe' 'C:\Windows\system32\svchost.exe -k netsvcs -p -s Schedule' '2026-11-20T07:01:09Z' 0 24117248 'NT AUTHORITY\SYSTEM'
            New-StubProcess 2240 2208 'explorer.exe' 'C:\Windows\explorer.exe' 'C:\Windows\Explorer.EXE' '2026-11-20T07:02:15Z' 1 120586240 'WS-STUB01\alice'
            New-StubProcess 7400 1120 'csrss.exe' 'C:\Users\alice\AppData\Roaming\Microsoft\csrss.exe' '"C:\Users\alice\AppData\Roaming\Microsoft\csrss.exe" --gpu --pool stratum+tcp://pool.example.invalid:3333' '2026-11-20T07:02:31Z' 1 402653184 'WS-STUB01\alice'
        }
        'Win32_ComputerSystem' { [pscustomobject]@{ NumberOfLogicalProcessors = 4 } }
        'Win32_OperatingSystem' {
            [pscustomobject]@{ Caption = 'Microsoft Windows 11 Pro'; Version = '10.0.22631'; LastBootUpTime = '20261120080100.000000+060' }
        }
        { @('__EventFilter', '__FilterToConsumerBinding', 'CommandLineEventConsumer', 'ActiveScriptEventConsumer') -contains $_ } { }
        default { throw "stub Get-WinCim: unexpected class $ClassName" }
    }
}

function Get-WinCimRaw { throw 'stub: Get-WinCimRaw reached; every caller of it is a Get-Win* wrapper and must be stubbed itself' }

function Get-WinProcessCpu {
    # Win32_PerfFormattedData_PerfProc_Process: PercentProcessorTime is per logical processor (4 here).
    foreach ($p in @(@('_Total', 0, 400), @('Idle', 0, 220), @('System', 4, 2), @('smss', 388, 0), @('csrss', 512, 0), @('csrss#1', 600, 1),
            @('svchost', 1120, 0), @('explorer', 2240, 3), @('csrss#2', 7400, 140))) {
        [pscustomobject]@{ Name = $p[0]; IDProcess = $p[1]; PercentProcessorTime = $p[2] }
    }
}

function Get-WinProcessOwner { param($Process) $Process.StubOwner }

function Get-WinGpuEngineSamples {
    [pscustomobject]@{ InstanceName = 'pid_7400_luid_0x00000000_0x0000D1A5_phys_0_eng_0_engtype_3D'; Value = 88.5 }
    [pscustomobject]@{ InstanceName = 'pid_7400_luid_0x00000000_0x0000D1A5_phys_0_eng_1_engtype_Compute_0'; Value = 3.5 }
    [pscustomobject]@{ InstanceName = 'pid_2240_luid_0x00000000_0x0000D1A5_phys_0_eng_0_engtype_3D'; Value = 1.25 }
    [pscustomobject]@{ InstanceName = 'pid_600_luid_0x00000000_0x0000D1A5_phys_0_eng_0_engtype_3D'; Value = 0.5 }
}

function Get-WinAuthenticode {
    param([string]$LocalPath, [string]$HostPath)
    $StubCalls.Add("Get-WinAuthenticode $HostPath")
    if ($HostPath -like 'C:\Windows\*') {
        return [pscustomobject]@{ Status = 'Valid'; SignatureType = 'Catalog'; SignerSubject = $StubMicrosoftSubject; SignerThumbprint = $StubMicrosoftThumbprint }
    }
    return [pscustomobject]@{ Status = 'NotSigned'; SignatureType = 'None'; SignerSubject = $null; SignerThumbprint = $null }
}

function Get-WinCatalogPaths {
    param([string]$LocalPath, [string]$HostPath)
    if ($HostPath -like 'C:\Windows\*') { return @($StubCatalog) }
    return @()
}

function Get-WinZoneIdentifier {
    param([string]$LocalPath, [string]$HostPath)
    if ($HostPath -eq 'C:\Users\alice\AppData\Roaming\Microsoft\update.vbs') {
        return "[ZoneTransfer]`r`nZoneId=3`r`nHostUrl=http://dl.example.invalid/update.vbs`r`n"
    }
    return $null
}

$StubRegistry = @{
    'HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Run' = @{ SecurityHealth = '%windir%\system32\SecurityHealthSystray.exe' }
    'HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Run' = @{}
    'HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon' = [ordered]@{ Shell = 'explorer.exe'; Userinit = 'C:\Windows\system32\userinit.exe,' }
    'HKLM\SYSTEM\CurrentControlSet\Services' = @{}
    'HKLM\SYSTEM\CurrentControlSet\Services\Schedule' = [ordered]@{ ImagePath = '%systemroot%\system32\svchost.exe -k netsvcs -p'; ObjectName = 'LocalSystem' }
    'HKLM\SYSTEM\CurrentControlSet\Services\Tcpip' = [ordered]@{ ImagePath = 'System32\drivers\tcpip.sys'; Start = 0 }
    'HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Image File Execution Options' = @{}
    'HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Image File Execution Options\taskmgr.exe' = @{ MitigationOptions = [byte[]](0, 1) }
    'HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Windows' = [ordered]@{ AppInit_DLLs = ''; LoadAppInit_DLLs = 0 }
    'HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion' = [ordered]@{ CurrentBuild = '22631'; UBR = 4460 }
    'HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\SubSystems' = [ordered]@{
        Windows = '%SystemRoot%\system32\csrss.exe ObjectDirectory=\Windows SharedSection=1024,20480,768 Windows=On SubSystemType=Windows ServerDll=basesrv,1 ServerDll=winsrv:UserServerDllInitialization,3 ServerDll=sxssrv,4 ProfileControl=Off MaxRequestThreads=16'
        Required = [string[]]@('Debug', 'Windows')
    }
    'HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall' = @{}
    'HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\7-Zip' = [ordered]@{ DisplayName = '7-Zip 24.08 (x64)'; DisplayVersion = '24.08'; Publisher = 'Igor Pavlov'; InstallLocation = 'C:\Program Files\7-Zip\'; UninstallString = '"C:\Program Files\7-Zip\Uninstall.exe"' }
    'HKU' = @{}
    'HKU\.DEFAULT' = @{}
    "HKU\$StubAliceSid" = @{}
    "HKU\$StubAliceSid\Software\Microsoft\Windows\CurrentVersion\Run" = @{}
    "HKU\$StubAliceSid\Software\Microsoft\Windows\CurrentVersion\Uninstall" = @{}
    "HKU\$StubAliceSid\Software\Microsoft\Windows\CurrentVersion\Uninstall\FreePdfTools" = [ordered]@{ DisplayName = 'Free PDF Tools'; DisplayVersion = '3.1'; Publisher = 'PDF Tools Ltd'; InstallDate = '20261118'; UninstallString = 'C:\Users\alice\AppData\Local\FreePdfTools\uninstall.exe' }
    "HKU\$($StubAliceSid)_Classes" = @{}
    # Readable only by SYSTEM on a real host: shows that one unreadable key becomes a manifest error, not a stop.
    'HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall' = 'ACCESS DENIED'
}

function Get-WinRegistryKey {
    param([string]$Hive, [string]$Path)
    $full = $Hive
    if ($Path) { $full = $Hive + '\' + $Path }
    $StubCalls.Add("Get-WinRegistryKey $full")
    $hit = $null
    foreach ($k in $StubRegistry.Keys) { if ($k -ieq $full) { $hit = $k } }
    if ($null -eq $hit) { return $null }
    $values = $StubRegistry[$hit]
    if ($values -is [string]) { throw (New-Object System.UnauthorizedAccessException ("Requested registry access is not allowed.")) }
    $prefix = $hit + '\'
    $subKeys = @($StubRegistry.Keys | Where-Object { $_.StartsWith($prefix, [StringComparison]::OrdinalIgnoreCase) -and -not $_.Substring($prefix.Length).Contains('\') } |
        ForEach-Object { $_.Substring($prefix.Length) } | Sort-Object)
    $ordered = [ordered]@{}
    foreach ($n in @($values.Keys)) { $ordered[$n] = $values[$n] }
    [pscustomobject]@{ SubKeyNames = $subKeys; Values = $ordered }
}

function Resolve-WinSid {
    param([string]$Sid)
    if ($Sid -eq $StubAliceSid) { return 'WS-STUB01\alice' }
    return $null
}

function Get-WinExportedTasks { throw 'stub: the Tasks folder is readable, the export fallback must not be used' }

function Get-WinTaskRuns {
    # As Schedule.Service answers: host-local DateTime, the OLE zero date for "never", the result as a signed int.
    [pscustomobject]@{ Path = '\Microsoft\Windows\Maintenance\SystemHealthMonitor'; LastRunTime = (New-StubTime '2026-11-20T07:02:30Z'); LastTaskResult = 267009; NextRunTime = (New-StubTime '2026-11-21T07:02:30Z') }
    [pscustomobject]@{ Path = '\Microsoft\Windows\Defrag\ScheduledDefrag'; LastRunTime = [datetime]'1899-12-30'; LastTaskResult = -2147216609; NextRunTime = [datetime]'1899-12-30' }
}

function Get-WinLnkTarget { param([string]$LocalPath, [string]$HostPath) throw "stub: no shortcuts on this host ($HostPath)" }

function Get-WinCertificates {
    param([string]$StoreName)
    if ($StoreName -eq 'Root') {
        $raw = [Convert]::FromBase64String($StubRootCertBase64)
        return [pscustomobject]@{ Thumbprint = 'STUBROOT'; Subject = 'CN=CsrssForensics Stub Test Root, O=Test Only'; RawData = $raw }
    }
    if ($StoreName -eq 'CA') { throw 'stub: CA store could not be opened' }
}

function Get-WinSessions {
    [pscustomobject]@{ Id = 1; User = 'alice'; State = 'Active' }
}

function Get-WinDefenderStatus {
    [pscustomobject]@{
        AMServiceEnabled = $true; AntivirusEnabled = $true; RealTimeProtectionEnabled = $true; IsTamperProtected = $true
        AMRunningMode = 'Normal'; AMProductVersion = '4.18.24090.11'; AntivirusSignatureVersion = '1.421.123.0'
        AntivirusSignatureLastUpdated = (New-StubTime '2026-11-19T22:10:00Z'); QuickScanEndTime = (New-StubTime '2026-11-19T12:30:45Z'); FullScanEndTime = $null
    }
}

function Get-WinDefenderThreats {
    [pscustomobject]@{ ThreatID = 2147735505; ThreatName = 'PUA:Win32/Presenoker' }
}

function Get-WinDefenderDetections {
    [pscustomobject]@{
        DetectionID = '{0E1B7B1C-6A3C-4C5E-9E2F-8C1D2A3B4C5D}'; ThreatID = 2147735505; ProcessName = 'C:\Windows\explorer.exe'
        DomainUser = 'WS-STUB01\alice'; Resources = @('file:_C:\Users\alice\Downloads\pdftools_setup.exe')
        InitialDetectionTime = (New-StubTime '2026-11-18T20:58:02Z'); RemediationTime = (New-StubTime '2026-11-18T20:58:40Z')
        ThreatStatusID = 3; ActionSuccess = $true
    }
}
