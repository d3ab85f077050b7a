using CsrssForensics.Analysis.Correlation;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using static CsrssForensics.Analysis.Tests.Correlation.SnapshotFactory;
using CorrelationModel = CsrssForensics.Analysis.Correlation.Correlation;

namespace CsrssForensics.Analysis.Tests.Correlation;

/// <summary>Per-user launchers starting their own user's AppData are low findings; the odd cases keep their severity.</summary>
public sealed class OwnProfileLauncherTests
{
    private const string AliceSid = "S-1-5-21-1004336348-1177238915-682003330-1001";
    private const string UserRun = @"HKU\" + AliceSid + @"\Software\Microsoft\Windows\CurrentVersion\Run";
    private const string OneDrive = @"C:\Users\alice\AppData\Local\Microsoft\OneDrive\OneDrive.exe";
    private const string Updater = @"C:\Users\alice\AppData\Local\Microsoft\OneDrive\OneDriveStandaloneUpdater.exe";

    private static Finding FindingOf(CorrelationModel correlation, string code) =>
        Assert.Single(Assert.Single(correlation.Launchers).Findings, f => f.Code == code);

    private static bool Has(CorrelationModel correlation, string code) =>
        Assert.Single(correlation.Launchers).Findings.Any(f => f.Code == code);

