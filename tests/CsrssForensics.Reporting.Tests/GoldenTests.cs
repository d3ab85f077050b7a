using CsrssForensics.Core.Report;
using CsrssForensics.Reporting.Tests.Support;

namespace CsrssForensics.Reporting.Tests;

public sealed class GoldenTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var sample in new[] { "rich", "hostile", "clean" })
        {
            foreach (var format in new[] { "md", "html", "json", "csv" })
            {
                data.Add(sample, format);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Output_matches_the_verified_golden_file(string sample, string format)
    {
        // Given
        var report = Sample(sample);

        // When
        var output = format switch
        {
            "md" => ReportWriter.ToMarkdown(report),
            "html" => ReportWriter.ToHtml(report),
            "json" => ReportWriter.ToJson(report),
            "csv" => ReportWriter.ToCsv(report),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };

        // Then
        GoldenFile.Verify($"report.{sample}", format, output);
    }

    internal static AnalysisReport Sample(string name) => name switch
    {
        "rich" => SampleReports.Rich(),
        "hostile" => SampleReports.HostileStrings(),
        "clean" => SampleReports.Clean(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
