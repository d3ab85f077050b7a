using CsrssForensics.Reporting.Tests.Support;

namespace CsrssForensics.Reporting.Tests;

public sealed class CsvReportTests
{
    [Fact]
    public void Csv_has_a_header_and_one_row_per_verdict()
    {
        // Given
        var report = SampleReports.HostileStrings();

        // When
        var rows = CsvRows.Parse(ReportWriter.ToCsv(report));

        // Then
        Assert.Equal(
            [
                "subject_kind", "name", "pid", "path", "verdict", "reason", "decision_path", "evidence", "context", "evidence_strength",
                "host", "sha256", "signer", "severity", "process_start", "file_created", "file_modified", "collected_at",
            ],
            rows[0]);
        var context = report.HostContext!;
        var contextRows = context.Findings.Length + 1 + context.DefenderDetections.Length + context.RecentPrograms.Length + context.BrowserExtensions.Length;
        Assert.Equal(report.Verdicts.Length + contextRows + report.RogueRoots.Length + report.NotCollected.Length + 1, rows.Count);
        Assert.All(rows, row => Assert.Equal(18, row.Length));
        Assert.Equal(
            [
                "host-finding", "defender-status", "defender-detection", "program", "browser-extension", "browser-extension", "rogue-root", "rogue-root",
                "not-collected", "not-collected",
            ],
            rows.Skip(report.Verdicts.Length + 1).Select(r => r[0]).ToArray());
    }

    [Fact]
    public void Csv_rows_carry_the_verdict_decision_path_and_evidence()
    {
        var rows = CsvRows.Parse(ReportWriter.ToCsv(SampleReports.Rich()));

        Assert.Equal(["process", "csrss.exe", "4242", SampleReports.FakePath, "fake"], rows[1][..5]);
        Assert.Equal("CSR-010: no > CSR-020: no: notSigned > CSR-090: yes -> fake", rows[1][6]);
        Assert.Equal("processes.csv row 7; files.csv row 4", rows[1][7]);
        Assert.Equal(string.Empty, rows[2][2]);
        Assert.Equal("inconclusive", rows[5][4]);
    }

    [Fact]
    public void Verdict_rows_carry_host_hash_signer_severity_and_times_from_the_bundle()
    {
        // Given the rich sample with the processes.csv and files.csv rows of its fake copy
        var report = SampleReports.Rich();
        var fake = report.Verdicts[0].Subject;
        var started = new DateTimeOffset(2026, 2, 28, 9, 0, 0, TimeSpan.Zero);
        var created = new DateTimeOffset(2026, 2, 27, 8, 0, 0, TimeSpan.Zero);
        report = report with
        {
            ObservedProcesses = [new(fake.Pid!.Value, 4, fake.Name, fake.Path, null, started, 1, null, null, null, null, new("processes.csv", 7))],
            ObservedFiles = [new(fake.Path!, 10, new string('A', 64), created, created.AddHours(1), Core.Snapshot.HostSignature.NotCollected, null, null, null, null, null, new("files.csv", 4))],
        };

        // When
        var rows = CsvRows.Parse(ReportWriter.ToCsv(report));
        var header = rows[0].ToList();
        string Cell(int row, string column) => rows[row][header.IndexOf(column)];

        // Then
        Assert.Equal(report.Host!.Hostname, Cell(1, "host"));
        Assert.Equal(new string('a', 64), Cell(1, "sha256"));
        Assert.Equal(report.Verdicts[0].Signature?.SignerSubject ?? string.Empty, Cell(1, "signer"));
        Assert.Equal("high", Cell(1, "severity"));
        Assert.Equal("2026-02-28T09:00:00Z", Cell(1, "process_start"));
        Assert.Equal("2026-02-27T08:00:00Z", Cell(1, "file_created"));
        Assert.Equal("2026-02-27T09:00:00Z", Cell(1, "file_modified"));
        Assert.Equal("2026-03-01T10:15:00Z", Cell(1, "collected_at"));
        Assert.All(rows.Skip(1), row => Assert.Equal("2026-03-01T10:15:00Z", row[header.IndexOf("collected_at")]));
    }

    [Fact]
    public void Cells_that_a_spreadsheet_would_run_as_formulas_get_a_leading_quote()
    {
        var rows = CsvRows.Parse(ReportWriter.ToCsv(SampleReports.HostileStrings()));

        foreach (var formula in new[] { SampleReports.Hostile.Formula, SampleReports.Hostile.PlusFormula, SampleReports.Hostile.MinusFormula, SampleReports.Hostile.AtFormula })
        {
            var row = rows.Single(r => r[1] == "'" + formula);
            Assert.Equal("'" + formula, row[5]);
        }

        foreach (var cell in rows.SelectMany(r => r))
        {
            Assert.False(cell.Length > 0 && "=+-@\t\r".Contains(cell[0], StringComparison.Ordinal), $"Cell starts with a formula character: {cell}");
        }
    }

    [Fact]
    public void Csv_uses_lf_line_endings_and_no_byte_order_mark()
    {
        var csv = ReportWriter.ToCsv(SampleReports.Rich());

        Assert.DoesNotContain('\r', csv);
        Assert.NotEqual('\uFEFF', csv[0]);
        Assert.EndsWith("\n", csv, StringComparison.Ordinal);
    }
}
