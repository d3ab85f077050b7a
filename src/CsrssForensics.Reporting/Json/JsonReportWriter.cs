using System.Text.Json;
using CsrssForensics.Core.Report;

namespace CsrssForensics.Reporting.Json;

/// <summary>Renders <c>report.json</c>: indented, '\n' line endings, one trailing newline.</summary>
internal static class JsonReportWriter
{
    public static string Write(AnalysisReport report) =>
        JsonSerializer.Serialize(report, ReportJsonContext.Default.AnalysisReport) + "\n";
}
