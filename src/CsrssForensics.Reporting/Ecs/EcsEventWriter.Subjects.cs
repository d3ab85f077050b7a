using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Events;
using CsrssForensics.Reporting.Text;

namespace CsrssForensics.Reporting.Ecs;

/// <summary>The process, file and launcher fields of the events.</summary>
internal static partial class EcsEventWriter
{
    /// <summary>The ECS process or file fields of a verdict's subject, joined with its processes.csv and files.csv rows.</summary>
    private static void Subject(EventDocument document, EventFacts facts, Subject subject, SignatureEvidence? signature)
    {
        var file = facts.FileOf(subject.Path);
        if (subject.Kind == SubjectKind.Process)
        {
            Process(document, facts.ProcessOf(subject), subject.Pid, subject.Name, subject.Path, file?.Sha256);
            CodeSignature(document, "process", signature);
            return;
        }

        FileFields(document, subject.Path, file);
        CodeSignature(document, "file", signature);
    }

    private static void Process(EventDocument document, ProcessRecord? row, int? pid, string name, string? executable, string? sha256) =>
        document
            .Set("process.pid", pid)
            .Set("process.name", name)
            .Set("process.executable", executable ?? row?.ImagePath)
            .Set("process.command_line", row?.CommandLine)
            .Set("process.start", row?.CreationTimeUtc)
            .Set("process.parent.pid", row?.ParentPid)
            .Set("process.hash.sha256", sha256?.ToLowerInvariant())
            .Set("user.name", row?.User)
            .Set($"{Namespace}.process.session_id", row?.SessionId);

    private static void FileFields(EventDocument document, string? path, FileRecord? row) =>
        document
            .Set("file.path", path)
            .Set("file.name", EventFacts.FileName(path))
            .Set("file.directory", EventFacts.Directory(path))
            .Set("file.size", row?.Size)
            .Set("file.hash.sha256", row?.Sha256?.ToLowerInvariant())
            .Set("file.created", row?.CreatedUtc)
            .Set("file.mtime", row?.ModifiedUtc);

    /// <summary>
    /// ECS code_signature from the offline check. <c>trusted</c> is set only when the chain was checked offline: the
    /// host's own claim never fills it.
    /// </summary>
    private static void CodeSignature(EventDocument document, string parent, SignatureEvidence? signature)
    {
        if (signature is null || signature.Status == SignatureStatus.Unknown)
        {
            return;
        }

        document
            .Set($"{parent}.code_signature.exists", signature.Status != SignatureStatus.NotSigned)
            .Set($"{parent}.code_signature.valid", signature.Status is SignatureStatus.MicrosoftSigned or SignatureStatus.SignedOther)
            .Set($"{parent}.code_signature.trusted", signature.Source == SignatureSource.HostReported ? null : signature.PublisherKnown)
            .Set($"{parent}.code_signature.status", ReportText.Name(signature.Status))
            .Set($"{parent}.code_signature.subject_name", signature.SignerSubject)
            .Set($"{parent}.code_signature.timestamp", signature.TimestampUtc);
    }

    private static EventDocument LauncherEvent(EventFacts facts, LauncherFinding launcher)
    {
        var severity = EventFacts.Highest(launcher.Findings) ?? Core.Evidence.AnomalySeverity.Info;
        var isAlert = !launcher.RemoveWith.IsEmpty || severity >= Core.Evidence.AnomalySeverity.Medium;
        var document = Start(facts, "launcher", EventTime.Collected(facts), isAlert ? "alert" : "event", ["configuration"], [isAlert ? "indicator" : "info"], severity)
            .Set("message", $"{launcher.Kind} {launcher.Name} at {launcher.Location} runs {launcher.ResolvedTarget ?? launcher.Command ?? "nothing known"}");
        if (isAlert)
        {
            Threat(document, AttackTechniques.Union(
                AttackTechniques.For(AttackTechniques.Embedded.Launchers, launcher.Kind),
                launcher.Findings.SelectMany(f => AttackTechniques.For(AttackTechniques.Embedded.Findings, f.Code))));
        }

        return Launcher(document, launcher).Set($"{Namespace}.evidence", [ReportText.Evidence(launcher.Evidence)]);
    }

