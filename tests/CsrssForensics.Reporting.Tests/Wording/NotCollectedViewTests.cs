using CsrssForensics.Core.Report;
using CsrssForensics.Reporting.Tests.Support;
using CsrssForensics.Reporting.Wording;

namespace CsrssForensics.Reporting.Tests.Wording;

/// <summary>The "Not collected" lines as Markdown, HTML and CSV show them, from the coded lines of the model.</summary>
public sealed class NotCollectedViewTests
{
    private static AnalysisReport WithLines(params ReportLine[] lines) =>
        SampleReports.Rich() with { NotCollected = [.. lines.Select(l => l.Text)], NotCollectedLines = [.. lines] };

    [Fact]
    public void Lines_of_one_code_that_differ_only_in_a_path_or_part_become_one_line_rendered_from_the_wording()
    {
        // Given two binaries not copied, two parts missing, one unreadable copy and two collector errors
        var report = WithLines(
            ReportWording.Line("NC-BINARY-NOT-COPIED", ("path", @"C:\A\csrss.exe")),
            ReportWording.Line("NC-BINARY-NOT-COPIED", ("path", @"C:\B\lsass.exe")),
            ReportWording.Line("NC-BINARY-UNREADABLE", ("copy", "binaries/1.bin"), ("path", @"C:\C\smss.exe")),
            ReportWording.Line("NC-COLLECTOR-ERROR", ("error", "Cert:\\LocalMachine\\CA: denied, twice")),
            ReportWording.Line("NC-COLLECTOR-ERROR", ("error", "HKLM\\X: denied")),
            ReportWording.Line("NC-PART-MISSING", ("part", "catalogs/")),
            ReportWording.Line("NC-PART-MISSING", ("part", "tasks/")));

        // When
        var shown = NotCollectedView.Folded(report);

        // Then paths and parts are listed once per code; free-text errors stay one per line
        Assert.Equal(
            [
                @"Binary not copied, signature not verified offline: C:\A\csrss.exe, C:\B\lsass.exe",
                @"Binary copied but unreadable (binaries/1.bin), signature not verified offline: C:\C\smss.exe",
                "Collector error: Cert:\\LocalMachine\\CA: denied, twice",
                "Collector error: HKLM\\X: denied",
                "Bundle part not collected: catalogs/, tasks/.",
            ],
            shown);
    }

    [Fact]
    public void Lines_whose_leading_parameters_differ_are_not_joined()
    {
        var report = WithLines(
            ReportWording.Line("NC-BINARY-UNREADABLE", ("copy", "binaries/1.bin"), ("path", @"C:\A\x.exe")),
            ReportWording.Line("NC-BINARY-UNREADABLE", ("copy", "binaries/2.bin"), ("path", @"C:\B\y.exe")));

        Assert.Equal(report.NotCollected, NotCollectedView.Folded(report));
    }

    [Fact]
    public void A_report_built_without_coded_lines_shows_its_plain_texts_unfolded()
    {
        var report = SampleReports.Rich() with { NotCollected = ["binaries: C:\\A", "binaries: C:\\B"], NotCollectedLines = [] };

        Assert.Equal(["binaries: C:\\A", "binaries: C:\\B"], NotCollectedView.Folded(report));
        Assert.All(NotCollectedView.Lines(report), line => Assert.Null(line.Code));
    }

    [Fact]
    public void Csv_has_one_not_collected_row_per_line_with_its_code_and_subject_path()
    {
        var report = WithLines(
            ReportWording.Line("NC-BINARY-NOT-COPIED", ("path", @"C:\A\csrss.exe")),
            ReportWording.Line("NC-PART-MISSING", ("part", "tasks/")));

        var rows = CsvRows.Parse(ReportWriter.ToCsv(report)).Where(r => r[0] == "not-collected").ToList();

        Assert.Equal(2, rows.Count);
        Assert.Equal(["not-collected", "NC-BINARY-NOT-COPIED", "", @"C:\A\csrss.exe", "", "Binary not copied, signature not verified offline: C:\\A\\csrss.exe"], rows[0][..6]);
        Assert.Equal(["not-collected", "NC-PART-MISSING", "", "", "", "Bundle part not collected: tasks/."], rows[1][..6]);
    }
}
