using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Tests.Support;

namespace CsrssForensics.Reporting.Tests;

/// <summary>Where an offline-verified signature's root came from is shown beside the signature, in one line.</summary>
public sealed class RootOriginReportTests
{
    [Theory]
    [InlineData(RootOrigin.HostStore, "root origin hostStore (only the suspect host's own store trusts this root: publisher not proven)")]
    [InlineData(RootOrigin.PinnedPublic, "root origin pinnedPublic (publisher known: the host cannot forge this root)")]
    [InlineData(RootOrigin.Analyst, "root origin analyst (publisher known: the host cannot forge this root)")]
    [InlineData(RootOrigin.PinnedMicrosoft, "root origin pinnedMicrosoft (publisher known: the host cannot forge this root)")]
    public void An_offline_signature_shows_where_its_root_came_from(RootOrigin origin, string expected)
    {
        var markdown = ReportWriter.ToMarkdown(WithFirstSignature(SampleReports.Rich(), s => s with { ChainTrusted = true, RootOrigin = origin }));

        Assert.Contains(expected, markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void An_untrusted_offline_chain_shows_no_origin_and_no_publisher()
    {
        var markdown = ReportWriter.ToMarkdown(WithFirstSignature(SampleReports.Rich(), s => s with { ChainTrusted = false }));

        Assert.Contains("root origin none, timestamp", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_not_checked_offline_has_no_root_origin_line()
    {
        var markdown = ReportWriter.ToMarkdown(SampleReports.Rich());

        Assert.DoesNotContain("root origin ", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_carries_the_origin_and_whether_the_publisher_is_known()
    {
        var json = ReportWriter.ToJson(WithFirstSignature(SampleReports.Rich(), s => s with { ChainTrusted = true, RootOrigin = RootOrigin.HostStore }));

        Assert.Contains("\"rootOrigin\": \"hostStore\"", json, StringComparison.Ordinal);
        Assert.Contains("\"publisherKnown\": false", json, StringComparison.Ordinal);
    }

    private static AnalysisReport WithFirstSignature(AnalysisReport report, Func<SignatureEvidence, SignatureEvidence> change)
    {
        int index = report.Verdicts.IndexOf(report.Verdicts.First(v => v.Signature is not null));
        var verdict = report.Verdicts[index];
        return report with { Verdicts = report.Verdicts.SetItem(index, verdict with { Signature = change(verdict.Signature!) }) };
    }
}
