# Pester 5 tests for collect.ps1, run off Windows against a fake system root with stubbed Windows touch-points.
# Run with tests/collector/run-tests.sh.

BeforeAll {
    $ErrorActionPreference = 'Stop'
    $ProgressPreference = 'SilentlyContinue'
    $script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    $script:SchemaDir = Join-Path $script:Repo 'schemas'
    $script:ProcessColumns = @('pid', 'parentPid', 'name', 'imagePath', 'commandLine', 'creationTimeUtc', 'sessionId', 'user', 'cpuPercent', 'gpuPercent', 'workingSetBytes')
    $script:FileColumns = @('path', 'size', 'sha256', 'createdUtc', 'modifiedUtc', 'signatureStatus', 'signatureType', 'signerSubject', 'signerThumbprint', 'catalogPath', 'catalogBundlePath', 'bundlePath', 'reason', 'zoneIdentifier')
    $script:IsoUtc = '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$'

    function New-WorkDirectory {
        $d = Join-Path ([IO.Path]::GetTempPath()) ('csrss-collector-test-' + [guid]::NewGuid().ToString('N'))
        [void](New-Item -ItemType Directory -Path $d)
        return $d
    }

    function Expand-Bundle {
        param([string]$Zip)
        $dir = $Zip + '.unzipped'
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        [IO.Compression.ZipFile]::ExtractToDirectory($Zip, $dir)
        return $dir
    }

    function Get-TreeState {
        # Path, size, SHA-256 and last-write time of every file and folder under a root: what "read-only" must keep.
        param([string]$Root)
        $prefix = $Root.TrimEnd('/')
        Get-ChildItem -LiteralPath $Root -Recurse -Force | Sort-Object FullName | ForEach-Object {
            $rel = $_.FullName.Substring($prefix.Length)
            if ($_.PSIsContainer) { '{0}|dir|{1}' -f $rel, $_.LastWriteTimeUtc.Ticks }
            else { '{0}|{1}|{2}|{3}' -f $rel, $_.Length, (Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash, $_.LastWriteTimeUtc.Ticks }
        }
    }

    function Read-Json {
        # -DateKind String: PowerShell 7 would otherwise turn ISO strings into DateTime and hide their exact form.
        param([string]$Path)
        return ([IO.File]::ReadAllText($Path) | ConvertFrom-Json -DateKind String)
    }

    function Get-ErrorItems { param($Manifest) @($Manifest.errors | ForEach-Object { $_.item }) }

    function Get-Sha256Hex { param([string]$Path) (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash.ToLowerInvariant() }

    function Test-AgainstSchema {
        # Validates with Test-Json (JsonSchema.Net inside PowerShell 7). Valid is $null when the schema file is missing.
        param([string]$JsonPath, [string]$SchemaName)
        $schema = Join-Path $script:SchemaDir $SchemaName
        if (-not (Test-Path -LiteralPath $schema)) { return [pscustomobject]@{ Valid = $null; Messages = "schemas/$SchemaName is missing" } }
        $errs = $null
        $ok = Test-Json -Json ([IO.File]::ReadAllText($JsonPath)) -SchemaFile $schema -ErrorAction SilentlyContinue -ErrorVariable errs
        return [pscustomobject]@{ Valid = [bool]$ok; Messages = (@($errs | ForEach-Object { [string]$_ }) -join '; ') }
    }

    . (Join-Path $PSScriptRoot 'Ps51Compatibility.ps1')
}

Describe 'Stubbed collection of host WS-STUB01' {
    BeforeAll {
        $script:Work = New-WorkDirectory
        & (Join-Path $PSScriptRoot 'fake/New-FakeSystemRoot.ps1') -Path (Join-Path $script:Work 'root')
        $script:Before = @(Get-TreeState (Join-Path $script:Work 'root'))
        $script:Run = & (Join-Path $PSScriptRoot 'Invoke-StubCollection.ps1') -WorkDirectory $script:Work -UseExistingRoot
        $script:After = @(Get-TreeState (Join-Path $script:Work 'root'))
        $script:B = Expand-Bundle $script:Run.Zip
        $script:Manifest = Read-Json (Join-Path $script:B 'manifest.json')
        $script:Processes = @(Import-Csv -LiteralPath (Join-Path $script:B 'processes.csv'))
        $script:Files = @(Import-Csv -LiteralPath (Join-Path $script:B 'files.csv'))
        $script:Autoruns = (Read-Json (Join-Path $script:B 'autoruns.json')).entries
        $script:HostFacts = Read-Json (Join-Path $script:B 'host.json')
    }
    AfterAll { Remove-Item -LiteralPath $script:Work -Recurse -Force }

    Context 'read-only and clean-up' {
        It 'leaves every file and folder of the fake root unchanged (content, size, last-write time, no new entries)' {
            $script:Before.Count | Should -BeGreaterThan 20
            $script:After | Should -Be $script:Before
        }
        It 'leaves nothing in the output folder but the bundle (staging folder removed)' {
            @(Get-ChildItem -LiteralPath $script:Work -Force | Where-Object { $_.Name -ne 'root' -and $_.Name -ne 'bundle.zip.unzipped' }).Name | Should -Be @('bundle.zip')
        }
        It 'reports the SHA-256 of the zip it wrote' {
            $script:Run.Sha256 | Should -Be (Get-Sha256Hex $script:Run.Zip)
        }
        It 'names zip entries with forward slashes only' {
            Add-Type -AssemblyName System.IO.Compression.FileSystem
            $z = [IO.Compression.ZipFile]::OpenRead($script:Run.Zip)
            try { @($z.Entries | Where-Object { $_.FullName.Contains('\') -or $_.FullName.StartsWith('/') -or $_.FullName.Contains('..') }).Count | Should -Be 0 }
            finally { $z.Dispose() }
        }
    }

    Context 'manifest.json' {
        It 'has the format, version, collector, fixed collection time, operator and host name' {
            $script:Manifest.format | Should -Be 'csrss-forensics-bundle'
            $script:Manifest.formatVersion | Should -Be '1.0'
            $script:Manifest.collector.name | Should -Be 'collect.ps1'
            $script:Manifest.collector.version | Should -Match '^\d+\.\d+\.\d+$'
            $script:Manifest.collectedAtUtc | Should -Be '2026-11-20T08:15:00Z'
            $script:Manifest.operator | Should -Be 'stub-operator'
            $script:Manifest.hostname | Should -Be 'WS-STUB01'
        }
        It 'lists exactly the other files of the bundle with their size and SHA-256' {
            $prefix = $script:B.TrimEnd('/')
            $onDisk = @(Get-ChildItem -LiteralPath $script:B -Recurse -File | ForEach-Object { $_.FullName.Substring($prefix.Length + 1) } | Where-Object { $_ -ne 'manifest.json' } | Sort-Object)
            @($script:Manifest.files.path | Sort-Object) | Should -Be $onDisk
            foreach ($f in $script:Manifest.files) {
                $full = Join-Path $script:B $f.path
                $f.size | Should -Be (Get-Item -LiteralPath $full).Length -Because $f.path
                $f.sha256 | Should -Be (Get-Sha256Hex $full) -Because $f.path
            }
        }
        It 'records the unreadable items as errors and went on (CA store, access-denied registry key)' {
            $items = Get-ErrorItems $script:Manifest
            $items | Should -Contain 'Cert:\LocalMachine\CA'
            $items | Should -Contain 'HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall'
            (Join-Path $script:B 'defender.json') | Should -Exist
        }
    }

    Context 'processes.csv' {
        It 'has exactly the documented header' {
            (Get-Content -LiteralPath (Join-Path $script:B 'processes.csv') -TotalCount 1) | Should -Be ($script:ProcessColumns -join ',')
        }
        It 'holds the two System32 csrss in sessions 0 and 1 and the AppData one with its CPU and GPU load' {
            $csrss = @($script:Processes | Where-Object name -eq 'csrss.exe' | Sort-Object { [int]$_.pid })
            $csrss.Count | Should -Be 3
            @($csrss | ForEach-Object { $_.imagePath + '|' + $_.sessionId }) | Should -Be @('C:\Windows\System32\csrss.exe|0', 'C:\Windows\System32\csrss.exe|1', 'C:\Users\alice\AppData\Roaming\Microsoft\csrss.exe|1')
            $fake = $csrss[2]
            $fake.parentPid | Should -Be '1120'
            $fake.user | Should -Be 'WS-STUB01\alice'
            $fake.cpuPercent | Should -Be '35'
            $fake.gpuPercent | Should -Be '92'
            $fake.commandLine | Should -Be '"C:\Users\alice\AppData\Roaming\Microsoft\csrss.exe" --gpu --pool stratum+tcp://pool.example.invalid:3333'
        }
        It 'writes every creation time as UTC ISO 8601 with Z (DMTF and local DateTime inputs)' {
            foreach ($p in $script:Processes) { $p.creationTimeUtc | Should -Match $script:IsoUtc }
            ($script:Processes | Where-Object pid -eq '388').creationTimeUtc | Should -Be '2026-11-20T07:01:01.25Z'
        }
    }

    Context 'files.csv and copies' {
        It 'has exactly the documented header' {
            (Get-Content -LiteralPath (Join-Path $script:B 'files.csv') -TotalCount 1) | Should -Be ($script:FileColumns -join ',')
        }
        It 'records the AppData csrss as unsigned, copied, picked as process image, task target and name match' {
            $row = $script:Files | Where-Object path -eq 'C:\Users\alice\AppData\Roaming\Microsoft\csrss.exe'
            $row.signatureStatus | Should -Be 'NotSigned'
            $row.signatureType | Should -Be 'None'
            $row.reason | Should -Be 'process-image;task-target;name-match'
            $row.createdUtc | Should -Be '2026-11-18T21:04:10Z'
            $row.bundlePath | Should -Be ('binaries/' + $row.sha256 + '.bin')
            Get-Sha256Hex (Join-Path $script:B $row.bundlePath) | Should -Be $row.sha256
            $row.sha256 | Should -Be (Get-Sha256Hex (Join-Path $script:Run.Root 'Users/alice/AppData/Roaming/Microsoft/csrss.exe'))
        }
        It 'records the System32 csrss as Microsoft-signed through a catalog and copies that catalog' {
            $row = $script:Files | Where-Object path -eq 'C:\Windows\System32\csrss.exe'
            $row.signatureStatus | Should -Be 'Valid'
            $row.signatureType | Should -Be 'Catalog'
            $row.signerSubject | Should -BeLike 'CN=Microsoft Windows,*'
            $row.catalogPath | Should -BeLike 'C:\Windows\System32\CatRoot\*.cat'
            $row.catalogBundlePath | Should -BeLike 'catalogs/*.cat'
            (Join-Path $script:B $row.catalogBundlePath) | Should -Exist
        }
        It 'collects the script and the configuration beside the fake as siblings, and nothing unrelated' {
            $vbs = $script:Files | Where-Object path -eq 'C:\Users\alice\AppData\Roaming\Microsoft\update.vbs'
            $vbs.reason | Should -Be 'sibling'
            $vbs.zoneIdentifier | Should -Match 'ZoneId=3'
            $config = $script:Files | Where-Object path -eq 'C:\Users\alice\AppData\Roaming\Microsoft\config.json'
            $config.reason | Should -Be 'sibling'
            (Join-Path $script:B $config.bundlePath) | Should -Exist
            $script:Files.path | Should -Not -Contain 'C:\Windows\System32\kernel32.dll'
            $script:Files.path | Should -Not -Contain 'C:\Users\alice\Documents\notes.txt'
        }
        It 'collects task and autostart targets after expanding %windir% and \SystemRoot-style paths' {
            ($script:Files | Where-Object path -eq 'C:\Windows\system32\defrag.exe').reason | Should -Be 'task-target'
            ($script:Files | Where-Object path -eq 'C:\Windows\system32\SecurityHealthSystray.exe').reason | Should -Be 'autorun-target'
            ($script:Files | Where-Object path -eq 'C:\Windows\System32\drivers\tcpip.sys').reason | Should -Be 'autorun-target'
            # Winlogon Shell "explorer.exe" is found in the Windows folder, as CreateProcess searches it.
            ($script:Files | Where-Object path -eq 'C:\Windows\explorer.exe').reason | Should -Be 'process-image;autorun-target;name-match'
        }
        It 'copies each distinct content once under binaries/<sha256>.bin' {
            $bins = @(Get-ChildItem -LiteralPath (Join-Path $script:B 'binaries') -File)
            foreach ($b in $bins) { $b.Name | Should -Be ((Get-Sha256Hex $b.FullName) + '.bin') }
            $bins.Count | Should -Be @($script:Files | Where-Object bundlePath | Select-Object -ExpandProperty sha256 -Unique).Count
        }
    }

    Context 'tasks, autoruns, host facts, other JSON' {
        It 'copies the raw task XML bytes, keeping the scheduler folder structure' {
            $copy = Join-Path $script:B 'tasks/Microsoft/Windows/Maintenance/SystemHealthMonitor.xml'
            Get-Sha256Hex $copy | Should -Be (Get-Sha256Hex (Join-Path $script:Run.Root 'Windows/System32/Tasks/Microsoft/Windows/Maintenance/SystemHealthMonitor'))
            (Join-Path $script:B 'tasks/Microsoft/Windows/Defrag/ScheduledDefrag.xml') | Should -Exist
        }
        It 'writes task-runs.csv from the scheduler: UTC times, the result as an int, the OLE zero date as empty' {
            $path = Join-Path $script:B 'task-runs.csv'
            ([IO.File]::ReadAllLines($path))[0] | Should -Be 'taskPath,lastRunTimeUtc,lastTaskResult,nextRunTimeUtc'
            $rows = @(Import-Csv -LiteralPath $path)
            $rows.Count | Should -Be 2
            $rows[0].taskPath | Should -Be '\Microsoft\Windows\Defrag\ScheduledDefrag'
            $rows[0].lastRunTimeUtc | Should -Be ''
            $rows[0].nextRunTimeUtc | Should -Be ''
            $rows[0].lastTaskResult | Should -Be '-2147216609'
            $rows[1].taskPath | Should -Be '\Microsoft\Windows\Maintenance\SystemHealthMonitor'
            $rows[1].lastRunTimeUtc | Should -Be '2026-11-20T07:02:30Z'
            $rows[1].nextRunTimeUtc | Should -Be '2026-11-21T07:02:30Z'
            $rows[1].lastTaskResult | Should -Be '267009'
            @($script:Manifest.files | Where-Object path -eq 'task-runs.csv').Count | Should -Be 1
        }
        It 'does not repeat scheduled tasks in autoruns.json (their XML under tasks/ is the evidence)' {
            @($script:Autoruns | Where-Object { $_.command -like '*csrss.exe*' }).Count | Should -Be 0
            @($script:Autoruns).Count | Should -Be 5
        }
        It 'uses only the documented autorun kinds' {
            $kinds = @('RunKey', 'RunOnceKey', 'PoliciesRun', 'WinlogonShell', 'WinlogonUserinit', 'Service', 'IfeoDebugger', 'AppInitDlls', 'StartupFolder', 'WmiSubscription', 'Other')
            foreach ($e in $script:Autoruns) { $kinds | Should -Contain $e.kind }
            @($script:Autoruns | Where-Object kind -eq 'WinlogonUserinit').Count | Should -Be 1
        }
        It 'writes host facts with the SubSystems Windows value, boot time from DMTF and sessions 0 and 1' {
            $script:HostFacts.subSystemsWindows | Should -BeLike '%SystemRoot%\system32\csrss.exe ObjectDirectory=\Windows *'
            $script:HostFacts.bootTimeUtc | Should -Be '2026-11-20T07:01:00Z'
            $script:HostFacts.osBuild | Should -Be '10.0.22631.4460'
            @($script:HostFacts.sessions.id) | Should -Be @(0, 1)
        }
        It 'exports the Root store as PEM that .NET can read back' {
            $pem = [IO.File]::ReadAllText((Join-Path $script:B 'certstores/LocalMachine-Root.pem'))
            $c = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2Collection
            $c.ImportFromPem($pem)
            $c.Count | Should -Be 1
            $c[0].Subject | Should -BeLike '*CsrssForensics Stub Test Root*'
        }
        It 'resolves the Chrome extension name from _locales and lists the user-hive program' {
            $ext = (Read-Json (Join-Path $script:B 'browser-extensions.json')).extensions
            $ext[0].name | Should -Be 'PDF Helper Pro'
            $ext[0].path | Should -Be 'C:\Users\alice\AppData\Local\Google\Chrome\User Data\Default\Extensions\aaaabbbbccccddddeeeeffffgggghhhh\1.2.0_0'
            $prog = (Read-Json (Join-Path $script:B 'programs.json')).programs
            ($prog | Where-Object name -eq 'Free PDF Tools').user | Should -Be 'WS-STUB01\alice'
        }
        It 'writes UTF-8 without BOM for every JSON and CSV file' {
            foreach ($f in @(Get-ChildItem -LiteralPath $script:B -File | Where-Object { $_.Extension -in '.json', '.csv' })) {
                $bytes = [IO.File]::ReadAllBytes($f.FullName)
                ($bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF) | Should -BeFalse -Because $f.Name
                { (New-Object System.Text.UTF8Encoding $false, $true).GetString($bytes) } | Should -Not -Throw
            }
        }
        It 'writes every time value in the JSON files as UTC ISO 8601 with Z' {
            foreach ($name in 'host.json', 'defender.json', 'manifest.json') {
                $text = [IO.File]::ReadAllText((Join-Path $script:B $name))
                foreach ($m in [regex]::Matches($text, '"(\w*(?:Utc|UtcTime))"\s*:\s*"([^"]*)"')) { $m.Groups[2].Value | Should -Match $script:IsoUtc -Because "$name $($m.Groups[1].Value)" }
            }
        }
    }

    Context 'JSON Schemas in schemas/' {
        It '<File> is valid against <Schema>' -TestCases @(
            @{ File = 'manifest.json'; Schema = 'manifest.schema.json' }
            @{ File = 'host.json'; Schema = 'host.schema.json' }
            @{ File = 'autoruns.json'; Schema = 'autoruns.schema.json' }
            @{ File = 'programs.json'; Schema = 'programs.schema.json' }
            @{ File = 'browser-extensions.json'; Schema = 'browser-extensions.schema.json' }
            @{ File = 'defender.json'; Schema = 'defender.schema.json' }
            @{ File = 'com.json'; Schema = 'com.schema.json' }
        ) {
            $check = Test-AgainstSchema -JsonPath (Join-Path $script:B $File) -SchemaName $Schema
            $check.Valid | Should -BeTrue -Because $check.Messages
        }
        It 'the schema check rejects a manifest with a local time, an upper-case hash and a backslash path' {
            $bad = [IO.File]::ReadAllText((Join-Path $script:B 'manifest.json')).Replace('"2026-11-20T08:15:00Z"', '"2026-11-20T09:15:00+01:00"')
            $bad = [regex]::Replace($bad, '"sha256": "([0-9a-f]{64})"', { param($m) '"sha256": "' + $m.Groups[1].Value.ToUpperInvariant() + '"' }, 'None', [TimeSpan]::FromSeconds(5))
            $bad = $bad.Replace('"path": "tasks/Microsoft', '"path": "tasks\\\\Microsoft')
            $file = Join-Path $script:Work 'bad-manifest.json'
            [IO.File]::WriteAllText($file, $bad)
            (Test-AgainstSchema -JsonPath $file -SchemaName 'manifest.schema.json').Valid | Should -BeFalse
            # Each mutation alone is enough to fail.
            foreach ($one in @(
                    [IO.File]::ReadAllText((Join-Path $script:B 'manifest.json')).Replace('"2026-11-20T08:15:00Z"', '"2026-11-20T09:15:00+01:00"'),
                    [IO.File]::ReadAllText((Join-Path $script:B 'manifest.json')).Replace('"path": "tasks/Microsoft', '"path": "tasks\\Microsoft'),
                    [regex]::Replace([IO.File]::ReadAllText((Join-Path $script:B 'manifest.json')), '"sha256": "([0-9a-f]{64})"', { param($m) '"sha256": "' + $m.Groups[1].Value.ToUpperInvariant() + '"' }, 'None', [TimeSpan]::FromSeconds(5)))) {
                [IO.File]::WriteAllText($file, $one)
                (Test-AgainstSchema -JsonPath $file -SchemaName 'manifest.schema.json').Valid | Should -BeFalse
            }
        }
    }
}

Describe 'Committed fixture fixtures/bundles/collector-stub' {
    # The fixture was made by an earlier run (make-fixture.sh); a fresh run must give the same bytes. This proves the
    # stubbed bundle is deterministic and that the fixture the analyzer tests read is what collect.ps1 writes today.
    It 'equals, file by file, the bundle a fresh stubbed run writes (rerun tests/collector/make-fixture.sh after changing the collector)' {
        $fixture = Join-Path $script:Repo 'fixtures/bundles/collector-stub'
        $w = New-WorkDirectory
        try {
            $run = & (Join-Path $PSScriptRoot 'Invoke-StubCollection.ps1') -WorkDirectory $w
            $fresh = Expand-Bundle $run.Zip
            $list = {
                param($dir)
                $prefix = $dir.TrimEnd('/')
                @(Get-ChildItem -LiteralPath $dir -Recurse -File | Sort-Object FullName |
                    ForEach-Object { $_.FullName.Substring($prefix.Length) + '=' + (Get-Sha256Hex $_.FullName) })
            }
            $expected = & $list $fixture
            $expected.Count | Should -BeGreaterThan 10
            (& $list $fresh) | Should -Be $expected
        }
        finally { Remove-Item -LiteralPath $w -Recurse -Force }
    }
}

Describe 'Scope, size cap and degraded hosts' {
    BeforeEach { $script:W = New-WorkDirectory }
    AfterEach { Remove-Item -LiteralPath $script:W -Recurse -Force }

    It 'Quick scope hashes but does not copy genuine-folder files that are only process images or autostart targets' {
        $run = & (Join-Path $PSScriptRoot 'Invoke-StubCollection.ps1') -WorkDirectory $script:W -StubScope Quick
        $files = @(Import-Csv -LiteralPath (Join-Path (Expand-Bundle $run.Zip) 'files.csv'))
        ($files | Where-Object path -eq 'C:\Windows\System32\drivers\tcpip.sys').bundlePath | Should -BeNullOrEmpty
        ($files | Where-Object path -eq 'C:\Windows\System32\drivers\tcpip.sys').sha256 | Should -Match '^[0-9a-f]{64}$'
        ($files | Where-Object path -eq 'C:\Users\alice\AppData\Roaming\Microsoft\csrss.exe').bundlePath | Should -BeLike 'binaries/*.bin'
        ($files | Where-Object path -eq 'C:\Windows\System32\csrss.exe').bundlePath | Should -BeLike 'binaries/*.bin'
    }
    It '-MaxBinaryBytes keeps large files out of binaries/ and says so in errors' {
        $run = & (Join-Path $PSScriptRoot 'Invoke-StubCollection.ps1') -WorkDirectory $script:W -StubMaxBinaryBytes 36
        $b = Expand-Bundle $run.Zip
        $files = @(Import-Csv -LiteralPath (Join-Path $b 'files.csv'))
        $fake = $files | Where-Object path -eq 'C:\Users\alice\AppData\Roaming\Microsoft\csrss.exe'
        [int]$fake.size | Should -BeGreaterThan 36
        $fake.bundlePath | Should -BeNullOrEmpty
        $fake.sha256 | Should -Match '^[0-9a-f]{64}$'
        ($files | Where-Object path -eq 'C:\Windows\System32\smss.exe').bundlePath | Should -BeLike 'binaries/*.bin'
        $errors = (Read-Json (Join-Path $b 'manifest.json')).errors
        @($errors | Where-Object { $_.item -eq $fake.path -and $_.message -like '*MaxBinaryBytes*' }).Count | Should -Be 1
    }
    It 'without elevation and without a readable Tasks folder records that and uses the scheduler export' {
        $root = Join-Path $script:W 'root'
        & (Join-Path $PSScriptRoot 'fake/New-FakeSystemRoot.ps1') -Path $root
        Remove-Item -LiteralPath (Join-Path $root 'Windows/System32/Tasks') -Recurse -Force
        $extra = {
            function Get-WinEnvironment { $e = [ordered]@{}; $e.ComputerName = 'WS-STUB01'; $e.SystemDrive = 'C:'; $e.SystemRoot = 'C:\Windows'; $e.ProgramData = 'C:\ProgramData'; $e.UsersRoot = 'C:\Users'; $e.TimeZone = 'UTC'; $e.IsElevated = $false; $e }
            function Get-WinExportedTasks { [pscustomobject]@{ TaskPath = '\Exported\Updater'; Xml = '<?xml version="1.0" encoding="UTF-16"?><Task xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task"><Actions><Exec><Command>C:\Users\alice\AppData\Roaming\Microsoft\csrss.exe</Command></Exec></Actions></Task>' } }
        }
        $run = & (Join-Path $PSScriptRoot 'Invoke-StubCollection.ps1') -WorkDirectory $script:W -UseExistingRoot -ExtraStubs $extra
        $b = Expand-Bundle $run.Zip
        $m = Read-Json (Join-Path $b 'manifest.json')
        Get-ErrorItems $m | Should -Contain 'privileges'
        Get-ErrorItems $m | Should -Contain 'C:\Windows\System32\Tasks'
        $xml = Join-Path $b 'tasks/Exported/Updater.xml'
        $xml | Should -Exist
        [xml]$doc = [IO.File]::ReadAllText($xml)
        $doc.Task.Actions.Exec.Command | Should -Be 'C:\Users\alice\AppData\Roaming\Microsoft\csrss.exe'
        (@(Import-Csv (Join-Path $b 'files.csv')) | Where-Object path -eq 'C:\Users\alice\AppData\Roaming\Microsoft\csrss.exe').reason | Should -Be 'process-image;task-target;name-match'
    }
    It 'leaves task-runs.csv out and records an error when the scheduler cannot be asked, and collects the rest' {
        $extra = { function Get-WinTaskRuns { throw 'stub: Schedule.Service not registered' } }
        $run = & (Join-Path $PSScriptRoot 'Invoke-StubCollection.ps1') -WorkDirectory $script:W -ExtraStubs $extra
        $b = Expand-Bundle $run.Zip
        (Join-Path $b 'task-runs.csv') | Should -Not -Exist
        $m = Read-Json (Join-Path $b 'manifest.json')
        ($m.errors | Where-Object item -eq 'Schedule.Service').message | Should -BeLike 'task run times not read:*not registered*'
        @($m.files | Where-Object path -eq 'task-runs.csv').Count | Should -Be 0
        (Join-Path $b 'tasks/Microsoft/Windows/Maintenance/SystemHealthMonitor.xml') | Should -Exist
        (Join-Path $b 'defender.json') | Should -Exist
    }
    It 'given an existing folder as -OutputPath, writes the default name (host and UTC time) into it' {
        $out = Join-Path $script:W 'out'
        [void](New-Item -ItemType Directory -Path $out)
        $run = & (Join-Path $PSScriptRoot 'Invoke-StubCollection.ps1') -WorkDirectory $script:W -StubOutputPath $out -StubScope Quick
        $run.Zip | Should -Be (Join-Path $out 'csrss-bundle-WS-STUB01-20261120T081500Z.zip')
        @(Get-ChildItem -LiteralPath $out -Force).Name | Should -Be @('csrss-bundle-WS-STUB01-20261120T081500Z.zip')
    }
    It 'reports WMI subscriptions, IFEO debuggers, AppInit DLLs and Startup shortcuts, and collects their targets' {
        $root = Join-Path $script:W 'root'
        & (Join-Path $PSScriptRoot 'fake/New-FakeSystemRoot.ps1') -Path $root
        [IO.File]::WriteAllText((Join-Path $root 'ProgramData/svchost.exe'), 'MZ fake svchost')
        [IO.File]::WriteAllText((Join-Path $root 'ProgramData/evil.dll'), 'MZ appinit dll')
        [IO.File]::WriteAllText((Join-Path $root 'Users/alice/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Startup/Updater.lnk'), 'not a real shortcut')
        $extra = {
            $StubRegistry['HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Image File Execution Options\sethc.exe'] = @{ Debugger = 'C:\Windows\System32\cmd.exe' }
            $StubRegistry['HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Windows'] = [ordered]@{ AppInit_DLLs = 'C:\ProgramData\evil.dll'; LoadAppInit_DLLs = 1 }
            $baseCim = ${function:Get-WinCim}
            function Get-WinCim {
                param([string]$ClassName, [string]$Namespace = 'root\cimv2')
                switch ($ClassName) {
                    '__EventFilter' { [pscustomobject]@{ Name = 'Updater'; Query = "SELECT * FROM __InstanceModificationEvent WITHIN 60 WHERE TargetInstance ISA 'Win32_PerfFormattedData_PerfOS_System'" } }
                    '__FilterToConsumerBinding' { [pscustomobject]@{ Filter = '__EventFilter.Name="Updater"'; Consumer = 'CommandLineEventConsumer.Name="Updater"' } }
                    'CommandLineEventConsumer' { [pscustomobject]@{ Name = 'Updater'; CommandLineTemplate = 'C:\ProgramData\svchost.exe -k netsvc' } }
                    default { & $baseCim -ClassName $ClassName -Namespace $Namespace }
                }
            }
            function Get-WinLnkTarget { param([string]$LocalPath, [string]$HostPath) [pscustomobject]@{ TargetPath = 'C:\Users\alice\AppData\Roaming\Microsoft\csrss.exe'; Arguments = '--gpu' } }
        }
        $run = & (Join-Path $PSScriptRoot 'Invoke-StubCollection.ps1') -WorkDirectory $script:W -UseExistingRoot -ExtraStubs $extra
        $b = Expand-Bundle $run.Zip
        $entries = (Read-Json (Join-Path $b 'autoruns.json')).entries
        $wmi = $entries | Where-Object kind -eq 'WmiSubscription'
        $wmi.command | Should -Be 'C:\ProgramData\svchost.exe -k netsvc'
        $wmi.location | Should -BeLike 'root\subscription:CommandLineEventConsumer <- Updater: SELECT*'
        ($entries | Where-Object kind -eq 'IfeoDebugger').name | Should -Be 'sethc.exe'
        ($entries | Where-Object kind -eq 'AppInitDlls').command | Should -Be 'C:\ProgramData\evil.dll'
        $startup = $entries | Where-Object kind -eq 'StartupFolder'
        $startup.command | Should -Be '"C:\Users\alice\AppData\Roaming\Microsoft\csrss.exe" --gpu'
        $startup.user | Should -Be 'alice'
        $files = @(Import-Csv (Join-Path $b 'files.csv'))
        ($files | Where-Object path -eq 'C:\ProgramData\svchost.exe').reason | Should -Be 'autorun-target;name-match'
        ($files | Where-Object path -eq 'C:\ProgramData\evil.dll').reason | Should -Be 'autorun-target;sibling'
        ($files | Where-Object path -like '*\Startup\Updater.lnk').reason | Should -Be 'autorun-target'
        ($files | Where-Object path -eq 'C:\Users\alice\AppData\Roaming\Microsoft\csrss.exe').reason | Should -Be 'process-image;task-target;autorun-target;name-match'
    }
    It 'copies a task whose XML is malformed or carries a DTD, records it as an error, and goes on' {
        $root = Join-Path $script:W 'root'
        & (Join-Path $PSScriptRoot 'fake/New-FakeSystemRoot.ps1') -Path $root
        $dtd = '<?xml version="1.0"?><!DOCTYPE Task [<!ENTITY x "C:\Users\Public\x.exe">]><Task xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task"><Actions><Exec><Command>&x;</Command></Exec></Actions></Task>'
        [IO.File]::WriteAllText((Join-Path $root 'Windows/System32/Tasks/WithDtd'), $dtd)
        [IO.File]::WriteAllText((Join-Path $root 'Windows/System32/Tasks/Broken'), '<Task><Actions>')
        $run = & (Join-Path $PSScriptRoot 'Invoke-StubCollection.ps1') -WorkDirectory $script:W -UseExistingRoot -StubScope Quick
        $b = Expand-Bundle $run.Zip
        [IO.File]::ReadAllText((Join-Path $b 'tasks/WithDtd.xml')) | Should -Be $dtd
        (Join-Path $b 'tasks/Broken.xml') | Should -Exist
        $items = Get-ErrorItems (Read-Json (Join-Path $b 'manifest.json'))
        $items | Should -Contain 'tasks/WithDtd.xml'
        $items | Should -Contain 'tasks/Broken.xml'
        @(Import-Csv (Join-Path $b 'files.csv')).path | Should -Not -Contain 'C:\Users\Public\x.exe'
        (Join-Path $b 'tasks/Microsoft/Windows/Maintenance/SystemHealthMonitor.xml') | Should -Exist
    }
    It 'reads the COM registration of each ComHandler task from HKLM and the user hive (an HKCU override kept beside the machine one) and collects the DLLs' {
        $root = Join-Path $script:W 'root'
        & (Join-Path $PSScriptRoot 'fake/New-FakeSystemRoot.ps1') -Path $root
        $id = '{5D7F4B1C-3A2E-4F60-9B8D-1E2C3A4B5C6D}'
        $task = '<?xml version="1.0" encoding="UTF-16"?><Task xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task"><Actions><ComHandler><ClassId>' + $id.ToLowerInvariant() + '</ClassId></ComHandler></Actions></Task>'
        $unregistered = '<?xml version="1.0" encoding="UTF-16"?><Task xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task"><Actions><ComHandler><ClassId>{00000000-1111-2222-3333-444444444444}</ClassId></ComHandler></Actions></Task>'
        $hostile = '<?xml version="1.0" encoding="UTF-16"?><Task xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task"><Actions><ComHandler><ClassId>..\..\Run</ClassId></ComHandler></Actions></Task>'
        $shell = Join-Path $root 'Windows/System32/Tasks/Microsoft/Windows/Shell'
        [void](New-Item -ItemType Directory -Path $shell -Force)
        [IO.File]::WriteAllText((Join-Path $shell 'ThemesSync'), $task, [Text.Encoding]::Unicode)
        [IO.File]::WriteAllText((Join-Path $shell 'Gone'), $unregistered, [Text.Encoding]::Unicode)
        [IO.File]::WriteAllText((Join-Path $shell 'Hostile'), $hostile, [Text.Encoding]::Unicode)
        [IO.File]::WriteAllText((Join-Path $root 'Windows/System32/themeui.dll'), 'MZ genuine themeui.dll')
        $evilDir = Join-Path $root 'Users/alice/AppData/Local/Microsoft/ThemeSync'
        [void](New-Item -ItemType Directory -Path $evilDir -Force)
        [IO.File]::WriteAllText((Join-Path $evilDir 'themesync.dll'), 'MZ per-user COM hijack dll')
        $extra = {
            $cid = '{5D7F4B1C-3A2E-4F60-9B8D-1E2C3A4B5C6D}'
            $StubRegistry["HKLM\SOFTWARE\Classes\CLSID\$cid"] = @{ '' = 'Theme sync handler' }
            $StubRegistry["HKLM\SOFTWARE\Classes\CLSID\$cid\InprocServer32"] = [ordered]@{ '' = '%SystemRoot%\System32\themeui.dll'; ThreadingModel = 'Both' }
            $StubRegistry["HKU\$StubAliceSid\Software\Classes\CLSID\$cid"] = @{}
            $StubRegistry["HKU\$StubAliceSid\Software\Classes\CLSID\$cid\InprocServer32"] = [ordered]@{ '' = 'C:\Users\alice\AppData\Local\Microsoft\ThemeSync\themesync.dll'; ThreadingModel = 'Apartment' }
        }
        $run = & (Join-Path $PSScriptRoot 'Invoke-StubCollection.ps1') -WorkDirectory $script:W -UseExistingRoot -ExtraStubs $extra
        $b = Expand-Bundle $run.Zip
        $check = Test-AgainstSchema -JsonPath (Join-Path $b 'com.json') -SchemaName 'com.schema.json'
        $check.Valid | Should -BeTrue -Because $check.Messages
        $regs = @((Read-Json (Join-Path $b 'com.json')).registrations)
        $regs.Count | Should -Be 2
        @($regs.classId | Sort-Object -Unique) | Should -Be @($id)
        $machine = $regs | Where-Object hive -eq 'HKLM'
        $machine.key | Should -Be "HKLM\SOFTWARE\Classes\CLSID\$id"
        $machine.name | Should -Be 'Theme sync handler'
        $machine.inprocServer32 | Should -Be '%SystemRoot%\System32\themeui.dll'
        $machine.threadingModel | Should -Be 'Both'
        $machine.user | Should -BeNullOrEmpty
        $user = $regs | Where-Object hive -eq 'HKU'
        $user.user | Should -Be 'WS-STUB01\alice'
        $user.key | Should -Be "HKU\S-1-5-21-1111111111-2222222222-3333333333-1001\Software\Classes\CLSID\$id"
        $user.inprocServer32 | Should -Be 'C:\Users\alice\AppData\Local\Microsoft\ThemeSync\themesync.dll'
        $user.threadingModel | Should -Be 'Apartment'
        $files = @(Import-Csv (Join-Path $b 'files.csv'))
        foreach ($dll in @('C:\Windows\System32\themeui.dll', 'C:\Users\alice\AppData\Local\Microsoft\ThemeSync\themesync.dll')) {
            $row = $files | Where-Object path -eq $dll
            $row.reason | Should -Be 'task-target' -Because $dll
            $row.bundlePath | Should -Be ('binaries/' + $row.sha256 + '.bin') -Because $dll
            (Join-Path $b $row.bundlePath) | Should -Exist
        }
        $m = Read-Json (Join-Path $b 'manifest.json')
        ($m.errors | Where-Object item -eq 'CLSID {00000000-1111-2222-3333-444444444444}').message | Should -BeLike '*not registered*'
        ($m.errors | Where-Object item -eq 'tasks/Microsoft/Windows/Shell/Hostile.xml').message | Should -BeLike '*not a GUID*'
        @($m.files.path) | Should -Contain 'com.json'
        @($run.Calls | Where-Object { $_ -like '*Run*' -and $_ -like '*CLSID*' }) | Should -BeNullOrEmpty
    }
    It 'a COM server DLL over -MaxBinaryBytes is hashed but not copied, and an unreadable class key is an error, not a stop' {
        $root = Join-Path $script:W 'root'
        & (Join-Path $PSScriptRoot 'fake/New-FakeSystemRoot.ps1') -Path $root
        $task = '<?xml version="1.0" encoding="UTF-16"?><Task xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task"><Actions><ComHandler><ClassId>{5D7F4B1C-3A2E-4F60-9B8D-1E2C3A4B5C6D}</ClassId></ComHandler></Actions></Task>'
        [IO.File]::WriteAllText((Join-Path $root 'Windows/System32/Tasks/Sync'), $task, [Text.Encoding]::Unicode)
        [IO.File]::WriteAllText((Join-Path $root 'ProgramData/big handler.dll'), ('MZ' + ('x' * 200)))
        $task2 = $task.Replace('{5D7F4B1C-3A2E-4F60-9B8D-1E2C3A4B5C6D}', '{0BADC0DE-0000-4000-8000-000000000001}')
        [IO.File]::WriteAllText((Join-Path $root 'Windows/System32/Tasks/Locked'), $task2, [Text.Encoding]::Unicode)
        $extra = {
            $StubRegistry['HKLM\SOFTWARE\Classes\CLSID\{5D7F4B1C-3A2E-4F60-9B8D-1E2C3A4B5C6D}'] = @{}
            $StubRegistry['HKLM\SOFTWARE\Classes\CLSID\{5D7F4B1C-3A2E-4F60-9B8D-1E2C3A4B5C6D}\InprocServer32'] = @{ '' = 'C:\ProgramData\big handler.dll' }
            $StubRegistry['HKLM\SOFTWARE\Classes\CLSID\{0BADC0DE-0000-4000-8000-000000000001}'] = 'ACCESS DENIED'
        }
        $run = & (Join-Path $PSScriptRoot 'Invoke-StubCollection.ps1') -WorkDirectory $script:W -UseExistingRoot -ExtraStubs $extra -StubMaxBinaryBytes 100
        $b = Expand-Bundle $run.Zip
        $row = @(Import-Csv (Join-Path $b 'files.csv')) | Where-Object path -eq 'C:\ProgramData\big handler.dll'
        $row.sha256 | Should -Match '^[0-9a-f]{64}$'
        $row.bundlePath | Should -BeNullOrEmpty
        $errors = (Read-Json (Join-Path $b 'manifest.json')).errors
        @($errors | Where-Object { $_.item -eq 'C:\ProgramData\big handler.dll' -and $_.message -like '*MaxBinaryBytes*' }).Count | Should -Be 1
        # An unreadable class key is its own error and the run went on; it is not called "not registered".
        @($errors | Where-Object { $_.item -eq 'HKLM\SOFTWARE\Classes\CLSID\{0BADC0DE-0000-4000-8000-000000000001}' }).Count | Should -Be 1
        @($errors | Where-Object { $_.item -eq 'CLSID {0BADC0DE-0000-4000-8000-000000000001}' }).Count | Should -Be 0
        (Join-Path $b 'com.json') | Should -Exist
    }
    It 'resolves a relative -OutputPath against the PowerShell location, not the process working folder' {
        $out = Join-Path $script:W 'here'
        [void](New-Item -ItemType Directory -Path $out)
        Push-Location -LiteralPath $out
        try {
            [Environment]::CurrentDirectory | Should -Not -Be $out
            $run = & (Join-Path $PSScriptRoot 'Invoke-StubCollection.ps1') -WorkDirectory $script:W -StubOutputPath 'relative.zip' -StubScope Quick
        }
        finally { Pop-Location }
        $run.Zip | Should -Be (Join-Path $out 'relative.zip')
        (Join-Path $out 'relative.zip') | Should -Exist
    }
    It 'a process image that cannot be found becomes an error and the rest is collected' {
        $extra = {
            $realCim = ${function:Get-WinCim}
            function Get-WinCim {
                param([string]$ClassName, [string]$Namespace = 'root\cimv2')
                if ($ClassName -eq 'Win32_Process') {
                    & $realCim -ClassName $ClassName -Namespace $Namespace
                    New-StubProcess 9000 2240 'lsass.exe' 'C:\Users\Public\lsass.exe' 'lsass.exe' '2026-11-20T07:30:00Z' 1 1024 'WS-STUB01\alice'
                    return
                }
                & $realCim -ClassName $ClassName -Namespace $Namespace
            }
        }
        $run = & (Join-Path $PSScriptRoot 'Invoke-StubCollection.ps1') -WorkDirectory $script:W -ExtraStubs $extra
        $b = Expand-Bundle $run.Zip
        $m = Read-Json (Join-Path $b 'manifest.json')
        ($m.errors | Where-Object item -eq 'C:\Users\Public\lsass.exe').message | Should -Be 'file not found or not accessible'
        @(Import-Csv (Join-Path $b 'processes.csv')).Count | Should -Be 9
        @(Import-Csv (Join-Path $b 'files.csv')).path | Should -Contain 'C:\Users\Public\lsass.exe'
    }
}

Describe 'Helper functions' {
    BeforeAll { . (Join-Path $script:Repo 'collect.ps1') -NoRun }

    It 'Format-UtcTime turns <Name> into <Expected>' -TestCases @(
        @{ Name = 'a DMTF string east of UTC'; Value = '20261120080100.000000+060'; Expected = '2026-11-20T07:01:00Z' }
        @{ Name = 'a DMTF string west of UTC with microseconds'; Value = '20261120020100.250000-300'; Expected = '2026-11-20T07:01:00.25Z' }
        @{ Name = 'a UTC DateTime'; Value = [datetime]::SpecifyKind([datetime]'2026-01-02T03:04:05', 'Utc'); Expected = '2026-01-02T03:04:05Z' }
        @{ Name = 'a DateTimeOffset'; Value = [datetimeoffset]::Parse('2026-01-02T05:04:05+02:00', [Globalization.CultureInfo]::InvariantCulture); Expected = '2026-01-02T03:04:05Z' }
        @{ Name = 'an empty string'; Value = ''; Expected = $null }
        @{ Name = 'a FILETIME zero (year 1601)'; Value = [datetime]::SpecifyKind([datetime]'1601-01-01T00:00:00', 'Utc'); Expected = $null }
    ) {
        Format-UtcTime $Value | Should -Be $Expected
    }
    It 'Format-UtcTime converts a local DateTime to UTC' {
        $local = [datetime]::SpecifyKind([datetime]'2026-06-01T12:00:00', 'Utc').ToLocalTime()
        Format-UtcTime $local | Should -Be '2026-06-01T12:00:00Z'
    }
    It 'Get-NameMatchKind says <Expected> for <File>' -TestCases @(
        @{ File = 'csrss.exe'; Expected = 'core' }
        @{ File = 'CSRSS.EXE'; Expected = 'core' }
        @{ File = 'csrsss.exe'; Expected = 'lookalike' }
        @{ File = 'cssrs.exe'; Expected = 'lookalike' }
        @{ File = 'crss.exe'; Expected = 'lookalike' }
        @{ File = 'c5rss.exe'; Expected = 'lookalike' }
        @{ File = 'svch0st.exe'; Expected = 'lookalike' }
        @{ File = 'lsasss.scr'; Expected = 'lookalike' }
        @{ File = 'scvhost.exe'; Expected = 'lookalike' }
        @{ File = 'csrss.dll'; Expected = $null }
        @{ File = 'notepad.exe'; Expected = $null }
        @{ File = 'csrsrv.exe'; Expected = $null }
        @{ File = 'sms.exe'; Expected = $null }
    ) {
        Get-NameMatchKind $File | Should -Be $Expected
    }
    It 'Resolve-CommandPaths finds <Expected> in <Command>' -TestCases @(
        @{ Command = '"C:\Program Files\App\app.exe" /run'; Expected = @('C:\Program Files\App\app.exe') }
        @{ Command = '%windir%\system32\defrag.exe -c'; Expected = @('C:\Windows\system32\defrag.exe') }
        @{ Command = '\SystemRoot\System32\drivers\tcpip.sys'; Expected = @('C:\Windows\System32\drivers\tcpip.sys') }
        @{ Command = 'System32\drivers\x.sys'; Expected = @('C:\Windows\System32\drivers\x.sys') }
        @{ Command = '\??\C:\Temp\evil.sys'; Expected = @('C:\Temp\evil.sys') }
        @{ Command = 'rundll32.exe C:\Users\a\AppData\x.dll,Start'; Expected = @('C:\Windows\System32\rundll32.exe', 'C:\Users\a\AppData\x.dll') }
        @{ Command = 'wscript.exe "C:\Users\Public\run me.vbs"'; Expected = @('C:\Windows\System32\wscript.exe', 'C:\Users\Public\run me.vbs') }
        @{ Command = ''; Expected = @() }
    ) {
        $ctx = [pscustomobject]@{ RootPrefix = $null; Env = @{ SystemRoot = 'C:\Windows'; SystemDrive = 'C:' }; Variables = [ordered]@{ WINDIR = 'C:\Windows'; SYSTEMROOT = 'C:\Windows' } }
        @(Resolve-CommandPaths -Context $ctx -Command $Command) | Should -Be $Expected
    }
    It 'ConvertTo-BundleJson escapes hostile strings so they round-trip through a JSON parser' {
        $hostile = "a`"b\c`r`n`t" + [char]0 + [char]0x1f + [char]0xD800 + 'z'
        $json = ConvertTo-BundleJson ([ordered]@{ s = $hostile; n = $null; b = $false; i = [long]42; d = 0.5; a = @(); o = [ordered]@{} })
        $back = $json | ConvertFrom-Json
        $back.s.Length | Should -Be $hostile.Length
        $back.s.Substring(0, 7) | Should -Be $hostile.Substring(0, 7)
        $back.n | Should -BeNullOrEmpty
        $back.b | Should -BeFalse
        $back.i | Should -Be 42
        $back.d | Should -Be 0.5
        $json | Should -Match '"a": \[\]'
        $json | Should -Match '\\ud800'
    }
    It 'ConvertTo-CsvText quotes commas, quotes, line breaks and edge spaces only' {
        $text = ConvertTo-CsvText -Columns @('a', 'b', 'c', 'd', 'e') -Rows @([ordered]@{ a = 'x,y'; b = 'say "hi"'; c = "l1`nl2"; d = ' pad'; e = 'plain' })
        $text | Should -Be ("a,b,c,d,e`r`n" + '"x,y","say ""hi""","l1' + "`n" + 'l2"," pad",plain' + "`r`n")
    }
    It 'Get-SafeRelativePath drops . and .. segments and replaces characters not allowed in file names' {
        Get-SafeRelativePath '../Microsoft/./Win:dows/Task?' | Should -Be 'Microsoft/Win_dows/Task_'
        Get-SafeRelativePath '../..' | Should -BeNullOrEmpty
    }
}

Describe 'Windows PowerShell 5.1 compatibility of collect.ps1' {
    It 'collect.ps1 uses no PowerShell 7-only syntax, parameter or non-ASCII byte' {
        Find-Ps7OnlySyntax -Path (Join-Path $script:Repo 'collect.ps1') | Should -BeNullOrEmpty
    }
    It 'the checker flags <Construct>' -TestCases @(
        @{ Construct = 'the ternary operator'; Sample = '$a = $b ? 1 : 2'; Pattern = '*ternary*' }
        @{ Construct = 'null-coalescing ??'; Sample = '$a = $b ?? 3'; Pattern = '*null-coalescing ??*' }
        @{ Construct = 'null-coalescing assignment ??='; Sample = '$a ??= 3'; Pattern = '*??=*' }
        @{ Construct = 'null-conditional member access'; Sample = '${a}?.Name'; Pattern = '*member access ?.*' }
        @{ Construct = 'null-conditional method call'; Sample = '${a}?.Trim()'; Pattern = '*method call ?.*' }
        @{ Construct = 'null-conditional index'; Sample = '${a}?[0]'; Pattern = '*index ?`[`]*' }
        @{ Construct = 'pipeline chain &&'; Sample = 'Get-Item . && "ok"'; Pattern = '*pipeline chain*' }
        @{ Construct = 'pipeline chain ||'; Sample = 'Get-Item . || "no"'; Pattern = '*pipeline chain*' }
        @{ Construct = 'a clean block'; Sample = 'function f { process { } clean { } }'; Pattern = '*clean block*' }
        @{ Construct = 'ForEach-Object -Parallel'; Sample = '1..3 | ForEach-Object -Parallel { $_ }'; Pattern = '*-Parallel*' }
        @{ Construct = 'ConvertFrom-Json -AsHashtable'; Sample = '"{}" | ConvertFrom-Json -AsHashtable'; Pattern = '*AsHashtable*' }
        @{ Construct = 'Get-Content -AsByteStream'; Sample = 'Get-Content x -AsByteStream'; Pattern = '*AsByteStream*' }
        @{ Construct = 'the utf8NoBOM encoding name'; Sample = 'Set-Content x -Encoding utf8NoBOM -Value 1'; Pattern = '*utf8NoBOM*' }
        @{ Construct = 'a 7-only cmdlet'; Sample = 'Test-Json -Json "{}"'; Pattern = '*Test-Json*' }
        @{ Construct = 'a non-ASCII character'; Sample = ('$s = ''caf' + [char]0xe9 + ''''); Pattern = '*non-ASCII*' }
    ) {
        $found = @(Find-Ps7OnlySyntax -Text $Sample)
        $found.Count | Should -BeGreaterThan 0
        ($found -join "`n") | Should -BeLike $Pattern
    }
    It 'the checker passes plain 5.1 code' {
        Find-Ps7OnlySyntax -Text 'if ($a) { $b = 1 } else { $b = 2 }; $c = @($d | Where-Object { $_ }); $e = [ordered]@{ x = 1 }' | Should -BeNullOrEmpty
    }
    It 'the catalog P/Invoke helper compiles as C# 5 (the Add-Type compiler of Windows PowerShell 5.1)' {
        . (Join-Path $script:Repo 'collect.ps1') -NoRun
        $CatalogSource | Should -Match 'CryptCATAdminEnumCatalogFromHash'
        Get-CSharp5Errors -Source $CatalogSource | Should -BeNullOrEmpty
    }
    It 'the C# 5 check rejects C# 6 features' {
        $errors = @(Get-CSharp5Errors -Source 'public class A { int X => 1; string M() { return $"x{1}"; } }')
        ($errors -join "`n") | Should -BeLike '*expression-bodied*'
        ($errors -join "`n") | Should -BeLike '*interpolated strings*'
    }
    It 'calls Windows-only commands only inside Get-Win* wrappers that the tests replace' {
        Find-UnwrappedWindowsCalls -Path (Join-Path $script:Repo 'collect.ps1') | Should -BeNullOrEmpty
    }
    It 'the wrapper checker flags a Windows-only call outside a wrapper' {
        $tmp = Join-Path ([IO.Path]::GetTempPath()) ('wrap-' + [guid]::NewGuid().ToString('N') + '.ps1')
        try {
            [IO.File]::WriteAllText($tmp, "function Get-Procs { Get-CimInstance Win32_Process }`nfunction Get-WinOk { Get-CimInstance Win32_Process }")
            $found = @(Find-UnwrappedWindowsCalls -Path $tmp)
            $found.Count | Should -Be 1
            $found[0] | Should -BeLike '*Get-CimInstance called from Get-Procs*'
        }
        finally { Remove-Item -LiteralPath $tmp -Force }
    }
    It 'every Get-Win* wrapper in collect.ps1 has a stub in FakeHost.ps1' {
        $names = {
            param($path)
            $t = $null; $e = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($path, [ref]$t, [ref]$e)
            @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $false) | ForEach-Object Name | Where-Object { $_ -like 'Get-Win*' -or $_ -eq 'Resolve-WinSid' -or $_ -eq 'Get-UtcNow' } | Sort-Object)
        }
        $wrappers = & $names (Join-Path $script:Repo 'collect.ps1')
        $stubs = & $names (Join-Path $PSScriptRoot 'fake/FakeHost.ps1')
        $wrappers.Count | Should -BeGreaterThan 10
        @($wrappers | Where-Object { $stubs -notcontains $_ }) | Should -BeNullOrEmpty
    }
}
