using System.Globalization;
using System.Text;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Events;
using CsrssForensics.Reporting.Text;
using CsrssForensics.Reporting.Wording;
using CsvHelper;

namespace CsrssForensics.Reporting.Csv;

/// <summary>
/// Renders <c>report.csv</c>: one row per verdict (its <c>context</c> cell holds the Defender and "possibly arrived
/// with" lines), then the host context, one row per item, told apart by <c>subject_kind</c>: <c>host-finding</c>,
/// <c>defender-status</c>, <c>defender-detection</c>, <c>program</c>, <c>browser-extension</c>, one <c>rogue-root</c>
/// row per imitation Microsoft root in the host's stores, what could not be examined as <c>gap</c> rows, and what was not
/// collected as <c>not-collected</c> rows.
/// <c>evidence_strength</c> is verifiedOffline, hostReported or none, as in the JSON. RFC 4180 quoting with '\n' line endings. Cells that a spreadsheet
/// would run as a formula (starting with =, +, -, @, tab or CR) get a leading single quote, because process names and
/// command lines are attacker text and responders open these files in Excel. The columns after
/// <c>evidence_strength</c> (host, hashes, signer, severity, times) are described in docs/report-csv.md.
/// </summary>
internal static class CsvReportWriter
{
    /// <summary>The header row.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        [
            "subject_kind", "name", "pid", "path", "verdict", "reason", "decision_path", "evidence", "context", "evidence_strength",
            "host", "sha256", "signer", "severity", "process_start", "file_created", "file_modified", "collected_at",
        ];

    /// <summary>Prefix of the finding codes that carry host context rather than a rule's reasoning.</summary>
    private const string ContextCodePrefix = "CTX-";

    private static readonly CsvWriterOptions _options = CsvWriterOptions.Default with
    {
        NewLine = "\n",
        Injection = CsvInjection.Escape,
        FormatProvider = CultureInfo.InvariantCulture,
        WriteByteOrderMark = false,
    };

    public static string Write(AnalysisReport report)
    {
        using var stream = new MemoryStream();
        Write(report, stream);
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>The same bytes as <see cref="Write(AnalysisReport)"/>, written straight into <paramref name="output"/> (no text copy to encode again).</summary>
    public static void Write(AnalysisReport report, Stream output)
    {
        // The CSV looks up files.csv only for the verdicts' own paths.
        var facts = new EventFacts(report, report.Verdicts.Select(v => v.Subject.Path));
        using (var csv = CsvWriter.Create(output, _options, leaveOpen: true))
        {
            csv.WriteHeader(Columns.ToArray());
            foreach (var verdict in report.Verdicts)
            {
                csv.WriteRecord(Row(verdict, facts));
            }

            foreach (var (row, severity) in ContextRows(report.HostContext))
            {
                csv.WriteRecord(WithHostColumns(row, facts, severity));
            }

            foreach (var gap in report.Gaps)
            {
                csv.WriteRecord(WithHostColumns(ContextRow("gap", gap.Code, gap.Subject, gap.Message, gap.Evidence, []), facts, null));
            }

            foreach (var root in report.RogueRoots)
            {
                csv.WriteRecord(WithHostColumns(RogueRootRow(root), facts, root.Severity));
            }

            // One row per line, unfolded: a spreadsheet filters rows, it does not need them joined.
            foreach (var line in NotCollectedView.Lines(report))
            {
                csv.WriteRecord(WithHostColumns(NotCollectedRow(line), facts, null));
            }

            csv.Flush();
        }
    }

    private static string[] Row(SubjectVerdict verdict, EventFacts facts)
    {
        var file = facts.FileOf(verdict.Subject.Path);
        return
        [
            ReportText.Name(verdict.Subject.Kind),
            PathCell(verdict.Subject.Name),
            ReportText.Number(verdict.Subject.Pid) ?? string.Empty,
            PathCell(verdict.Subject.Path),
            ReportText.Name(verdict.Verdict),
            Cell(verdict.Reason),
            string.Join(" > ", verdict.DecisionPath.Select(step => $"{Cell(step.NodeId)}: {Cell(step.Answer)}")),
            string.Join("; ", verdict.Evidence.Select(e => Cell(ReportText.Evidence(e)))),
            string.Join("; ", verdict.Findings
                .Where(f => f.Code.StartsWith(ContextCodePrefix, StringComparison.Ordinal))
                .Select(f => $"{Cell(f.Title)}: {Cell(f.Detail)}")),
            ReportText.Name(verdict.Strength),
            Cell(facts.HostName),
            file?.Sha256 is { } sha256 ? Cell(sha256.ToLowerInvariant()) : string.Empty,
            Cell(EventFacts.SignerOf(verdict)),
            ReportText.Name(EventFacts.SeverityOf(verdict.Verdict)),
            ReportText.Utc(facts.ProcessOf(verdict.Subject)?.CreationTimeUtc) ?? string.Empty,
            ReportText.Utc(file?.CreatedUtc) ?? string.Empty,
            ReportText.Utc(file?.ModifiedUtc) ?? string.Empty,
            ReportText.Utc(facts.CollectedAtUtc) ?? string.Empty,
        ];
    }

    // The host and collection time every row shares; hashes, signer and file times belong to verdict rows only.
    private static string[] WithHostColumns(string[] row, EventFacts facts, Core.Evidence.AnomalySeverity? severity) =>
    [
        .. row,
        Cell(facts.HostName),
        string.Empty,
        string.Empty,
        severity is { } level ? ReportText.Name(level) : string.Empty,
        string.Empty,
        string.Empty,
        string.Empty,
        ReportText.Utc(facts.CollectedAtUtc) ?? string.Empty,
    ];

    private static IEnumerable<(string[] Row, Core.Evidence.AnomalySeverity? Severity)> ContextRows(HostContextSection? context)
    {
        if (context is null)
        {
            yield break;
        }

        foreach (var finding in context.Findings)
        {
            yield return (ContextRow("host-finding", finding.Code, null, $"{finding.Title}: {finding.Detail}", finding.Evidence, []), finding.Severity);
        }

        if (context.DefenderStatus is { } status)
        {
            var reason = $"real-time protection {Bool(status.RealTimeProtectionEnabled)}, tamper protection {Bool(status.IsTamperProtected)}, "
                + $"antivirus {Bool(status.AntivirusEnabled)}, running mode {status.AmRunningMode ?? "unknown"}";
            yield return (ContextRow("defender-status", status.AmProductVersion, null, reason, [status.Source], []), null);
        }

        foreach (var row in context.DefenderDetections)
        {
            var detection = row.Detection;
            var reason = $"detected {ReportText.Utc(detection.InitialDetectionUtc) ?? "at an unknown time"}, action success {detection.ActionSuccess switch { true => "true", false => "false", null => "unknown" }}";
            yield return (ContextRow("defender-detection", detection.ThreatName, string.Join("; ", detection.Resources), reason, [detection.Source], row.Subjects, "names "), null);
        }

        foreach (var row in context.RecentPrograms)
        {
            var program = row.Program;
            var name = string.IsNullOrEmpty(program.Version) ? program.Name : $"{program.Name} {program.Version}";
            yield return (ContextRow("program", name, program.InstallLocation, string.Join("; ", row.Reasons), [program.Source], row.PossiblyArrivedWith), null);
        }

        foreach (var row in context.BrowserExtensions)
        {
            var extension = row.Extension;
            var reason = $"{extension.Browser} extension {extension.Id} of user {extension.User ?? "unknown"}, profile {extension.Profile ?? "unknown"}";
            yield return (ContextRow("browser-extension", extension.Name, extension.Path, reason, [extension.Source], row.PossiblyArrivedWith), null);
        }
    }

    private static string[] ContextRow(
        string kind,
        string? name,
        string? path,
        string reason,
        IEnumerable<Core.Evidence.EvidenceRef> evidence,
        IEnumerable<string> linkedPaths,
        string linkText = "possibly arrived with ")
    {
        var linked = linkedPaths.ToList();
        return
        [
            kind,
            Cell(name),
            string.Empty,
            PathCell(path),
            string.Empty,
            Cell(reason),
            string.Empty,
            string.Join("; ", evidence.Select(e => Cell(ReportText.Evidence(e)))),
            linked.Count == 0 ? string.Empty : linkText + string.Join("; ", linked.Select(Cell)),
            string.Empty,
        ];
    }

    // subject_kind not-collected: name = the line's code, path = the subject it names (a binary not verified), if any.
    private static string[] NotCollectedRow(ReportLine line) =>
        ContextRow("not-collected", line.Code, line.Params.FirstOrDefault(p => p.Name == "path")?.Value, line.Text, [], []);

    // subject_kind rogue-root: name = the certificate subject, path = the Windows store, verdict = the severity.
    private static string[] RogueRootRow(RogueRootFinding root) =>
    [
        "rogue-root",
        Cell(root.Subject),
        string.Empty,
        Cell(root.Store),
        ReportText.Name(root.Severity),
        Cell($"imitates a Microsoft root; SHA-1 {root.Sha1Thumbprint}; SHA-256 {root.Sha256Thumbprint}; action: {ModelWording.RootAction(root)}"),
        string.Empty,
        Cell(ReportText.Evidence(root.Evidence)),
        root.Anchors.IsEmpty ? "anchors no judged file" : "anchors " + string.Join("; ", root.Anchors.Select(PathCell)),
        string.Empty,
    ];

    private static string Bool(bool? value) => value switch
    {
        true => "on",
        false => "off",
        null => "unknown",
    };

    // Same visible form as the other writers: a line break or U+202E inside a cell would otherwise reorder or split
    // what the reader sees in a spreadsheet.
    private static string Cell(string? value) => value is null ? string.Empty : VisibleText.Make(value);

    // A host path or file name: trailing dots and spaces marked too, so the cell names the exact file.
    private static string PathCell(string? value) => value is null ? string.Empty : VisibleText.Path(value);
}
