using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Events;
using CsrssForensics.Reporting.Text;

namespace CsrssForensics.Reporting.Ecs;

/// <summary>
/// Renders <c>report.jsonl</c>: one Elastic Common Schema 8.x event per line, in this order: verdicts, their
/// findings, launchers and their findings, processes (by pid), collected files (by path). Described by
/// <c>schemas/ecs-event.schema.json</c>. The tool's own fields sit under <c>csrss_forensics.*</c>.
/// <c>@timestamp</c> comes from the bundle, never the clock: a process's start time, else the collection time
/// (docs/integrations.md says which for each record type).
/// </summary>
internal static partial class EcsEventWriter
{
    /// <summary>The ECS version the events follow (<c>ecs.version</c>).</summary>
    public const string EcsVersion = "8.11.0";

    /// <summary>Namespace of the tool's own fields.</summary>
    public const string Namespace = "csrss_forensics";

    public static string Write(AnalysisReport report)
    {
        using var memory = new MemoryStream();
        Write(report, memory);
        return Encoding.UTF8.GetString(memory.GetBuffer().AsSpan(0, (int)memory.Length));
    }

    /// <summary>
    /// Writes the events into <paramref name="output"/> one line at a time: an event per process and file row can make
    /// this the largest report, so it is never held whole (one line's buffer is reused).
    /// </summary>
    public static void Write(AnalysisReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var facts = new EventFacts(report);
        var line = new ArrayBufferWriter<byte>();
        var sequence = 0;
        foreach (var document in Events(facts))
        {
            line.ResetWrittenCount();
            document.Set("event.id", EventId(facts, sequence++)).WriteLineTo(line);
            output.Write(line.WrittenSpan);
        }
    }

