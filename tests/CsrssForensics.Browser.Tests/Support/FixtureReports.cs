using CsrssForensics.Analysis;
using CsrssForensics.Bundle;
using CsrssForensics.Reporting;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Browser.Tests.Support;

/// <summary>The committed fixture bundles, each analysed once into the test output folder (the bundles are only read).</summary>
public static class FixtureReports
{
    private static readonly Dictionary<string, string> _written = [];
    private static readonly Lock _lock = new();

    /// <summary>Where reports and screenshots go, for review after a run.</summary>
    public static string OutputFolder { get; } = Path.Combine(AppContext.BaseDirectory, "browser-output");

    /// <summary>Every fixture bundle's name, ordered.</summary>
    public static IReadOnlyList<string> List() =>
        [.. Directory.EnumerateDirectories(TestEnvironment.PathOf("fixtures", "bundles")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in List())
        {
            data.Add(name);
        }

        return data;
    }

    /// <summary>The folder holding report.html and report.md of one fixture, written on first use.</summary>
    public static string Folder(string fixture)
    {
        lock (_lock)
        {
            if (!_written.TryGetValue(fixture, out var folder))
            {
                folder = Path.Combine(OutputFolder, fixture);
                using var bundle = BundleReader.Open(TestEnvironment.PathOf("fixtures", "bundles", fixture));
                ReportWriter.WriteAll(BundleAnalyzer.Analyze(bundle), folder, ReportFormats.Html | ReportFormats.Markdown);
                _written[fixture] = folder;
            }

            return folder;
        }
    }

    public static string Html(string fixture) => Path.Combine(Folder(fixture), "report.html");
}
