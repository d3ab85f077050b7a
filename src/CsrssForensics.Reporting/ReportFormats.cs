namespace CsrssForensics.Reporting;

/// <summary>The report files <see cref="ReportWriter.WriteAll"/> can write.</summary>
[Flags]
public enum ReportFormats
{
    /// <summary>No report.</summary>
    None = 0,

    /// <summary><c>report.md</c>.</summary>
    Markdown = 1,

    /// <summary><c>report.html</c>, rendered from the Markdown.</summary>
    Html = 2,

    /// <summary><c>report.json</c>, described by <c>schemas/report.schema.json</c>.</summary>
    Json = 4,

    /// <summary><c>report.csv</c>, one row per verdict.</summary>
    Csv = 8,

    /// <summary><c>report.jsonl</c>: Elastic Common Schema events, one per line (<c>schemas/ecs-event.schema.json</c>).</summary>
    Jsonl = 16,

    /// <summary><c>report.timesketch.jsonl</c>: timeline rows Timesketch imports as they are.</summary>
    Timesketch = 32,

    /// <summary>Every format.</summary>
    All = Markdown | Html | Json | Csv | Jsonl | Timesketch,
}
