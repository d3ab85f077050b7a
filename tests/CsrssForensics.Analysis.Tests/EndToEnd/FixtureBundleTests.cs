using CsrssForensics.Analysis.Correlation;
using CsrssForensics.Analysis.Tests.Support;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting;

namespace CsrssForensics.Analysis.Tests.EndToEnd;

/// <summary>Each shipped fixture bundle, analysed end to end: expected verdicts first, then the golden reports.</summary>
public sealed class FixtureBundleTests
{
    private static AnalysisReport Analyze(string scenario)
    {
        using var bundle = BundleReader.Open(RepositoryPaths.Fixture("bundles", scenario));
        return BundleAnalyzer.Analyze(bundle);
    }

    private static Verdict VerdictOf(AnalysisReport report, SubjectKind kind, int? pid = null, string? pathEnd = null) =>
        report.Verdicts.Single(v => v.Subject.Kind == kind
            && (pid is null || v.Subject.Pid == pid)
            && (pathEnd is null || (v.Subject.Path ?? string.Empty).EndsWith(pathEnd, StringComparison.OrdinalIgnoreCase))).Verdict;

    [Theory]
    [InlineData("clean-two-sessions")]
    [InlineData("appdata-csrss-task")]
    [InlineData("csrsss-runkey")]
    [InlineData("legit-gpu-overlay")]
    [InlineData("fake-cpu-siblings")]
    [InlineData("system32-not-collected")]
    [InlineData("tampered-after-manifest")]
    [InlineData("core-lookalikes-tree")]
    [InlineData("collector-stub")]
    [InlineData("comhandler-hijack")]
    public void Reports_match_their_golden_files(string scenario)
    {
        var report = Analyze(scenario);

        GoldenFile.Verify(scenario, "json", ReportWriter.ToJson(report));
        GoldenFile.Verify(scenario, "md", ReportWriter.ToMarkdown(report));
    }

    [Theory]
    [InlineData("clean-two-sessions")]
    [InlineData("appdata-csrss-task")]
    [InlineData("fake-cpu-siblings")]
    public void Analysing_twice_gives_byte_identical_reports(string scenario)
    {
        var first = Analyze(scenario);
        var second = Analyze(scenario);

        Assert.Equal(ReportWriter.ToJson(first), ReportWriter.ToJson(second));
        Assert.Equal(ReportWriter.ToHtml(first), ReportWriter.ToHtml(second));
        Assert.Equal(ReportWriter.ToCsv(first), ReportWriter.ToCsv(second));
    }

