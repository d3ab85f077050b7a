using System.Collections.Immutable;
using System.Text.Json;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Tests.Support;

namespace CsrssForensics.Reporting.Tests;

/// <summary>Every format says what each verdict rests on and what could not be examined.</summary>
public sealed class EvidenceStrengthReportTests
{
    private static AnalysisReport WithStrengthsAndAGap()
    {
        var rich = SampleReports.Rich();
        var strengths = new[] { EvidenceStrength.VerifiedOffline, EvidenceStrength.HostReported, EvidenceStrength.None };
        return rich with
        {
            Verdicts = [.. rich.Verdicts.Select((v, i) => v with { Strength = strengths[i % 3] })],
            Gaps = [new ExaminationGap("GAP-CSRSS-SESSION-MISSING", "session 2", "Session 2 has no csrss.exe.", [new EvidenceRef("processes.csv")])],
            StrengthCounts = new EvidenceStrengthCounts(7, 5, 3),
        };
    }

    [Fact]
    public void Json_names_the_strength_of_every_verdict_and_lists_the_gaps()
    {
        var report = WithStrengthsAndAGap();

        using var json = JsonDocument.Parse(ReportWriter.ToJson(report));

        var verdicts = json.RootElement.GetProperty("verdicts").EnumerateArray().ToList();
        Assert.Equal("verifiedOffline", verdicts[0].GetProperty("strength").GetString());
        Assert.Equal("hostReported", verdicts[1].GetProperty("strength").GetString());
        Assert.Equal("none", verdicts[2].GetProperty("strength").GetString());
        Assert.Equal("session 2", json.RootElement.GetProperty("gaps")[0].GetProperty("subject").GetString());
        Assert.Equal(5, json.RootElement.GetProperty("strengthCounts").GetProperty("hostReported").GetInt32());
    }

    [Fact]
    public void Csv_has_a_strength_per_verdict_row_and_a_row_per_gap()
    {
        var report = WithStrengthsAndAGap();

        var rows = CsvRows.Parse(ReportWriter.ToCsv(report));

        var column = Array.IndexOf(rows[0], "evidence_strength");
        Assert.True(column >= 0);
        Assert.Equal(["verifiedOffline", "hostReported", "none"], rows.Skip(1).Take(3).Select(r => r[column]).ToArray());
        var gap = Assert.Single(rows, r => r[0] == "gap");
        Assert.Equal("GAP-CSRSS-SESSION-MISSING", gap[1]);
        Assert.Equal(string.Empty, gap[column]);
    }

    [Fact]
    public void Markdown_and_html_label_each_verdict_and_count_the_strengths_at_the_top()
    {
        var report = WithStrengthsAndAGap();

        var markdown = ReportWriter.ToMarkdown(report);
        var html = ReportWriter.ToHtml(report);

        var top = markdown[..markdown.IndexOf("## What to do now", StringComparison.Ordinal)];
        Assert.Contains("**Evidence behind the verdicts:** 7 verified offline, 5 host-reported (not verified), 3 none.", top, StringComparison.Ordinal);
        Assert.Contains(" | host-reported (not verified) | ", markdown, StringComparison.Ordinal);
        Assert.Contains(" | verified offline | ", markdown, StringComparison.Ordinal);
        Assert.Contains(" | none (nothing verified) | ", markdown, StringComparison.Ordinal);
        Assert.Contains("**Not examined:** every running Windows host has these", markdown, StringComparison.Ordinal);
        Assert.Contains("Session 2 has no csrss.exe.", markdown, StringComparison.Ordinal);
        Assert.Contains("host-reported (not verified)", html, StringComparison.Ordinal);
        Assert.Contains("Not examined", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Verdicts_built_without_a_strength_read_as_resting_on_nothing()
    {
        var verdict = new SubjectVerdict(new Subject(SubjectKind.File, "csrss.exe", null, null), Verdict.Legitimate, "r", [], [], [], null);

        Assert.Equal(EvidenceStrength.None, verdict.Strength);
        Assert.Equal(ImmutableArray<ExaminationGap>.Empty, SampleReports.Rich().Gaps);
    }
}
