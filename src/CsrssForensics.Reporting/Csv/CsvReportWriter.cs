using System.Globalization;
using System.Text;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Text;
using CsvHelper;

namespace CsrssForensics.Reporting.Csv;

/// <summary>
/// Renders <c>report.csv</c>: one row per verdict, RFC 4180 quoting with '\n' line endings. Cells that a spreadsheet
/// would run as a formula (starting with =, +, -, @, tab or CR) get a leading single quote, because process names and
/// command lines are attacker text and responders open these files in Excel.
/// </summary>
internal static class CsvReportWriter
{
    /// <summary>The header row.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["subject_kind", "name", "pid", "path", "verdict", "reason", "decision_path", "evidence"];

    private static readonly CsvWriterOptions s_options = CsvWriterOptions.Default with
    {
        NewLine = "\n",
        Injection = CsvInjection.Escape,
        FormatProvider = CultureInfo.InvariantCulture,
        WriteByteOrderMark = false,
    };

    public static string Write(AnalysisReport report)
    {
        using var stream = new MemoryStream();
        using (var csv = CsvWriter.Create(stream, s_options, leaveOpen: true))
        {
            csv.WriteHeader(Columns.ToArray());
            foreach (var verdict in report.Verdicts)
            {
                csv.WriteRecord(Row(verdict));
            }

            csv.Flush();
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private static string[] Row(SubjectVerdict verdict) =>
    [
        ReportText.Name(verdict.Subject.Kind),
        Cell(verdict.Subject.Name),
        ReportText.Number(verdict.Subject.Pid) ?? string.Empty,
        Cell(verdict.Subject.Path),
        ReportText.Name(verdict.Verdict),
        Cell(verdict.Reason),
        string.Join(" > ", verdict.DecisionPath.Select(step => $"{Cell(step.NodeId)}: {Cell(step.Answer)}")),
        string.Join("; ", verdict.Evidence.Select(e => Cell(ReportText.Evidence(e)))),
    ];

    // Same visible form as the other writers: a line break or U+202E inside a cell would otherwise reorder or split
    // what the reader sees in a spreadsheet.
    private static string Cell(string? value) => value is null ? string.Empty : VisibleText.Make(value);
}
