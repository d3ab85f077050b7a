using CsrssForensics.Analysis.Correlation;
using CsrssForensics.Analysis.Tests.Support;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting;
using CsrssForensics.Reporting.Wording;

namespace CsrssForensics.Analysis.Tests.Correlation;

/// <summary>programs.json, browser-extensions.json and defender.json: corroborating lines, never a verdict change.</summary>
public sealed class HostContextTests
{
    private const string FakePath = @"C:\Users\alice\AppData\Roaming\Microsoft\Crypto\csrss.exe";
    private const string System32Csrss = @"C:\Windows\System32\csrss.exe";

    private static AnalysisReport AnalyzeFixture(string scenario)
    {
        using var bundle = BundleReader.Open(RepositoryPaths.Fixture("bundles", scenario));
        return BundleAnalyzer.Analyze(bundle);
    }

    private static IEnumerable<Finding> ContextFindings(SubjectVerdict verdict, string code) => verdict.Findings.Where(f => f.Code == code);

    private static string[] Levels(AnalysisReport report) =>
        [.. report.Verdicts.Select(v => $"{v.Subject.Kind} {v.Subject.Path} {v.Subject.Pid}: {v.Verdict}")];

    private static string Detection(string resource, string? processName = null) => $$"""
        { "status": { "realTimeProtectionEnabled": true, "isTamperProtected": true },
          "detections": [ { "threatName": "Trojan:Win32/Test", "processName": {{(processName is null ? "null" : System.Text.Json.JsonSerializer.Serialize(processName))}},
                            "resources": [ {{System.Text.Json.JsonSerializer.Serialize(resource)}} ],
                            "initialDetectionUtc": "2026-11-19T09:12:30Z", "actionSuccess": true } ] }
        """;

    [Fact]
    public void Defender_detection_of_the_fake_path_is_a_corroborating_line_on_its_verdicts()
    {
        var report = AnalyzeFixture("appdata-csrss-task");

        var fakes = report.Verdicts.Where(v => v.Subject.Path == FakePath).ToList();
        Assert.Equal(2, fakes.Count);
        Assert.All(fakes, v =>
        {
            Assert.Equal(Verdict.Fake, v.Verdict);
            var finding = Assert.Single(ContextFindings(v, HostContextCodes.DefenderDetected));
            Assert.Equal(AnomalySeverity.Info, finding.Severity);
            Assert.StartsWith("Defender detected Trojan:Win32/Masquerade.A at 2026-11-19T09:12:30Z, action success false.", finding.Detail, StringComparison.Ordinal);
            Assert.Equal<EvidenceRef>([new EvidenceRef("defender.json", 0)], finding.Evidence);
        });
        Assert.DoesNotContain(report.Verdicts.Where(v => v.Subject.Path != FakePath), v => ContextFindings(v, HostContextCodes.DefenderDetected).Any());
        Assert.Equal<string>([FakePath], Assert.Single(report.HostContext!.DefenderDetections).Subjects);
    }

    [Fact]
    public void Context_files_change_no_verdict_level_and_no_rule_finding()
    {
        using var bare = new FixtureCopy("appdata-csrss-task").Delete("defender.json").Delete("programs.json").Delete("browser-extensions.json");
        using var full = new FixtureCopy("appdata-csrss-task");

        var without = bare.Analyze();
        var with = full.Analyze();

        Assert.Equal<string>(Levels(without), Levels(with));
        Assert.Equal(without.OverallStatus, with.OverallStatus);
        Assert.Equal<string>(
            [.. without.Verdicts.SelectMany(v => v.Findings).Select(f => f.Code)],
            [.. with.Verdicts.SelectMany(v => v.Findings).Select(f => f.Code).Where(c => !c.StartsWith("CTX-", StringComparison.Ordinal))]);
        Assert.Equal(without.ProcessTrees.Length, with.ProcessTrees.Length);
        Assert.Equal<string>([.. without.Actions.Select(a => a.Text)], [.. with.Actions.Select(a => a.Text)]);
        Assert.Null(without.HostContext);
        Assert.Contains("Bundle part not collected: defender.json.", without.NotCollected);
    }

