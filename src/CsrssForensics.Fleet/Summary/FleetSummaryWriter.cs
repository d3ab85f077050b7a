using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsrssForensics.Reporting;

namespace CsrssForensics.Fleet.Summary;

/// <summary>
/// Writes the fleet summary as <c>fleet.md</c>, <c>fleet.html</c> and <c>fleet.json</c> with the conventions of the
/// single-bundle report: deterministic (invariant culture, UTC, '\n', UTF-8 without BOM), every bundle string made
/// visible and encoded, HTML with a Content-Security-Policy of <c>default-src 'none'</c> and no script.
/// </summary>
public static class FleetSummaryWriter
{
    /// <summary>The summary file names, in the order they are written.</summary>
    public static readonly IReadOnlyList<string> FileNames = ["fleet.md", "fleet.html", "fleet.json"];

    private static readonly UTF8Encoding _utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes the formats asked for (CSV has no fleet form) and returns the paths written.</summary>
    public static IReadOnlyList<string> WriteAll(FleetSummary summary, string outputDirectory, ReportFormats formats)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var link = formats.HasFlag(ReportFormats.Html) ? "report.html" : formats.HasFlag(ReportFormats.Markdown) ? "report.md" : "report.json";
        var files = new List<(string Name, string Text)>();
        if (formats.HasFlag(ReportFormats.Markdown))
        {
            files.Add(("fleet.md", FleetMarkdown.Write(summary, link)));
        }

        if (formats.HasFlag(ReportFormats.Html))
        {
            files.Add(("fleet.html", FleetHtml.Write(summary, link)));
        }

        if (formats.HasFlag(ReportFormats.Json))
        {
            files.Add(("fleet.json", ToJson(summary)));
        }

        var written = new List<string>();
        foreach (var (name, text) in files)
        {
            var path = Path.Combine(Path.GetFullPath(outputDirectory), name);
            File.WriteAllBytes(path, _utf8.GetBytes(text));
            written.Add(path);
        }

        return written;
    }

    /// <summary>The summary as indented camelCase JSON with a trailing newline.</summary>
    public static string ToJson(FleetSummary summary) =>
        JsonSerializer.Serialize(summary, FleetJsonContext.Default.FleetSummary).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
}

/// <summary>Source-generated JSON for the fleet summary (no reflection; enums as camelCase words).</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(FleetSummary))]
internal sealed partial class FleetJsonContext : JsonSerializerContext;
