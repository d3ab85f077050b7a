using CsrssForensics.Analysis.Tests.Support;
using CsrssForensics.Core.Report;
using CsrssForensics.Reporting.Wording;

namespace CsrssForensics.Analysis.Tests.Trust;

/// <summary>Clean means something was examined: a bundle without the processes every Windows host runs is never clean.</summary>
public sealed class ExaminationCoverageTests
{
    private const string ProcessesHeader = "pid,parentPid,name,imagePath,commandLine,creationTimeUtc,sessionId,user,cpuPercent,gpuPercent,workingSetBytes\n";

    /// <summary>Each way of damaging the bundle, by a unique name (the theory's key, so no two rows collide).</summary>
    private static readonly Dictionary<string, Func<FixtureCopy, FixtureCopy>> _damage = new(StringComparer.Ordinal)
    {
        ["processes.csv missing"] = c => c.Delete("processes.csv"),
        ["processes.csv garbage"] = c => c.Write("processes.csv", "\u0001\u0002 not a csv at all\n\u00ff"),
        ["processes.csv header only"] = c => c.Write("processes.csv", ProcessesHeader),
        ["files.csv missing"] = c => c.Delete("files.csv"),
        ["files.csv garbage"] = c => c.Write("files.csv", "nonsense\n"),
        ["no csrss row"] = c => c.Edit("processes.csv", WithoutLines(",csrss.exe,")),
        ["no csrss in session 1"] = c => c.Edit("processes.csv", WithoutLines("704,596,csrss.exe")),
        ["no lsass"] = c => c.Edit("processes.csv", WithoutLines(",lsass.exe,")),
        ["no System"] = c => c.Edit("processes.csv", WithoutLines("4,0,System,")),
    };

    [Theory]
    [InlineData("processes.csv missing", "GAP-PART-MISSING", "processes.csv")]
    [InlineData("processes.csv garbage", "GAP-PART-MISSING", "processes.csv")]
    [InlineData("processes.csv header only", "GAP-CSRSS-MISSING", "csrss.exe")]
    [InlineData("files.csv missing", "GAP-PART-MISSING", "files.csv")]
    [InlineData("files.csv garbage", "GAP-PART-MISSING", "files.csv")]
    [InlineData("no csrss row", "GAP-CSRSS-MISSING", "csrss.exe")]
    [InlineData("no csrss in session 1", "GAP-CSRSS-SESSION-MISSING", "session 1")]
    [InlineData("no lsass", "GAP-CORE-PROCESS-MISSING", "lsass.exe")]
    [InlineData("no System", "GAP-CORE-PROCESS-MISSING", "System")]
    public void A_bundle_missing_what_every_host_has_is_never_clean_and_says_what_is_missing(string damage, string code, string subject)
    {
        using var copy = _damage[damage](new FixtureCopy("clean-two-sessions"));

        var report = copy.Analyze();

        Assert.NotEqual(OverallStatus.Clean, report.OverallStatus);
        var gap = Assert.Single(report.Gaps, g => g.Code == code && g.Subject == subject);
        Assert.DoesNotContain("verified offline as the genuine", report.Summary, StringComparison.Ordinal);

        // The message is the gap code's wording, filled with the parameters the gap carries
        Assert.Equal(ReportWording.Render(code, gap.Params), gap.Message);
    }

    [Fact]
    public void Every_damage_has_a_theory_row() => Assert.Equal(9, _damage.Count);

    [Fact]
    public void A_folder_holding_only_a_manifest_is_not_clean_and_examined_nothing()
    {
        using var copy = new FixtureCopy("clean-two-sessions", keepManifest: true);
        foreach (var file in Directory.EnumerateFiles(copy.Folder).Where(f => Path.GetFileName(f) != "manifest.json"))
        {
            File.Delete(file);
        }

        var report = copy.Analyze();

        Assert.NotEqual(OverallStatus.Clean, report.OverallStatus);
        Assert.Empty(report.Verdicts);
        Assert.Contains(report.Gaps, g => g.Subject == "processes.csv");
        Assert.Contains(report.Gaps, g => g.Subject == "files.csv");
        Assert.Contains("Nothing was examined", report.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_fixtures_list_every_process_a_Windows_host_always_runs()
    {
        foreach (var scenario in new[] { "clean-two-sessions", "appdata-csrss-task", "legit-gpu-overlay", "core-lookalikes-tree" })
        {
            using var copy = new FixtureCopy(scenario, keepManifest: true);
            Assert.Empty(copy.Analyze().Gaps);
        }
    }

    private static Func<string, string> WithoutLines(string marker) =>
        text => string.Concat(text.Split('\n').Where(line => !line.Contains(marker, StringComparison.Ordinal)).Select(line => line + "\n")).TrimEnd('\n') + "\n";
}
