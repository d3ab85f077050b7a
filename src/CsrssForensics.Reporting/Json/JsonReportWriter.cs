using System.Text.Json;
using CsrssForensics.Core.Report;

namespace CsrssForensics.Reporting.Json;

/// <summary>Renders <c>report.json</c>: indented, '\n' line endings, one trailing newline.</summary>
internal static class JsonReportWriter
{
    /// <summary>Builds the serializer's metadata for the whole model now; otherwise the first report pays for it.</summary>
    public static void Prepare() => _ = ReportJsonContext.Default.AnalysisReport;

    public static string Write(AnalysisReport report) =>
        JsonSerializer.Serialize(report, ReportJsonContext.Default.AnalysisReport) + "\n";

    /// <summary>The same bytes as <see cref="Write(AnalysisReport)"/>, serialized straight into the file (never held as one string).</summary>
    public static void Write(AnalysisReport report, Stream output)
    {
        JsonSerializer.Serialize(output, report, ReportJsonContext.Default.AnalysisReport);
        output.Write("\n"u8);
    }
}
