<#
.SYNOPSIS
    Builds the fake system drive the stubbed collector runs against: a folder that stands for C:\ of the host
    "WS-STUB01", with two genuine-looking System32 binaries, a fake csrss.exe in alice's AppData with a script beside
    it, and a scheduled task that starts the fake. Every file gets fixed bytes and fixed times, so the bundle made from
    it is the same on every run.
#>
param([Parameter(Mandatory = $true)][string]$Path)

$ErrorActionPreference = 'Stop'
$utf8 = New-Object System.Text.UTF8Encoding $false

function New-FakeFile {
    param([string]$Relative, [byte[]]$Bytes, [string]$TimeUtc)
    $full = Join-Path $Path $Relative
    $dir = Split-Path -Parent $full
    if (-not (Test-Path -LiteralPath $dir)) { [void](New-Item -ItemType Directory -Path $dir -Force) }
    [IO.File]::WriteAllBytes($full, $Bytes)
    $t = [datetime]::SpecifyKind([datetime]::Parse($TimeUtc, [Globalization.CultureInfo]::InvariantCulture), 'Utc')
    [IO.File]::SetCreationTimeUtc($full, $t)
    [IO.File]::SetLastWriteTimeUtc($full, $t)
}

function Get-StubBytes {
    # Not a real PE: "MZ" and a label, enough to hash and copy. The analyzer sees these as unparseable images.
    param([string]$Label)
    return $utf8.GetBytes("MZ`0`0stub image: $Label`n")
}

function Get-TaskBytes {
    # Task Scheduler writes its XML as UTF-16 LE with a BOM.
    param([string]$Uri, [string]$Author, [string]$Command, [string]$Arguments, [string]$UserId)
    $argumentsXml = ''
    if ($Arguments) { $argumentsXml = "`r`n      <Arguments>$Arguments</Arguments>" }
    $xml = @"
<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Date>2026-11-18T21:04:12</Date>
    <Author>$Author</Author>
    <URI>$Uri</URI>
  </RegistrationInfo>
  <Triggers>
    <LogonTrigger>
      <Enabled>true</Enabled>
    </LogonTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <UserId>$UserId</UserId>
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <Enabled>true</Enabled>
    <Hidden>true</Hidden>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>$Command</Command>$argumentsXml
    </Exec>
  </Actions>
</Task>
"@
    $xml = $xml.Replace("`r`n", "`n").Replace("`n", "`r`n")
    $enc = New-Object System.Text.UnicodeEncoding $false, $true
    return [byte[]]($enc.GetPreamble() + $enc.GetBytes($xml))
}

[void](New-Item -ItemType Directory -Path $Path -Force)
$sys = '2024-05-10T10:00:00Z'
$fake = '2026-11-18T21:04:10Z'
New-FakeFile 'Windows/System32/csrss.exe' (Get-StubBytes 'genuine csrss.exe') $sys
New-FakeFile 'Windows/System32/smss.exe' (Get-StubBytes 'genuine smss.exe') $sys
New-FakeFile 'Windows/System32/svchost.exe' (Get-StubBytes 'genuine svchost.exe') $sys
New-FakeFile 'Windows/System32/userinit.exe' (Get-StubBytes 'genuine userinit.exe') $sys
New-FakeFile 'Windows/System32/defrag.exe' (Get-StubBytes 'genuine defrag.exe') $sys
New-FakeFile 'Windows/System32/SecurityHealthSystray.exe' (Get-StubBytes 'genuine SecurityHealthSystray.exe') $sys
New-FakeFile 'Windows/System32/drivers/tcpip.sys' (Get-StubBytes 'genuine tcpip.sys') $sys
New-FakeFile 'Windows/System32/kernel32.dll' (Get-StubBytes 'not of interest') $sys
New-FakeFile 'Windows/explorer.exe' (Get-StubBytes 'genuine explorer.exe') $sys
New-FakeFile 'Windows/System32/CatRoot/{F750E6C3-38EE-11D1-85E5-00C04FC295EE}/Microsoft-Windows-Client-Desktop-Required-Package~31bf3856ad364e35~amd64~~10.0.22631.4460.cat' ($utf8.GetBytes("stub catalog: placeholder bytes, not a signed CTL`n")) $sys
New-FakeFile 'Windows/System32/Tasks/Microsoft/Windows/Defrag/ScheduledDefrag' (Get-TaskBytes -Uri '\Microsoft\Windows\Defrag\ScheduledDefrag' -Author 'Microsoft Corporation' -Command '%windir%\system32\defrag.exe' -Arguments '-c -h -o -$' -UserId 'S-1-5-18') $sys
New-FakeFile 'Windows/System32/Tasks/Microsoft/Windows/Maintenance/SystemHealthMonitor' (Get-TaskBytes -Uri '\Microsoft\Windows\Maintenance\SystemHealthMonitor' -Author 'Microsoft Corporation' -Command 'C:\Users\alice\AppData\Roaming\Microsoft\csrss.exe' -Arguments '--gpu --pool stratum+tcp://pool.example.invalid:3333' -UserId 'S-1-5-21-1111111111-2222222222-3333333333-1001') $fake
New-FakeFile 'Users/alice/AppData/Roaming/Microsoft/csrss.exe' (Get-StubBytes 'FAKE csrss.exe (miner)') $fake
New-FakeFile 'Users/alice/AppData/Roaming/Microsoft/update.vbs' ($utf8.GetBytes("CreateObject(""WScript.Shell"").Run """"""C:\Users\alice\AppData\Roaming\Microsoft\csrss.exe"""" --gpu"", 0`r`n")) $fake
New-FakeFile 'Users/alice/AppData/Roaming/Microsoft/config.json' ($utf8.GetBytes("{""pool"":""stratum+tcp://pool.example.invalid:3333""}`n")) $fake
New-FakeFile 'Users/alice/AppData/Local/Google/Chrome/User Data/Default/Extensions/aaaabbbbccccddddeeeeffffgggghhhh/1.2.0_0/manifest.json' ($utf8.GetBytes('{"manifest_version":3,"name":"__MSG_appName__","default_locale":"en","version":"1.2.0","permissions":["tabs","storage"]}' + "`n")) '2026-11-18T21:00:00Z'
New-FakeFile 'Users/alice/AppData/Local/Google/Chrome/User Data/Default/Extensions/aaaabbbbccccddddeeeeffffgggghhhh/1.2.0_0/_locales/en/messages.json' ($utf8.GetBytes('{"appName":{"message":"PDF Helper Pro"}}' + "`n")) '2026-11-18T21:00:00Z'
New-FakeFile 'Users/alice/Documents/notes.txt' ($utf8.GetBytes("not of interest`n")) $sys
foreach ($d in @('Users/Public/Downloads', 'ProgramData/Microsoft/Windows/Start Menu/Programs/StartUp', 'Users/alice/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Startup', 'Users/alice/Downloads', 'Windows/Temp', 'Windows/SysWOW64')) {
    [void](New-Item -ItemType Directory -Path (Join-Path $Path $d) -Force)
}