    private static IEnumerable<EventDocument> Events(EventFacts facts)
    {
        foreach (var verdict in facts.Report.Verdicts)
        {
            yield return VerdictEvent(facts, verdict);
        }

        foreach (var verdict in facts.Report.Verdicts)
        {
            foreach (var finding in verdict.Findings)
            {
                yield return VerdictFindingEvent(facts, verdict, finding);
            }
        }

        foreach (var launcher in facts.Report.Launchers)
        {
            yield return LauncherEvent(facts, launcher);
            foreach (var finding in launcher.Findings)
            {
                yield return LauncherFindingEvent(facts, launcher, finding);
            }
        }

        foreach (var process in facts.Processes.OrderBy(p => p.Pid).ThenBy(p => p.Source.Row ?? 0))
        {
            yield return ProcessEvent(facts, process);
        }

        foreach (var file in facts.Files.OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.Source.Row ?? 0))
        {
            yield return FileEvent(facts, file);
        }
    }

    private static EventDocument VerdictEvent(EventFacts facts, SubjectVerdict verdict)
    {
        var isAlert = verdict.Verdict is Verdict.Fake or Verdict.Suspicious;
        var kind = verdict.Subject.Kind == SubjectKind.Process ? "process" : "file";
        var severity = EventFacts.SeverityOf(verdict.Verdict);
        var document = Start(facts, "verdict", EventTime.Collected(facts), isAlert ? "alert" : "event", [kind], [isAlert ? "indicator" : "info"], severity)
            .Set("message", $"{ReportText.Name(verdict.Verdict)}: {verdict.Subject.Path ?? verdict.Subject.Name}: {verdict.Reason}");
        Subject(document, facts, verdict.Subject, verdict.Signature);
        // The rule is the tree node that gave the verdict; the trust check after it (TRUST-*) only caps it.
        var last = verdict.DecisionPath.LastOrDefault(step => !step.NodeId.StartsWith("TRUST-", StringComparison.Ordinal))
            ?? verdict.DecisionPath.LastOrDefault();
        document
            .Set("rule.id", last?.NodeId)
            .Set("rule.name", last?.Question)
            .Set("rule.reference", last?.References.IsDefaultOrEmpty == false ? last.References[0] : null)
            .Set("rule.ruleset", facts.Report.Tool.Name + " rules")
            .Set("rule.version", facts.Report.Tool.RulesVersion);
        if (isAlert)
        {
            Threat(document, AttackTechniques.Union(
                AttackTechniques.For(AttackTechniques.Embedded.Verdicts, ReportText.Name(verdict.Verdict)),
                verdict.Findings.SelectMany(f => AttackTechniques.For(AttackTechniques.Embedded.Findings, f.Code))));
        }

        return Own(document, verdict, verdict.Evidence, verdict.Reason);
    }

    private static EventDocument VerdictFindingEvent(EventFacts facts, SubjectVerdict verdict, Finding finding)
    {
        // Only what ties the finding to its subject: the verdict event carries the command line and signature, and a
        // multi-megabyte command line repeated in every finding would multiply the output (hostile-input budget).
        var document = FindingEvent(facts, finding)
            .Set("process.pid", verdict.Subject.Kind == SubjectKind.Process ? verdict.Subject.Pid : null)
            .Set(verdict.Subject.Kind == SubjectKind.Process ? "process.name" : "file.name", verdict.Subject.Name)
            .Set(verdict.Subject.Kind == SubjectKind.Process ? "process.executable" : "file.path", verdict.Subject.Path);
        return Own(document, verdict, finding.Evidence, finding.Detail);
    }

    private static EventDocument FindingEvent(EventFacts facts, Finding finding)
    {
        var isAlert = finding.Severity >= AnomalySeverity.Medium;
        var document = Start(facts, "finding", EventTime.Collected(facts), isAlert ? "alert" : "event", ["intrusion_detection"], [isAlert ? "indicator" : "info"], finding.Severity)
            .Set("message", $"{finding.Title}: {finding.Detail}")
            .Set("rule.id", finding.Code)
            .Set("rule.name", finding.Title)
            .Set("rule.description", finding.Detail)
            .Set("rule.ruleset", facts.Report.Tool.Name + " findings")
            .Set("rule.version", facts.Report.Tool.RulesVersion);
        Threat(document, AttackTechniques.Union(AttackTechniques.For(AttackTechniques.Embedded.Findings, finding.Code)));
        return document;
    }

    /// <summary>The fields every event carries, in a fixed order.</summary>
    private static EventDocument Start(
        EventFacts facts,
        string recordType,
        EventTime time,
        string kind,
        string[] categories,
        string[] types,
        AnomalySeverity severity)
    {
        return new EventDocument()
            .Set("@timestamp", time.Value)
            .Set("ecs.version", EcsVersion)
            .Set("event.kind", kind)
            .Set("event.category", categories)
            .Set("event.type", types)
            .Set("event.module", Namespace)
            .Set("event.dataset", $"{Namespace}.{recordType}")
            .Set("event.severity", EventFacts.SeverityNumber(severity))
            .Set("host.name", facts.HostName)
            .Set("host.os.full", facts.Report.Host?.OsVersion)
            .Set("host.os.version", facts.Report.Host?.OsBuild)
            .Set("agent.name", facts.Report.Tool.Name)
            .Set("agent.version", facts.Report.Tool.Version)
            .Set($"{Namespace}.record_type", recordType)
            .Set($"{Namespace}.severity", ReportText.Name(severity))
            .Set($"{Namespace}.time_source", time.Source)
            .Set($"{Namespace}.bundle.name", facts.Report.Bundle.Name)
            .Set($"{Namespace}.bundle.collected", facts.CollectedAtUtc)
            .Set($"{Namespace}.overall_status", ReportText.Name(facts.Report.OverallStatus));
    }

    /// <summary>The verdict's own fields: what the tool decided, on what evidence and along which tree path.</summary>
    private static EventDocument Own(EventDocument document, SubjectVerdict verdict, IEnumerable<EvidenceRef> evidence, string reason) =>
        document
            .Set($"{Namespace}.verdict", ReportText.Name(verdict.Verdict))
            .Set($"{Namespace}.evidence_strength", ReportText.Name(verdict.Strength))
            .Set($"{Namespace}.subject_kind", ReportText.Name(verdict.Subject.Kind))
            .Set($"{Namespace}.reason", reason)
            .Set($"{Namespace}.node_path", verdict.DecisionPath.Select(step => $"{step.NodeId}: {step.Answer}"))
            .Set($"{Namespace}.evidence", evidence.Select(ReportText.Evidence))
            .Set($"{Namespace}.signature.source", verdict.Signature is { } s ? ReportText.Name(s.Source) : null)
            .Set($"{Namespace}.signature.root_origin", verdict.Signature is { } r ? ReportText.Name(r.RootOrigin) : null);

    private static void Threat(EventDocument document, IReadOnlyList<string> techniques)
    {
        if (techniques.Count == 0)
        {
            return;
        }

        var table = AttackTechniques.Embedded;
        document
            .Set("threat.framework", table.Framework)
            .Set("threat.technique.id", techniques)
            .Set("threat.technique.name", techniques.Select(id => table.Names.TryGetValue(id, out var name) ? name : id))
            .Set("threat.technique.reference", techniques.Select(id => "https://attack.mitre.org/techniques/" + id.Replace('.', '/') + "/"));
    }

    // A stable id per event (for _bulk's _id, so a re-ingest replaces rather than duplicates): SHA-256 of what names
    // the bundle (name, host, collection time) and the event's position, which is deterministic because the order is.
    private static string EventId(EventFacts facts, int sequence)
    {
        var key = $"{facts.Report.Bundle.Name}\n{facts.HostName}\n{ReportText.Utc(facts.CollectedAtUtc)}\n{sequence}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16));
    }
}
