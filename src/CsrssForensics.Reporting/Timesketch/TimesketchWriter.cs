using System.Buffers;
using System.Text;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Events;
using CsrssForensics.Reporting.Text;

namespace CsrssForensics.Reporting.Timesketch;

/// <summary>
/// Renders <c>report.timesketch.jsonl</c>: one timeline row per line with the three fields Timesketch's JSONL import
/// requires (<c>message</c>, <c>datetime</c> in ISO 8601, <c>timestamp_desc</c>) plus flat attributes to filter on.
/// Rows: each process start, each file's creation and modification time, each reported task's registration date, the
/// collection itself and each verdict at the collection time. A fact without a time in the bundle gives no row (a timeline cannot place it); the ECS
/// events keep it. Sorted by time, then by a stable key, so the file is byte-identical on every run.
/// </summary>
internal static partial class TimesketchWriter
{
    /// <summary>The <c>timestamp_desc</c> values this writer uses.</summary>
    public static IReadOnlyList<string> TimestampDescriptions { get; } =
        [ProcessStart, FileCreated, FileModified, TaskRegistered, Collected];

    private const string ProcessStart = "Process Start";
    private const string FileCreated = "File Created";
    private const string FileModified = "File Modified";
    private const string Collected = "Collected";

    public static string Write(AnalysisReport report)
    {
        var facts = new EventFacts(report);
        var rows = new List<Row>();
        AddCollection(facts, rows);
        AddProcesses(facts, rows);
        AddFiles(facts, rows);
        AddTasks(facts, rows);

        var buffer = new ArrayBufferWriter<byte>();
        foreach (var row in rows.OrderBy(r => r.Time).ThenBy(r => r.Order).ThenBy(r => r.Key, StringComparer.Ordinal).ThenBy(r => r.Sequence))
        {
            row.Document.WriteLineTo(buffer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void AddCollection(EventFacts facts, List<Row> rows)
    {
        if (facts.CollectedAtUtc is not { } collected)
        {
            return;
        }

        var bundle = facts.Report.Bundle;
        rows.Add(new Row(collected, 0, string.Empty, rows.Count, Start(facts, collected, Collected, "collection")
            .Set("message", $"Bundle {bundle.Name} collected by {bundle.CollectorName ?? "an unknown collector"} {bundle.CollectorVersion}; overall status {ReportText.Name(facts.Report.OverallStatus)}: {facts.Report.Summary}")
            .Set("collector", bundle.CollectorName)
            .Set("operator", bundle.Operator)));

        foreach (var verdict in facts.Report.Verdicts)
        {
            var subject = verdict.Subject;
            var document = Start(facts, collected, Collected, "verdict")
                .Set("message", $"Verdict {ReportText.Name(verdict.Verdict)} ({ReportText.Name(verdict.Strength)}) for {ReportText.Name(subject.Kind)} {subject.Path ?? subject.Name}: {verdict.Reason}")
                .Set("verdict", ReportText.Name(verdict.Verdict))
                .Set("evidence_strength", ReportText.Name(verdict.Strength))
                .Set("pid", subject.Pid)
                .Set("path", subject.Path)
                .Set("sha256", facts.Sha256Of(subject)?.ToLowerInvariant())
                .Set("signer", EventFacts.SignerOf(verdict))
                .Set("node_path", string.Join(" > ", verdict.DecisionPath.Select(s => $"{s.NodeId}: {s.Answer}")))
                .Set("evidence", string.Join("; ", verdict.Evidence.Select(ReportText.Evidence)))
                .Set("tag", verdict.Verdict is Verdict.Fake or Verdict.Suspicious ? [ReportText.Name(verdict.Verdict)] : []);
            rows.Add(new Row(collected, 1, subject.Path ?? subject.Name, rows.Count, document));
        }
    }

    private static void AddProcesses(EventFacts facts, List<Row> rows)
    {
        foreach (var process in facts.Processes)
        {
            if (process.CreationTimeUtc is not { } start)
            {
                continue;
            }

            var verdict = facts.VerdictOf(process);
            var document = Start(facts, start, ProcessStart, "process")
                .Set("message", $"Process {process.Name} (pid {process.Pid}, parent {ReportText.Number(process.ParentPid) ?? "unknown"}) started: {process.ImagePath ?? process.Name}")
                .Set("pid", process.Pid)
                .Set("ppid", process.ParentPid)
                .Set("process_name", process.Name)
                .Set("path", process.ImagePath)
                .Set("command_line", process.CommandLine)
                .Set("user", process.User)
                .Set("sha256", facts.FileOf(process.ImagePath)?.Sha256?.ToLowerInvariant())
                .Set("verdict", verdict is null ? null : ReportText.Name(verdict.Verdict))
                .Set("evidence", ReportText.Evidence(process.Source));
            rows.Add(new Row(start, 2, process.Pid.ToString("D10", System.Globalization.CultureInfo.InvariantCulture), rows.Count, document));
        }
    }

    private static void AddFiles(EventFacts facts, List<Row> rows)
    {
        foreach (var file in facts.Files)
        {
            foreach (var (time, description) in new[] { (file.CreatedUtc, FileCreated), (file.ModifiedUtc, FileModified) })
            {
                if (time is not { } at)
                {
                    continue;
                }

                var verdict = facts.VerdictOf(file);
                var document = Start(facts, at, description, "file")
                    .Set("message", $"{description}: {file.Path} (SHA-256 {file.Sha256 ?? "unknown"}, host says signature {file.HostSignature.Status ?? "not collected"})")
                    .Set("path", file.Path)
                    .Set("sha256", file.Sha256?.ToLowerInvariant())
                    .Set("size", file.Size)
                    .Set("signer", file.HostSignature.SignerSubject)
                    .Set("verdict", verdict is null ? null : ReportText.Name(verdict.Verdict))
                    .Set("evidence", ReportText.Evidence(file.Source));
                rows.Add(new Row(at, 3, file.Path, rows.Count, document));
            }
        }
    }

    // The three fields Timesketch requires come first, then the host and record type every row shares.
    private static EventDocument Start(EventFacts facts, DateTimeOffset time, string description, string recordType) =>
        Start(facts, ReportText.Utc(time), description, recordType);

    private static EventDocument Start(EventFacts facts, string datetime, string description, string recordType) =>
        new EventDocument()
            .Set("datetime", datetime)
            .Set("timestamp_desc", description)
            .Set("host", facts.HostName)
            .Set("record_type", recordType)
            .Set("data_type", "csrss_forensics:" + recordType);

    private sealed record Row(DateTimeOffset Time, int Order, string Key, int Sequence, EventDocument Document);
}
