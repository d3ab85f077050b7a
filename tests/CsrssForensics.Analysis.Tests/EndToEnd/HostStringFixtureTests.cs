using CsrssForensics.Analysis.Tests.Support;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting;

namespace CsrssForensics.Analysis.Tests.EndToEnd;

/// <summary>A fake whose name ends in a space: every path in the report names the file that exists, space included.</summary>
public sealed class HostStringFixtureTests
{
    private const string Scenario = "trailing-space-runkey";
    private const string FakePath = @"C:\Users\bob\AppData\Roaming\csrss.exe ";

    private static AnalysisReport Analyze()
    {
        using var bundle = BundleReader.Open(RepositoryPaths.Fixture("bundles", Scenario));
        return BundleAnalyzer.Analyze(bundle);
    }

    [Fact]
    public void Fake_with_a_trailing_space_is_fake_and_keeps_the_space_in_every_path()
    {
        var report = Analyze();

        Assert.Equal(OverallStatus.Compromised, report.OverallStatus);
        var fakes = report.Verdicts.Where(v => v.Verdict == Verdict.Fake).ToList();
        Assert.NotEmpty(fakes);
        Assert.All(fakes, v => Assert.Equal(FakePath, v.Subject.Path));
        Assert.Contains(report.Verdicts, v => v.Subject.Kind == SubjectKind.Process && v.Subject.Pid == 6520 && v.Verdict == Verdict.Fake);
        Assert.Contains(report.RecordBeforeCleanup, r => r.FullPath == FakePath);
    }

    [Fact]
    public void Remove_action_and_launcher_name_the_exact_path()
    {
        var report = Analyze();

        var remove = Assert.Single(report.Actions, a => a.Kind == "do" && a.Text.Contains("remove the launcher", StringComparison.Ordinal));
        Assert.Equal(FakePath, remove.SubjectPath);
        Assert.Contains(FakePath + ",", remove.Text, StringComparison.Ordinal);
        var launcher = Assert.Single(report.Launchers, l => l.Kind == "run-key" && l.Name == "Windows Session Host");
        Assert.Equal<string>([FakePath], launcher.RemoveWith);
    }

    [Fact]
    public void Markdown_and_csv_show_the_space_and_json_keeps_it()
    {
        var report = Analyze();

        Assert.Contains(@"(applies to C:\Users\bob\AppData\Roaming\csrss.exe\<U+0020\>)", ReportWriter.ToMarkdown(report), StringComparison.Ordinal);
        Assert.Contains(@"C:\Users\bob\AppData\Roaming\csrss.exe<U+0020>", ReportWriter.ToCsv(report), StringComparison.Ordinal);
        Assert.Contains(@"C:\\Users\\bob\\AppData\\Roaming\\csrss.exe \u0022", ReportWriter.ToJson(report).Replace("\"", "\\u0022", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_match_their_golden_files()
    {
        var report = Analyze();

        GoldenFile.Verify(Scenario, "json", ReportWriter.ToJson(report));
        GoldenFile.Verify(Scenario, "md", ReportWriter.ToMarkdown(report));
    }
}