    [Fact]
    public void A_users_own_Run_value_starting_a_file_in_that_users_AppData_is_low()
    {
        var snapshot = Snapshot(files: [File(OneDrive, 1)],
            autoruns: [Autorun(AutorunKind.RunKey, UserRun, "OneDrive", $"\"{OneDrive}\" /background", @"CORP\alice")]);

        var finding = FindingOf(CorrelationModel.Build(snapshot), LauncherCodes.RunUserPath);

        Assert.Equal(AnomalySeverity.Low, finding.Severity);
        Assert.Contains("same user's AppData", finding.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Run", @"CORP\alice", OneDrive)]
    [InlineData(UserRun, @"CORP\bob", OneDrive)]
    [InlineData(UserRun, @"CORP\alice", @"C:\Users\alice\AppData\Local\Temp\a.exe")]
    [InlineData(UserRun, @"CORP\alice", @"C:\Users\alice\Downloads\a.exe")]
    [InlineData(UserRun, @"CORP\alice", @"C:\ProgramData\x\a.exe")]
    [InlineData(UserRun, null, OneDrive)]
    public void Other_user_writable_Run_targets_stay_medium(string location, string? user, string target)
    {
        var snapshot = Snapshot(files: [File(target, 1)], autoruns: [Autorun(AutorunKind.RunKey, location, "X", $"\"{target}\"", user)]);

        Assert.Equal(AnomalySeverity.Medium, FindingOf(CorrelationModel.Build(snapshot), LauncherCodes.RunUserPath).Severity);
    }

    [Fact]
    public void A_per_user_updater_task_in_its_own_AppData_is_low_and_its_vendor_words_are_no_Windows_claim()
    {
        var task = Task(@"\OneDrive Standalone Update Task-" + AliceSid, Exec(@"%localappdata%\Microsoft\OneDrive\OneDriveStandaloneUpdater.exe"))
            with { RunAsUser = AliceSid };
        var correlation = CorrelationModel.Build(Snapshot(files: [File(Updater, 1)], tasks: [task]));

        Assert.Equal(AnomalySeverity.Low, FindingOf(correlation, LauncherCodes.TaskUserPath).Severity);
        Assert.False(Has(correlation, LauncherCodes.TaskSystemNameUserPath));
    }

    [Fact]
    public void A_task_whose_principal_is_a_SID_is_matched_to_its_user_through_that_users_hive_entries()
    {
        const string Google = @"C:\Users\alice\AppData\Local\Google\Update\GoogleUpdate.exe";
        var task = Task(@"\GoogleUpdateTaskUser" + AliceSid + "Core", Exec(Google, "/c")) with { RunAsUser = AliceSid };
        var hiveEntry = Autorun(AutorunKind.RunKey, UserRun, "OneDrive", $"\"{OneDrive}\" /background", @"CORP\alice");

        var correlation = CorrelationModel.Build(Snapshot(files: [File(Google, 1), File(OneDrive, 2)], tasks: [task], autoruns: [hiveEntry]));

        var launcher = Assert.Single(correlation.Launchers, l => l.Kind == "scheduled-task");
        Assert.Equal(AnomalySeverity.Low, Assert.Single(launcher.Findings, f => f.Code == LauncherCodes.TaskUserPath).Severity);
    }

    [Fact]
    public void A_SID_the_bundle_names_two_owners_for_is_not_trusted()
    {
        const string Google = @"C:\Users\alice\AppData\Local\Google\Update\GoogleUpdate.exe";
        var task = Task(@"\GoogleUpdateTaskUser", Exec(Google, "/c")) with { RunAsUser = AliceSid };
        var correlation = CorrelationModel.Build(Snapshot(files: [File(Google, 1)], tasks: [task], autoruns:
        [
            Autorun(AutorunKind.RunKey, UserRun, "A", @"C:\Program Files\a.exe", @"CORP\mallory"),
            Autorun(AutorunKind.RunKey, UserRun, "B", @"C:\Program Files\b.exe", @"CORP\alice", index: 1),
        ]));

        var launcher = Assert.Single(correlation.Launchers, l => l.Kind == "scheduled-task");
        Assert.Equal(AnomalySeverity.Medium, Assert.Single(launcher.Findings, f => f.Code == LauncherCodes.TaskUserPath).Severity);
    }

    [Fact]
    public void A_shortcut_in_a_users_own_Startup_folder_to_that_users_AppData_is_low()
    {
        const string Startup = @"C:\Users\alice\AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Startup";
        const string App = @"C:\Users\alice\AppData\Local\Programs\Notes\Notes.exe";
        var snapshot = Snapshot(files: [File(App, 1)], autoruns: [Autorun(AutorunKind.StartupFolder, Startup, "Notes.lnk", $"\"{App}\" --hidden")]);

        Assert.Equal(AnomalySeverity.Low, FindingOf(CorrelationModel.Build(snapshot), LauncherCodes.OtherUserPath).Severity);
    }

    [Fact]
    public void A_shortcut_in_the_all_users_Startup_folder_to_a_users_AppData_stays_medium()
    {
        const string Startup = @"C:\ProgramData\Microsoft\Windows\Start Menu\Programs\Startup";
        const string App = @"C:\Users\alice\AppData\Local\Programs\Notes\Notes.exe";
        var snapshot = Snapshot(files: [File(App, 1)], autoruns: [Autorun(AutorunKind.StartupFolder, Startup, "Notes.lnk", $"\"{App}\"")]);

        Assert.Equal(AnomalySeverity.Medium, FindingOf(CorrelationModel.Build(snapshot), LauncherCodes.OtherUserPath).Severity);
    }

    [Fact]
    public void A_per_user_task_named_like_Windows_keeps_its_system_name_finding()
    {
        var task = Task(@"\Windows Update Helper", Exec(@"%APPDATA%\Helper\helper.exe")) with { RunAsUser = AliceSid };
        var correlation = CorrelationModel.Build(Snapshot(files: [File(@"C:\Users\alice\AppData\Roaming\Helper\helper.exe", 1)], tasks: [task]));

        Assert.Equal(AnomalySeverity.High, FindingOf(correlation, LauncherCodes.TaskSystemNameUserPath).Severity);
    }

    [Theory]
    [InlineData("S-1-5-18")]
    [InlineData(@"NT AUTHORITY\SYSTEM")]
    [InlineData(null)]
    public void A_task_running_as_SYSTEM_or_nobody_known_into_AppData_stays_medium(string? runAs)
    {
        var task = Task(@"\Vendor\Updater", Exec(Updater)) with { RunAsUser = runAs };
        var correlation = CorrelationModel.Build(Snapshot(files: [File(Updater, 1)], tasks: [task]));

        Assert.Equal(AnomalySeverity.Medium, FindingOf(correlation, LauncherCodes.TaskUserPath).Severity);
    }

    [Fact]
    public void A_Run_value_starting_a_core_name_in_its_own_AppData_keeps_its_high_core_name_finding()
    {
        const string Fake = @"C:\Users\alice\AppData\Roaming\Microsoft\csrss.exe";
        var snapshot = Snapshot(files: [File(Fake, 1)], autoruns: [Autorun(AutorunKind.RunKey, UserRun, "Crypto", $"\"{Fake}\"", @"CORP\alice")]);

        Assert.Equal(AnomalySeverity.High, FindingOf(CorrelationModel.Build(snapshot), LauncherCodes.CoreNameTarget).Severity);
    }

    [Fact]
    public void Defenders_services_starting_its_platform_folder_raise_no_user_path_finding()
    {
        const string MsMpEng = @"C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.24090.11-0\MsMpEng.exe";
        var snapshot = Snapshot(files: [File(MsMpEng, 1)],
            autoruns: [Autorun(AutorunKind.Service, @"HKLM\SYSTEM\CurrentControlSet\Services\WinDefend", "WinDefend", $"\"{MsMpEng}\"", "LocalSystem")]);

        Assert.False(Has(CorrelationModel.Build(snapshot), LauncherCodes.ServiceUserPath));
    }

    [Fact]
    public void A_service_in_a_spoofed_Defender_folder_is_high()
    {
        const string Spoof = @"C:\ProgramData\Microsoft\Windows Defender \Platform\4.18.1-0\MsMpEng.exe";
        var snapshot = Snapshot(files: [File(Spoof, 1)],
            autoruns: [Autorun(AutorunKind.Service, @"HKLM\SYSTEM\CurrentControlSet\Services\WinDefend", "WinDefend", $"\"{Spoof}\"", "LocalSystem")]);

        Assert.Equal(AnomalySeverity.High, FindingOf(CorrelationModel.Build(snapshot), LauncherCodes.ServiceUserPath).Severity);
    }
}