    [Fact]
    public void Two_System32_csrss_the_host_calls_Valid_are_inconclusive_and_the_machine_is_not_called_clean()
    {
        var report = Analyze("clean-two-sessions");

        // The bundle holds no binaries: every signature is the host's own word, so nothing is proven genuine.
        Assert.Equal(OverallStatus.Inconclusive, report.OverallStatus);
        foreach (var pid in new[] { 612, 704 })
        {
            var csrss = report.Verdicts.Single(v => v.Subject.Pid == pid);
            Assert.Equal(Verdict.Inconclusive, csrss.Verdict);
            Assert.Equal(EvidenceStrength.HostReported, csrss.Strength);
            Assert.Contains(csrss.DecisionPath, s => s.NodeId == "CORE-040" && s.Answer.Contains("source: HostReported", StringComparison.Ordinal));
            Assert.Contains("host's word", csrss.Reason, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(report.Verdicts, v => v.Verdict is Verdict.Legitimate or Verdict.Fake or Verdict.Suspicious && v.Subject.Pid != 4);
        Assert.Contains(report.Actions, a => a.Kind == "do-not" && a.SubjectPath == @"C:\Windows\System32\csrss.exe");
        Assert.DoesNotContain(report.Actions, a => a.Kind == "do" && a.Text.Contains("remove", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(new EvidenceStrengthCounts(0, 19, 0), report.StrengthCounts);
        Assert.StartsWith("Nothing wrong was found, but the machine is not proven clean", report.Summary, StringComparison.Ordinal);
        Assert.Equal(IntegrityStatus.Verified, report.Integrity.Status);
        Assert.Empty(report.Gaps);
    }

    [Fact]
    public void Csrss_in_AppData_started_by_a_task_is_fake_and_the_task_is_named_for_removal()
    {
        var report = Analyze("appdata-csrss-task");

        Assert.Equal(OverallStatus.Compromised, report.OverallStatus);
        Assert.Equal(Verdict.Fake, VerdictOf(report, SubjectKind.Process, pid: 5240));
        Assert.Equal(Verdict.Fake, VerdictOf(report, SubjectKind.File, pathEnd: @"\Crypto\csrss.exe"));
        Assert.Equal(Verdict.Inconclusive, VerdictOf(report, SubjectKind.Process, pid: 612));
        Assert.Equal(Verdict.Inconclusive, VerdictOf(report, SubjectKind.Process, pid: 704));
        var task = Assert.Single(report.Launchers, l => l.Kind == "scheduled-task");
        Assert.Equal(@"\Microsoft\Windows\Maintenance\csrss", task.Name);
        Assert.Contains(@"C:\Users\alice\AppData\Roaming\Microsoft\Crypto\csrss.exe", task.RemoveWith);
        var record = Assert.Single(report.RecordBeforeCleanup);
        Assert.Contains("scheduled-task", record.StartupSource, StringComparison.Ordinal);
        Assert.All(
            report.Actions.Where(a => a.Kind == "do" && a.Text.Contains(@"System32\csrss.exe", StringComparison.OrdinalIgnoreCase)),
            a => Assert.StartsWith("Collect the binary", a.Text, StringComparison.Ordinal));
        var fake = report.Verdicts.First(v => v.Subject.Pid == 5240);
        Assert.NotEmpty(fake.DecisionPath);
        Assert.Contains(fake.Evidence, e => e.BundleFile == "processes.csv" && e.Row == 12);
    }

    [Fact]
    public void ComHandler_task_resolves_to_the_per_user_hijack_DLL_and_System32_verdicts_stay_legitimate()
    {
        const string Hijack = @"C:\Users\bob\AppData\Local\Microsoft\ThemeSync\csrss.dll";
        var report = Analyze("comhandler-hijack");

        var task = Assert.Single(report.Launchers, l => l.Kind == "scheduled-task");
        Assert.Equal(@"\Microsoft\Windows\Shell\ThemesSync", task.Name);
        Assert.Equal("{8A3D52F1-6C0E-4B7A-9D21-3F5E7C9A1B42}", task.Command);
        Assert.Equal(Hijack, task.ResolvedTarget);
        Assert.DoesNotContain(task.Findings, f => f.Code == LauncherCodes.TaskComHandler);
        var hijack = Assert.Single(task.Findings, f => f.Code == LauncherCodes.ComHijack);
        Assert.Equal(AnomalySeverity.High, hijack.Severity);
        Assert.Contains(@"C:\Windows\System32\themeui.dll", hijack.Detail, StringComparison.Ordinal);
        Assert.Contains(Hijack, hijack.Detail, StringComparison.Ordinal);
        // Both registrations (com.json [0] HKLM, [1] bob's) and both DLLs' files.csv rows back it.
        Assert.Contains(new EvidenceRef("com.json", Row: 0), hijack.Evidence);
        Assert.Contains(new EvidenceRef("com.json", Row: 1), hijack.Evidence);
        Assert.Contains(new EvidenceRef("files.csv", Row: 10), hijack.Evidence);
        Assert.Contains(new EvidenceRef("files.csv", Row: 11), hijack.Evidence);
        Assert.Contains(task.Findings, f => f.Code == LauncherCodes.TaskSystemNameUserPath && f.Severity == AnomalySeverity.High);

        // The COM host and every other System32 process the host calls Microsoft-signed are judged no worse than
        // unverified (no binaries were copied), and are protected.
        Assert.Equal(Verdict.Inconclusive, VerdictOf(report, SubjectKind.Process, pid: 6120));
        Assert.All(report.Verdicts.Where(v => v.Subject.Pid != 4), v => Assert.Equal(Verdict.Inconclusive, v.Verdict));
        Assert.Contains(report.Actions, a => a.Kind == "do-not" && a.SubjectPath == @"C:\Windows\System32\taskhostw.exe");

        // The rules judge core-process names and their look-alikes only, and a .dll is neither (LookAlikeMatcher:
        // "not something Windows runs"), so the hijack DLL gets no verdict of its own and is not named for removal;
        // the high-severity hijack finding alone keeps the machine from being called clean.
        Assert.DoesNotContain(report.Verdicts, v => string.Equals(v.Subject.Path, Hijack, StringComparison.OrdinalIgnoreCase));
        Assert.Empty(task.RemoveWith);
        Assert.Equal(OverallStatus.Suspicious, report.OverallStatus);
        Assert.Contains("High-severity autostart findings: 2", report.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Look_alike_csrsss_in_Temp_started_from_a_Run_key_is_fake()
    {
        var report = Analyze("csrsss-runkey");

        Assert.Equal(OverallStatus.Compromised, report.OverallStatus);
        Assert.Equal(Verdict.Fake, VerdictOf(report, SubjectKind.Process, pid: 6400));
        Assert.Contains(report.Launchers, l => l.Kind == "run-key" && l.Name == "Windows Client Runtime" && l.RemoveWith.Length == 1);
    }

    [Fact]
    public void Csrss_with_a_GPU_overlay_is_not_flagged_and_the_overlay_is_listed_as_the_load()
    {
        var report = Analyze("legit-gpu-overlay");

        // Host-reported signatures only: inconclusive, never suspicious, and the load advice still given.
        Assert.Equal(OverallStatus.Inconclusive, report.OverallStatus);
        Assert.Equal(Verdict.Inconclusive, VerdictOf(report, SubjectKind.Process, pid: 704));
        Assert.Equal("FrameBoostOverlay.exe", report.ResourceUsage[0].Name);
        Assert.Contains(report.ResourceUsage, r => r.Name == "msedge.exe");
        Assert.Contains(report.Actions, a => a.Text.Contains("troubleshoot the real load", StringComparison.Ordinal));
    }

    [Fact]
    public void Fake_using_CPU_lists_the_script_and_config_beside_it_and_the_Startup_shortcut()
    {
        var report = Analyze("fake-cpu-siblings");

        Assert.Equal(OverallStatus.Compromised, report.OverallStatus);
        Assert.Equal(Verdict.Fake, VerdictOf(report, SubjectKind.Process, pid: 8112));
        var folder = Assert.Single(report.SameFolderFiles);
        Assert.Contains(folder.Files, f => f.Path.EndsWith("run.ps1", StringComparison.Ordinal));
        Assert.Contains(report.Launchers, l => l.Kind == "startup-folder");
        Assert.Equal("csrss.exe", report.ResourceUsage[0].Name);
    }

    [Fact]
    public void System32_csrss_without_binary_or_signature_is_inconclusive_never_legitimate()
    {
        var report = Analyze("system32-not-collected");

        Assert.Equal(Verdict.Inconclusive, VerdictOf(report, SubjectKind.Process, pid: 612));
        Assert.Equal(Verdict.Inconclusive, VerdictOf(report, SubjectKind.Process, pid: 704));
        Assert.Equal(OverallStatus.Inconclusive, report.OverallStatus);
        Assert.Contains(report.NotCollected, line => line.Contains(@"System32\csrss.exe", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_changed_after_the_manifest_is_an_integrity_finding_and_analysis_goes_on()
    {
        var report = Analyze("tampered-after-manifest");

        Assert.Equal(IntegrityStatus.Failed, report.Integrity.Status);
        var finding = Assert.Single(report.Integrity.Findings);
        Assert.Equal(IntegrityProblem.Changed, finding.Problem);
        Assert.Equal("processes.csv", finding.Path);
        Assert.NotEmpty(report.Verdicts);
        Assert.Equal(OverallStatus.Suspicious, report.OverallStatus);
        Assert.StartsWith("BUNDLE INTEGRITY FAILED", report.Summary, StringComparison.Ordinal);

        // Every process verdict rests on the altered processes.csv: none is legitimate, each says why.
        var processes = report.Verdicts.Where(v => v.Subject.Kind == SubjectKind.Process).ToList();
        Assert.NotEmpty(processes);
        Assert.All(processes, v =>
        {
            Assert.NotEqual(Verdict.Legitimate, v.Verdict);
            Assert.Equal(EvidenceStrength.None, v.Strength);
            Assert.Contains(v.Findings, f => f.Code == "EVD-INTEGRITY-FAILED" && f.Evidence.Any(e => e.BundleFile == "processes.csv"));
        });
    }

    [Fact]
    public void Core_process_look_alikes_are_fake_with_their_launchers_and_the_genuine_csrss_child_is_a_finding()
    {
        var report = Analyze("core-lookalikes-tree");

        Assert.Equal(OverallStatus.Compromised, report.OverallStatus);
        Assert.Equal(Verdict.Fake, VerdictOf(report, SubjectKind.Process, pid: 4400));
        Assert.Equal(Verdict.Fake, VerdictOf(report, SubjectKind.Process, pid: 4520));
        Assert.Equal(Verdict.Fake, VerdictOf(report, SubjectKind.Process, pid: 4600));
        Assert.Equal(@"C:\Windows \System32\csrss.exe", report.Verdicts.Single(v => v.Subject.Pid == 4600).Subject.Path);
        Assert.Equal(Verdict.Inconclusive, VerdictOf(report, SubjectKind.File, pathEnd: @"C:\Windows\System32\csrss.exe"));
        Assert.Equal(Verdict.Suspicious, VerdictOf(report, SubjectKind.Process, pid: 704));
        Assert.Contains(report.Verdicts.Single(v => v.Subject.Pid == 704).Findings, f => f.Code == "CORE-CHILD-UNEXPECTED");
        Assert.Equal(Verdict.Suspicious, VerdictOf(report, SubjectKind.Process, pid: 1200));
        Assert.Contains(report.Launchers, l => l.Kind == "service" && l.Name == "WinDefendUpdate" && l.RemoveWith.Length == 1);
        Assert.Contains(report.Launchers, l => l.Kind == "scheduled-task" && l.Findings.Any(f => f.Code == "LNC-PS-ENCODED") && l.RemoveWith.Length == 1);
        Assert.Contains(report.Launchers, l => l.Kind == "ifeo");
        var tree = Assert.Single(report.ProcessTrees, t => t.FocusPid == 704);
        Assert.Contains(tree.Nodes, n => n.Pid == 9000 && n.Depth == 1);
        Assert.Contains(report.ProcessTrees.Single(t => t.FocusPid == 2100).Nodes, n => n.Note is not null && n.Note.Contains("reused", StringComparison.Ordinal));
        // Protect the real component: the genuine System32 csrss is investigated, never ended, removed or repaired.
        var csrssActions = report.Actions.Where(a => a.SubjectPath == @"C:\Windows\System32\csrss.exe").ToList();
        Assert.Contains(csrssActions, a => a.Kind == "do" && a.Text.StartsWith("Investigate", StringComparison.Ordinal));
        Assert.DoesNotContain(csrssActions, a => a.Kind == "do"
            && (a.Text.Contains("remove", StringComparison.OrdinalIgnoreCase) || a.Text.Contains("end the", StringComparison.OrdinalIgnoreCase) || a.Text.Contains("sfc", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_collector_stub_bundle_gives_a_fake_in_AppData_and_never_advises_deleting_System32_copies()
    {
        var report = Analyze("collector-stub");

        Assert.Equal(IntegrityStatus.Verified, report.Integrity.Status);
        Assert.Equal(OverallStatus.Compromised, report.OverallStatus);
        Assert.Equal(Verdict.Fake, VerdictOf(report, SubjectKind.Process, pid: 7400));
        Assert.Contains(report.Launchers, l => l.Kind == "scheduled-task" && l.RemoveWith.Length == 1);
        // The stub's System32 bytes are placeholders the host called Valid: offline they are unsigned, so they are
        // suspicious with a disagreement finding, and the advice is offline repair, never deletion.
        var system32Csrss = report.Verdicts.Single(v => v.Subject.Pid == 512);
        Assert.Equal(Verdict.Suspicious, system32Csrss.Verdict);
        Assert.Contains(system32Csrss.Findings, f => f.Code == "CORE-SIG-HOST-DISAGREES");
        Assert.Contains(report.Actions, a => a.Kind == "do-not" && a.SubjectPath == @"C:\Windows\System32\csrss.exe" && a.Text.StartsWith("Do not delete", StringComparison.Ordinal));
    }
}