    private static EventDocument LauncherFindingEvent(EventFacts facts, LauncherFinding launcher, Finding finding) =>
        Launcher(FindingEvent(facts, finding), launcher)
            .Set($"{Namespace}.evidence", finding.Evidence.IsEmpty ? [ReportText.Evidence(launcher.Evidence)] : finding.Evidence.Select(ReportText.Evidence));

    private static EventDocument Launcher(EventDocument document, LauncherFinding launcher) =>
        document
            .Set($"{Namespace}.launcher.kind", launcher.Kind)
            .Set($"{Namespace}.launcher.name", launcher.Name)
            .Set($"{Namespace}.launcher.location", launcher.Location)
            .Set($"{Namespace}.launcher.command", launcher.Command)
            .Set($"{Namespace}.launcher.resolved_target", launcher.ResolvedTarget)
            .Set($"{Namespace}.launcher.remove_with", launcher.RemoveWith)
            .Set($"{Namespace}.launcher.registered", Registered(launcher.RegisteredAt))
            .Set($"{Namespace}.launcher.registered_time_basis", launcher.RegisteredAt is null ? null : launcher.RegisteredAt.Utc is null ? "host-local" : "utc")
            .Set($"{Namespace}.launcher.last_run", launcher.LastRunAt)
            .Set($"{Namespace}.launcher.last_result", launcher.LastTaskResult is { } result ? ReportText.ResultCode(result) : null)
            .Set($"{Namespace}.launcher.next_run", launcher.NextRunAt);

    /// <summary>
    /// A task's registration date: UTC when its XML named a zone; otherwise the host's wall-clock time as written,
    /// never converted (that would need the host's offset, which the bundle does not record).
    /// </summary>
    private static string? Registered(Core.Snapshot.HostTime? registered) =>
        registered is null ? null
        : registered.Utc is { } utc ? ReportText.Utc(utc)
        : registered.HostLocal?.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture) ?? registered.Text;

    private static EventDocument ProcessEvent(EventFacts facts, ProcessRecord process)
    {
        var file = facts.FileOf(process.ImagePath);
        var document = Start(facts, "process", EventTime.Prefer(process.CreationTimeUtc, "process-start", facts), "event", ["process"], ["info"], Core.Evidence.AnomalySeverity.Info)
            .Set("message", $"process {process.Name} pid {process.Pid} {process.ImagePath ?? "(no image path)"}");
        Process(document, process, process.Pid, process.Name, process.ImagePath, file?.Sha256);
        return WithVerdict(document, facts.VerdictOf(process)).Set($"{Namespace}.evidence", [ReportText.Evidence(process.Source)]);
    }

    private static EventDocument FileEvent(EventFacts facts, FileRecord file)
    {
        var document = Start(facts, "file", EventTime.Collected(facts), "event", ["file"], ["info"], Core.Evidence.AnomalySeverity.Info)
            .Set("message", $"file {file.Path}");
        FileFields(document, file.Path, file);

        // files.csv carries the host's Get-AuthenticodeSignature answer: kept, but never as "trusted".
        var host = file.HostSignature;
        if (host.Status is not null)
        {
            document
                .Set("file.code_signature.exists", !string.Equals(host.Status, "NotSigned", StringComparison.OrdinalIgnoreCase))
                .Set("file.code_signature.valid", string.Equals(host.Status, "Valid", StringComparison.OrdinalIgnoreCase))
                .Set("file.code_signature.status", host.Status)
                .Set("file.code_signature.subject_name", host.SignerSubject)
                .Set($"{Namespace}.signature.source", "hostReported");
        }

        return WithVerdict(document, facts.VerdictOf(file))
            .Set($"{Namespace}.file.bundle_copy", file.BinaryBundlePath)
            .Set($"{Namespace}.file.collection_reason", file.CollectionReason)
            .Set($"{Namespace}.file.zone_identifier", file.ZoneIdentifier)
            .Set($"{Namespace}.evidence", [ReportText.Evidence(file.Source)]);
    }

    // A process or file row that also has a verdict names it, so a search for fakes finds the raw rows too.
    private static EventDocument WithVerdict(EventDocument document, SubjectVerdict? verdict) =>
        verdict is null
            ? document
            : document
                .Set($"{Namespace}.verdict", ReportText.Name(verdict.Verdict))
                .Set($"{Namespace}.evidence_strength", ReportText.Name(verdict.Strength));
}
