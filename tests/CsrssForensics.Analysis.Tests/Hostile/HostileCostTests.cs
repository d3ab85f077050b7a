using System.Globalization;
using System.Text;
using CsrssForensics.Analysis.Tests.Support;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Report;
using Correlator = CsrssForensics.Analysis.Correlation.Correlation;

namespace CsrssForensics.Analysis.Tests.Hostile;

/// <summary>
/// Thousands of extra csrss rows once gave every subject the whole list (cost and report size the square of the
/// rows: 2,000 rows took 70 s and 7.2 GB). These tests assert cost proxies that cannot flake: lists per subject stay
/// at the cap, the cap is reported with its total, the report grows linearly, allocations stay under a ceiling.
/// </summary>
public sealed class HostileCostTests
{
    private const int ExtraRows = 2_000;

    private static string CsrssRows(int count, Func<int, string> folder)
    {
        var rows = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var path = $@"C:\Users\Public\{folder(i)}\csrss.exe";
            rows.Append(CultureInfo.InvariantCulture, $"{20000 + (i * 4)},3120,csrss.exe,{path},{path},2026-11-20T07:04:10Z,1,CORP\\alice,1,0,4096\n");
        }

        return rows.ToString();
    }

    private static (AnalysisReport Report, long Allocated) Analyze(FixtureCopy copy)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        using var bundle = BundleReader.Open(copy.Folder);
        // One thread: subjects are otherwise judged on every core, and this thread's count would miss their allocations.
        var report = BundleAnalyzer.Analyze(bundle, AnalysisOptions.Default with { Parallelism = 1 });
        return (report, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Thousands_of_csrss_copies_give_each_subject_a_capped_list_and_one_cap_anomaly()
    {
        using var copy = new FixtureCopy("fake-cpu-siblings")
            .Edit("processes.csv", text => text + CsrssRows(ExtraRows, i => "x" + i.ToString(CultureInfo.InvariantCulture)));

        var (report, allocated) = Analyze(copy);

        // Every row still gets its verdict: the cap is on what one subject lists, never on what is judged.
        Assert.Equal(ExtraRows, report.Verdicts.Count(v => v.Subject.Path?.StartsWith(@"C:\Users\Public\x", StringComparison.Ordinal) == true));
        var copyFindings = report.Verdicts.SelectMany(v => v.Findings).Where(f => f.Code == "CORE-COPIES-USER-FOLDERS").ToList();
        Assert.NotEmpty(copyFindings);
        Assert.All(copyFindings, f => Assert.InRange(Occurrences(f.Detail, "csrss.exe"), 1, Correlator.MaxRelatedListed));
        var cut = Assert.Single(report.Anomalies, a => a.Message.StartsWith("Copies named csrss.exe", StringComparison.Ordinal));
        Assert.Equal(Correlator.ListCappedCode, cut.Code);
        Assert.Contains("2001 related records", cut.Message, StringComparison.Ordinal);
        // Before the cap: over 40 MB of finding text per 1,000 rows; after, a few KB per subject.
        Assert.InRange(report.Verdicts.SelectMany(v => v.Findings).Sum(f => (long)f.Detail.Length), 0, ExtraRows * 16_000L);
        Assert.True(allocated < 1536L * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Thousands_of_same_path_csrss_in_one_session_list_at_most_the_cap_as_duplicates()
    {
        using var copy = new FixtureCopy("fake-cpu-siblings")
            .Edit("processes.csv", text => text + CsrssRows(ExtraRows, _ => "same"));

        var (report, _) = Analyze(copy);

        var cut = Assert.Single(report.Anomalies, a => a.Message.StartsWith("Processes named csrss.exe in session 1", StringComparison.Ordinal));
        Assert.Equal(Correlator.ListCappedCode, cut.Code);
        Assert.Contains((ExtraRows + 1).ToString(CultureInfo.InvariantCulture) + " related records", cut.Message, StringComparison.Ordinal);
        var same = report.Verdicts.Where(v => v.Subject.Path == @"C:\Users\Public\same\csrss.exe").ToList();
        Assert.Equal(ExtraRows, same.Count);
        Assert.All(same, v => Assert.InRange(v.Evidence.Length, 1, Correlator.MaxRelatedListed + 10));
    }

    [Fact]
    public void A_shipped_fixture_hits_no_cap()
    {
        using var copy = new FixtureCopy("fake-cpu-siblings");

        var (report, _) = Analyze(copy);

        Assert.DoesNotContain(report.Anomalies, a => a.Code == Correlator.ListCappedCode);
    }

    private static int Occurrences(string text, string word)
    {
        var count = 0;
        for (var at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + word.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
