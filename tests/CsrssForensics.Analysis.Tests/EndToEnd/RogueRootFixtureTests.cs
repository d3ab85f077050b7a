using CsrssForensics.Analysis.Tests.Support;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting;

namespace CsrssForensics.Analysis.Tests.EndToEnd;

/// <summary>A fake signed under a forged "Microsoft Root Certificate Authority 2011" that sits in the host's LocalMachine\Root.</summary>
public sealed class RogueRootFixtureTests
{
    private const string Scenario = "rogue-root-signed";
    private const string FakePath = @"C:\Users\bob\AppData\Local\Microsoft\Windows\csrss.exe";
    private const string ForgedSha1 = "7B94EDE625E3811A09B71383235CA18913EEA0A7";

    private static AnalysisReport Analyze()
    {
        using var bundle = BundleReader.Open(RepositoryPaths.Fixture("bundles", Scenario));
        return BundleAnalyzer.Analyze(bundle);
    }

    [Fact]
    public void Fake_signed_under_a_forged_Microsoft_root_is_fake_and_the_root_is_a_top_level_high_finding()
    {
        var report = Analyze();

        Assert.Equal(OverallStatus.Compromised, report.OverallStatus);
        Assert.Contains(report.Verdicts, v => v.Subject.Pid == 6610 && v.Verdict == Verdict.Fake);
        var root = Assert.Single(report.RogueRoots);
        Assert.Equal(ForgedSha1, root.Sha1Thumbprint);
        Assert.Equal(64, root.Sha256Thumbprint.Length);
        Assert.Contains("Microsoft Root Certificate Authority 2011", root.Subject, StringComparison.Ordinal);
        Assert.Equal("certstores/LocalMachine-Root.pem", root.StoreFile);
        Assert.Equal(@"LocalMachine\Root", root.Store);
        Assert.Equal(AnomalySeverity.High, root.Severity);
        Assert.Equal<string>([FakePath], root.Anchors);
        Assert.Contains(@"remove it from LocalMachine\Root", root.Action, StringComparison.Ordinal);
        Assert.Contains($"certutil -delstore Root {ForgedSha1}", root.Action, StringComparison.Ordinal);
    }

    [Fact]
    public void The_genuine_root_of_the_same_name_is_not_reported_and_the_fake_chains_to_the_forged_one()
    {
        var report = Analyze();

        var fake = report.Verdicts.First(v => v.Subject.Pid == 6610);
        Assert.Equal(SignatureStatus.SignedOther, fake.Signature!.Status);
        Assert.Equal(report.RogueRoots[0].Sha256Thumbprint, fake.Signature.RootSha256Thumbprint);
        Assert.DoesNotContain(report.RogueRoots, r => r.Sha1Thumbprint == "8F43288AD272F3103B6FB1428485EA3014C0BCFE");
    }

    [Fact]
    public void Every_format_carries_the_root_and_its_action()
    {
        var report = Analyze();

        Assert.Contains($"\"sha1Thumbprint\": \"{ForgedSha1}\"", ReportWriter.ToJson(report), StringComparison.Ordinal);
        var markdown = ReportWriter.ToMarkdown(report);
        Assert.Contains("## Imitation Microsoft roots", markdown, StringComparison.Ordinal);
        Assert.Contains(@"remove it from LocalMachine\Root", markdown, StringComparison.Ordinal);
        Assert.Contains("Imitation Microsoft roots", ReportWriter.ToHtml(report), StringComparison.Ordinal);
        Assert.Contains("\nrogue-root,", ReportWriter.ToCsv(report), StringComparison.Ordinal);
        Assert.Contains(report.Actions, a => a.Text.Contains(ForgedSha1, StringComparison.Ordinal));
    }

    [Fact]
    public void Reports_match_their_golden_files()
    {
        var report = Analyze();

        GoldenFile.Verify(Scenario, "json", ReportWriter.ToJson(report));
        GoldenFile.Verify(Scenario, "md", ReportWriter.ToMarkdown(report));
    }
}