    [Fact]
    public void Defender_detection_of_the_System32_csrss_changes_no_verdict()
    {
        using var copy = new FixtureCopy("clean-two-sessions").Write("defender.json", Detection("file:_" + System32Csrss));

        var report = copy.Analyze();

        var genuine = report.Verdicts.Where(v => v.Subject.Path == System32Csrss).ToList();
        Assert.Equal(3, genuine.Count);
        Assert.All(genuine, v =>
        {
            // Host-reported signature (no binary in this fixture): inconclusive, exactly as without defender.json.
            Assert.Equal(Verdict.Inconclusive, v.Verdict);
            var finding = Assert.Single(ContextFindings(v, HostContextCodes.DefenderDetected));
            Assert.Contains("the verdict stands", finding.Detail, StringComparison.Ordinal);
        });
        Assert.Contains(report.Actions, a => a.Kind == "do-not" && a.SubjectPath == System32Csrss);
        // The only thing to do about it is to collect its bytes; nothing ends or removes it.
        Assert.All(report.Actions.Where(a => a.Kind == "do" && a.SubjectPath == System32Csrss), a => Assert.StartsWith("Collect the binary", a.Text, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("regkey:_HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\\\Updater")]
    [InlineData("file:_C:\\Users\\alice\\Downloads\\setup.exe")]
    [InlineData("file:_C:\\Windows\\System32\\csrss.exe.bak")]
    public void Detection_that_names_no_judged_path_adds_no_line(string resource)
    {
        using var copy = new FixtureCopy("clean-two-sessions").Write("defender.json", Detection(resource));

        var report = copy.Analyze();

        Assert.DoesNotContain(report.Verdicts, v => ContextFindings(v, HostContextCodes.DefenderDetected).Any());
        Assert.Empty(Assert.Single(report.HostContext!.DefenderDetections).Subjects);
    }

    [Fact]
    public void Detection_naming_a_judged_file_as_its_process_says_so()
    {
        using var copy = new FixtureCopy("clean-two-sessions").Write("defender.json", Detection(@"file:_C:\Users\alice\Downloads\setup.exe", @"C:\Windows\explorer.exe"));

        var report = copy.Analyze();

        var finding = Assert.Single(report.Verdicts.Where(v => v.Subject.Kind == SubjectKind.Process && v.Subject.Path == @"C:\Windows\explorer.exe")
            .SelectMany(v => ContextFindings(v, HostContextCodes.DefenderDetected)));
        Assert.Equal("Named in a Defender detection", finding.Title);
        Assert.Contains("not as the threat itself", finding.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "realTimeProtectionEnabled": false, "isTamperProtected": true }""", "real-time protection is off")]
    [InlineData("""{ "realTimeProtectionEnabled": true, "isTamperProtected": false }""", "tamper protection is off")]
    [InlineData("""{ "realTimeProtectionEnabled": false, "isTamperProtected": false }""", "real-time protection is off and tamper protection is off")]
    public void Defence_weakened_is_a_host_finding(string status, string expected)
    {
        using var copy = new FixtureCopy("clean-two-sessions").Write("defender.json", $$"""{ "status": {{status}}, "detections": [] }""");

        var report = copy.Analyze();

        var finding = Assert.Single(report.HostContext!.Findings);
        Assert.Equal(HostContextCodes.DefenceWeakened, finding.Code);
        Assert.Contains(expected, finding.Detail, StringComparison.Ordinal);
        Assert.Equal<EvidenceRef>([new EvidenceRef("defender.json", Detail: "status")], finding.Evidence);
        Assert.DoesNotContain(report.Verdicts, v => v.Verdict is Verdict.Fake or Verdict.Suspicious);
    }

    [Theory]
    [InlineData("""{ "realTimeProtectionEnabled": true, "isTamperProtected": true }""")]
    [InlineData("""{ "realTimeProtectionEnabled": null, "isTamperProtected": null }""")]
    public void Defence_is_not_weakened_when_protection_is_on_or_unknown(string status)
    {
        using var copy = new FixtureCopy("clean-two-sessions").Write("defender.json", $$"""{ "status": {{status}} }""");

        var report = copy.Analyze();

        Assert.Empty(report.HostContext!.Findings);
    }

    [Fact]
    public void Cleanup_names_the_program_and_extension_that_possibly_arrived_with_the_fake()
    {
        var report = AnalyzeFixture("appdata-csrss-task");

        Assert.Contains(report.AfterCleanup, line => line.Text.Contains("possibly arrived with it: 'Free PDF Tools' 3.1 from PDF Tools Ltd (programs.json [1])", StringComparison.Ordinal));
        Assert.Contains(report.AfterCleanup, line => line.Text.Contains("'PDF Helper Pro' (aaaabbbbccccddddeeeeffffgggghhhh) of user alice", StringComparison.Ordinal));
        Assert.DoesNotContain(report.AfterCleanup, line => line.Text.Contains("7-Zip", StringComparison.Ordinal) || line.Text.Contains("Password Keeper", StringComparison.Ordinal));
        var program = Assert.Single(report.HostContext!.RecentPrograms);
        Assert.Equal("Free PDF Tools", program.Program.Name);
        Assert.Equal<string>([FakePath], program.PossiblyArrivedWith);
    }

    [Fact]
    public void Genuine_copies_get_no_possibly_arrived_with_lines()
    {
        var report = AnalyzeFixture("appdata-csrss-task");

        Assert.All(report.Verdicts.Where(v => v.Subject.Path != FakePath), v =>
        {
            Assert.Empty(ContextFindings(v, HostContextCodes.ProgramArrived));
            Assert.Empty(ContextFindings(v, HostContextCodes.ExtensionSameProfile));
        });
    }

    [Theory]
    [InlineData("20261111", true)]   // 7 days before the file's creation day (2026-11-18)
    [InlineData("20261125", true)]   // 7 days after
    [InlineData("20261110", false)]  // 8 days before
    [InlineData("20261126", false)]  // 8 days after
    [InlineData("2026-11-18", false)] // not yyyyMMdd: not dated
    public void Program_is_linked_within_seven_days_of_the_copy_appearing(string installDate, bool linked)
    {
        var snapshot = SnapshotFactory.Snapshot() with
        {
            Programs = [new InstalledProgram("Bundle Thing", null, null, installDate, ParseDay(installDate), null, null, "HKLM\\X", null, new EvidenceRef("programs.json", 0))],
        };
        var correlation = new HostContextCorrelation(snapshot);

        var links = correlation.ProgramsNear(FakePath, [new DateTimeOffset(2026, 11, 18, 21, 39, 58, TimeSpan.Zero)]);

        Assert.Equal(linked, links.Length == 1);
    }

    [Theory]
    [InlineData("20261118", "PROG-INSTALLED-SAME-DAY", "installed 2026-11-18, the same day {0} appeared (2026-11-18)")]
    [InlineData("20261119", "PROG-INSTALLED-DAY-AFTER", "installed 2026-11-19, 1 day after {0} appeared (2026-11-18)")]
    [InlineData("20261117", "PROG-INSTALLED-DAY-BEFORE", "installed 2026-11-17, 1 day before {0} appeared (2026-11-18)")]
    [InlineData("20261123", "PROG-INSTALLED-DAYS-AFTER", "installed 2026-11-23, 5 days after {0} appeared (2026-11-18)")]
    [InlineData("20261113", "PROG-INSTALLED-DAYS-BEFORE", "installed 2026-11-13, 5 days before {0} appeared (2026-11-18)")]
    public void A_program_linked_by_date_says_how_many_days_apart_as_a_coded_reason(string installDate, string code, string text)
    {
        var snapshot = SnapshotFactory.Snapshot() with
        {
            Programs = [new InstalledProgram("Bundle Thing", null, null, installDate, ParseDay(installDate), null, null, "HKLM\\X", null, new EvidenceRef("programs.json", 0))],
        };

        var link = Assert.Single(new HostContextCorrelation(snapshot).ProgramsNear(FakePath, [new DateTimeOffset(2026, 11, 18, 21, 39, 58, TimeSpan.Zero)]));

        Assert.Equal(code, link.Reason.Code);
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, text, FakePath), link.Reason.Text);
        Assert.Equal(link.Reason.Text, ReportWording.Render(code, link.Reason.Params));
    }

    [Theory]
    [InlineData(@"C:\Users\alice\AppData\Roaming\Microsoft\Crypto\", true)]
    [InlineData(@"C:\Users\alice\AppData\Roaming\Microsoft", true)]
    [InlineData(@"C:\Users\alice\AppData\Roaming", false)] // too broad: would tie every roaming program to the copy
    [InlineData(@"C:\Users\alice", false)]
    [InlineData(@"C:\", false)]
    [InlineData(@"C:\Program Files\7-Zip\", false)]
    public void Program_installed_into_the_copys_folder_is_linked(string installLocation, bool linked)
    {
        var snapshot = SnapshotFactory.Snapshot() with
        {
            Programs = [new InstalledProgram("Bundle Thing", null, null, null, null, installLocation, null, "HKLM\\X", null, new EvidenceRef("programs.json", 0))],
        };
        var correlation = new HostContextCorrelation(snapshot);

        var links = correlation.ProgramsNear(FakePath, []);

        Assert.Equal(linked, links.Length == 1);
        Assert.All(links, link => Assert.Equal("PROG-INSTALLED-INTO", link.Reason.Code));
    }

    [Fact]
    public void Extensions_are_linked_by_the_user_profile_that_holds_the_copy()
    {
        var snapshot = SnapshotFactory.Snapshot() with
        {
            BrowserExtensions =
            [
                new BrowserExtension("Chrome", "ALICE", "Default", "a", "A", null, null, [], new EvidenceRef("browser-extensions.json", 0)),
                new BrowserExtension("Edge", "bob", "Default", "b", "B", null, null, [], new EvidenceRef("browser-extensions.json", 1)),
                new BrowserExtension("Firefox", null, null, "c", "C", null, null, [], new EvidenceRef("browser-extensions.json", 2)),
            ],
        };
        var correlation = new HostContextCorrelation(snapshot);

        Assert.Equal<string>(["a"], [.. correlation.ExtensionsInProfileOf(FakePath).Select(e => e.Id)]);
        Assert.Empty(correlation.ExtensionsInProfileOf(@"C:\ProgramData\csrss.exe"));
        Assert.Empty(correlation.ExtensionsInProfileOf(@"C:\Users\Public\csrss.exe"));
    }

    [Theory]
    [InlineData(@"file:_C:\Users\a\x.exe", @"C:\Users\a\x.exe")]
    [InlineData(@"containerfile:_C:\Users\a\x.zip->inner/setup.exe", @"C:\Users\a\x.zip")]
    [InlineData(@"FILE:_\??\C:\Users\a\x.exe", @"C:\Users\a\x.exe")]
    [InlineData(@"C:\Users\a\x.exe", @"C:\Users\a\x.exe")]
    [InlineData(@"regkey:_HKLM\SOFTWARE\x", null)]
    [InlineData(@"process:_pid:4242,ProcessStart:133000000000000000", null)]
    [InlineData("", null)]
    public void Defender_resources_are_read_as_host_paths(string resource, string? expected)
    {
        Assert.Equal(expected, HostContextCorrelation.ResourcePath(resource, @"C:\Windows"));
    }

    [Fact]
    public void Host_context_lists_are_in_a_stable_order_whatever_the_file_order()
    {
        const string Programs = """
            { "programs": [
              { "name": "B", "installDate": "20261119", "registryKey": "HKLM\\B" },
              { "name": "A", "installDate": "20261119", "registryKey": "HKLM\\A" },
              { "name": "C", "installDate": "20261101", "registryKey": "HKLM\\C" } ] }
            """;
        using var copy = new FixtureCopy("appdata-csrss-task").Write("programs.json", Programs);

        var first = copy.Analyze();
        var second = copy.Analyze();

        Assert.Equal<string>(["A", "B", "C"], [.. first.HostContext!.RecentPrograms.Select(r => r.Program.Name ?? string.Empty)]);
        Assert.Equal(ReportWriter.ToJson(first), ReportWriter.ToJson(second));
        Assert.Equal(ReportWriter.ToCsv(first), ReportWriter.ToCsv(second));
    }

    private static DateOnly? ParseDay(string text) =>
        DateOnly.TryParseExact(text, "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day) ? day : null;
}
