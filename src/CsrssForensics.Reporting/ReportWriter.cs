using System.Text;
using CsrssForensics.Core.Report;
using CsrssForensics.Reporting.Csv;
using CsrssForensics.Reporting.Ecs;
using CsrssForensics.Reporting.Html;
using CsrssForensics.Reporting.Json;
using CsrssForensics.Reporting.Markdown;
using CsrssForensics.Reporting.Timesketch;

namespace CsrssForensics.Reporting;

/// <summary>
/// Renders one <see cref="AnalysisReport"/> as Markdown, HTML, JSON and CSV. Every writer is deterministic: the same
/// model gives byte-identical output on any machine (invariant culture, UTC 'Z' times, '\n' line endings, UTF-8
/// without BOM, no clock).
/// </summary>
public static class ReportWriter
{
    private static readonly UTF8Encoding _utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>
    /// Writes the selected formats as <c>report.md</c>, <c>report.html</c>, <c>report.json</c> and <c>report.csv</c> in
    /// <paramref name="outputDirectory"/> (created if missing) and returns the full paths written, in that order.
    /// Nothing else is created.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(AnalysisReport report, string outputDirectory, ReportFormats formats) =>
        WriteAllOnCores(report, outputDirectory, formats, Environment.ProcessorCount);

    /// <summary>As <see cref="WriteAll"/>, rendering up to <paramref name="parallelism"/> reports at once (the same bytes for any value).</summary>
    internal static IReadOnlyList<string> WriteAllOnCores(AnalysisReport report, string outputDirectory, ReportFormats formats, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        if ((formats & ~ReportFormats.All) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(formats), formats, "Unknown report format flag.");
        }

        var normalized = ReportNormalizer.Normalize(report);
        var directory = Path.GetFullPath(outputDirectory);
        var written = new List<string>();
        if (formats == ReportFormats.None)
        {
            return written;
        }

        // Every target is checked before the first byte is written (a folder planted at a report's name is found while
        // the output folder still holds nothing of this run). Each report is rendered only when its temporary file is
        // written, so at most one report per core is in memory; none is renamed into place until all were written.
        // The writers only read the normalized model, so they can run side by side.
        var files = new List<(string Path, Action<Stream> Write)>();
        if (formats.HasFlag(ReportFormats.Markdown))
        {
            files.Add((Path.Combine(directory, "report.md"), stream =>
            {
                using var writer = new StreamWriter(stream, _utf8, 1 << 16, leaveOpen: true) { NewLine = "\n" };
                MarkdownReportWriter.Write(normalized, writer);
            }));
        }

        if (formats.HasFlag(ReportFormats.Html))
        {
            // Streamed: the page is written into its file as it is rendered, never held whole in memory.
            files.Add((Path.Combine(directory, "report.html"), stream =>
            {
                using var writer = new StreamWriter(stream, _utf8, 1 << 16, leaveOpen: true) { NewLine = "\n" };
                HtmlReportWriter.Write(normalized, writer);
            }));
        }

        if (formats.HasFlag(ReportFormats.Json))
        {
            files.Add((Path.Combine(directory, "report.json"), stream => JsonReportWriter.Write(normalized, stream)));
        }

        if (formats.HasFlag(ReportFormats.Csv))
        {
            files.Add((Path.Combine(directory, "report.csv"), stream => CsvReportWriter.Write(normalized, stream)));
        }

        if (formats.HasFlag(ReportFormats.Jsonl))
        {
            files.Add((Path.Combine(directory, "report.jsonl"), stream => EcsEventWriter.Write(normalized, stream)));
        }

        if (formats.HasFlag(ReportFormats.Timesketch))
        {
            files.Add((Path.Combine(directory, "report.timesketch.jsonl"), Text(() => TimesketchWriter.Write(normalized))));
        }

        Directory.CreateDirectory(directory);
        AtomicFiles.WriteAll(files, parallelism);
        written.AddRange(files.Select(f => f.Path));
        return written;
    }

    // A text report rendered when its file is written and encoded straight into it (no second copy as bytes).
    private static Action<Stream> Text(Func<string> render) => stream =>
    {
        using var writer = new StreamWriter(stream, _utf8, 1 << 16, leaveOpen: true) { NewLine = "\n" };
        writer.Write(render());
    };

    /// <summary>
    /// Does the JSON writer's one-time set-up (its serialization metadata for the whole model) now, so a caller can run
    /// it on an idle core while the bundle is read. Writing works without it; the output is the same either way.
    /// </summary>
    public static void Prepare() => JsonReportWriter.Prepare();

    /// <summary>The report as indented camelCase JSON with a trailing newline (see <c>schemas/report.schema.json</c>).</summary>
    public static string ToJson(AnalysisReport report) => JsonReportWriter.Write(ReportNormalizer.Normalize(report));

    /// <summary>The report as Markdown, every model string escaped.</summary>
    public static string ToMarkdown(AnalysisReport report) => MarkdownReportWriter.Write(ReportNormalizer.Normalize(report));

    /// <summary>The report as one self-contained HTML page, in the same triage order as <see cref="ToMarkdown"/>.</summary>
    public static string ToHtml(AnalysisReport report)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        HtmlReportWriter.Write(ReportNormalizer.Normalize(report), writer);
        return writer.ToString();
    }

    /// <summary>The verdicts as CSV, one row per verdict, protected against formula injection.</summary>
    public static string ToCsv(AnalysisReport report) => CsvReportWriter.Write(ReportNormalizer.Normalize(report));

    /// <summary>Elastic Common Schema events, one JSON object per line (see <c>schemas/ecs-event.schema.json</c>).</summary>
    public static string ToJsonl(AnalysisReport report) => EcsEventWriter.Write(ReportNormalizer.Normalize(report));

    /// <summary>Timesketch timeline rows (message, datetime, timestamp_desc), one JSON object per line.</summary>
    public static string ToTimesketch(AnalysisReport report) => TimesketchWriter.Write(ReportNormalizer.Normalize(report));

    /// <summary>
    /// Parses a comma-separated list of <c>md</c>, <c>html</c>, <c>json</c>, <c>csv</c>, <c>jsonl</c>, <c>timesketch</c> (also <c>markdown</c>, <c>ecs</c> and
    /// <c>all</c>), case-insensitive, spaces ignored.
    /// </summary>
    /// <exception cref="ArgumentException">A name is unknown or the list names no format.</exception>
    public static ReportFormats ParseFormats(string commaList)
    {
        ArgumentNullException.ThrowIfNull(commaList);
        var formats = ReportFormats.None;
        foreach (var raw in commaList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            formats |= raw.ToUpperInvariant() switch
            {
                "MD" or "MARKDOWN" => ReportFormats.Markdown,
                "HTML" => ReportFormats.Html,
                "JSON" => ReportFormats.Json,
                "CSV" => ReportFormats.Csv,
                "JSONL" or "ECS" => ReportFormats.Jsonl,
                "TIMESKETCH" => ReportFormats.Timesketch,
                "ALL" => ReportFormats.All,
                _ => throw new ArgumentException($"Unknown report format '{raw}'; use md, html, json, csv, jsonl, timesketch or all.", nameof(commaList)),
            };
        }

        if (formats == ReportFormats.None)
        {
            throw new ArgumentException("No report format given; use md, html, json, csv, jsonl, timesketch or all.", nameof(commaList));
        }

        return formats;
    }
}
