using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Reporting.Events;

/// <summary>
/// What every event writer (ECS JSONL, Timesketch, the CSV's extra columns) looks up beside a verdict: the host name,
/// the collection time, the <c>processes.csv</c> row of a pid and the <c>files.csv</c> row of a path. Built once per
/// report; lookups are dictionary reads, so the cost stays linear in the bundle.
/// </summary>
internal sealed class EventFacts
{
    private readonly Dictionary<int, ProcessRecord> _processByPid;
    private readonly Dictionary<string, FileRecord> _fileByPath;
    private readonly HashSet<string>? _askedPaths;
    private readonly Dictionary<int, SubjectVerdict> _verdictByPid = [];
    private readonly Dictionary<string, SubjectVerdict> _fileVerdictByPath = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Facts about every row: <see cref="FileOf"/> answers for any path.</summary>
    public EventFacts(AnalysisReport report)
        : this(report, filePaths: null)
    {
    }

    /// <summary>
    /// Facts whose <see cref="FileOf"/> answers only for <paramref name="filePaths"/> (all paths when null). files.csv
    /// runs to hundreds of thousands of rows while a writer may look up a few thousand, so only those rows are kept.
    /// </summary>
    public EventFacts(AnalysisReport report, IEnumerable<string?>? filePaths)
    {
        Report = report;
        HostName = report.Host?.Hostname;
        CollectedAtUtc = report.Bundle.CollectedAtUtc;
        _askedPaths = filePaths is null ? null : new HashSet<string>(filePaths.OfType<string>(), StringComparer.OrdinalIgnoreCase);

        // Sized for every row up front (only the asked ones when limited): files.csv runs to hundreds of thousands of
        // rows, and regrowing the table copies it again at each doubling.
        _processByPid = new(report.ObservedProcesses.Length);
        _fileByPath = new(_askedPaths?.Count ?? report.ObservedFiles.Length, StringComparer.OrdinalIgnoreCase);

        // First row wins: a duplicated pid or path in hostile CSV cannot swap the facts shown for a verdict.
        foreach (var process in Processes)
        {
            _processByPid.TryAdd(process.Pid, process);
        }

        foreach (var file in Files)
        {
            if (_askedPaths is null || _askedPaths.Contains(file.Path))
            {
                _fileByPath.TryAdd(file.Path, file);
            }
        }

        foreach (var verdict in report.Verdicts)
        {
            if (verdict.Subject is { Kind: SubjectKind.Process, Pid: int pid })
            {
                _verdictByPid.TryAdd(pid, verdict);
            }
            else if (verdict.Subject is { Kind: SubjectKind.File, Path: { } path })
            {
                _fileVerdictByPath.TryAdd(path, verdict);
            }
        }
    }

    /// <summary>The (normalised) report the facts come from.</summary>
    public AnalysisReport Report { get; }

    /// <summary>The host's name as host.json gave it, or null.</summary>
    public string? HostName { get; }

    /// <summary>When the bundle was collected (manifest.json), or null.</summary>
    public DateTimeOffset? CollectedAtUtc { get; }

    /// <summary>The rows of processes.csv, empty when none were given.</summary>
    public IEnumerable<ProcessRecord> Processes =>
        Report.ObservedProcesses.Where(p => p is not null);

    /// <summary>The rows of files.csv, empty when none were given.</summary>
    public IEnumerable<FileRecord> Files =>
        Report.ObservedFiles.Where(f => f?.Path is not null);

    /// <summary>The processes.csv row of a process verdict (same pid and name), or null.</summary>
    public ProcessRecord? ProcessOf(Subject subject) =>
        subject is { Kind: SubjectKind.Process, Pid: int pid } && _processByPid.TryGetValue(pid, out var process)
            && string.Equals(process.Name, subject.Name, StringComparison.OrdinalIgnoreCase)
            ? process
            : null;

    /// <summary>The files.csv row of a path, or null; the path must be one the facts were built for.</summary>
    public FileRecord? FileOf(string? path)
    {
        if (path is null)
        {
            return null;
        }

        if (_askedPaths is not null && !_askedPaths.Contains(path))
        {
            throw new InvalidOperationException("These facts were built without the files.csv row of this path.");
        }

        return _fileByPath.TryGetValue(path, out var file) ? file : null;
    }

    /// <summary>The verdict about a process row, or null.</summary>
    public SubjectVerdict? VerdictOf(ProcessRecord process) =>
        _verdictByPid.TryGetValue(process.Pid, out var verdict)
            && string.Equals(verdict.Subject.Name, process.Name, StringComparison.OrdinalIgnoreCase)
            ? verdict
            : null;

    /// <summary>The file verdict about a files.csv row (same path), or null.</summary>
    public SubjectVerdict? VerdictOf(FileRecord file) =>
        _fileVerdictByPath.TryGetValue(file.Path, out var verdict) ? verdict : null;

    /// <summary>The SHA-256 files.csv gives for a subject's path (the host's hash), or null.</summary>
    public string? Sha256Of(Subject subject) => FileOf(subject.Path)?.Sha256;

    /// <summary>
    /// The signer a verdict rests on: the offline signer when checked offline, else the host's claim, else null.
    /// </summary>
    public static string? SignerOf(SubjectVerdict verdict) => verdict.Signature?.SignerSubject;

    /// <summary>Severity word of a verdict, the same scale as the findings: fake high, suspicious medium, inconclusive low.</summary>
    public static AnomalySeverity SeverityOf(Verdict verdict) => verdict switch
    {
        Verdict.Fake => AnomalySeverity.High,
        Verdict.Suspicious => AnomalySeverity.Medium,
        Verdict.Inconclusive => AnomalySeverity.Low,
        _ => AnomalySeverity.Info,
    };

    /// <summary>ECS <c>event.severity</c> for a severity word (docs/integrations.md has the table).</summary>
    public static long SeverityNumber(AnomalySeverity severity) => severity switch
    {
        AnomalySeverity.High => 73,
        AnomalySeverity.Medium => 47,
        AnomalySeverity.Low => 21,
        _ => 0,
    };

    /// <summary>The highest severity of some findings, or null when there are none.</summary>
    public static AnomalySeverity? Highest(IEnumerable<Finding> findings) =>
        findings.Select(f => (AnomalySeverity?)f.Severity).DefaultIfEmpty(null).Max();

    /// <summary>The file name part of a Windows path.</summary>
    public static string? FileName(string? path) => path is null ? null : path[(path.LastIndexOfAny(['\\', '/']) + 1)..];

    /// <summary>The folder part of a Windows path, or null when the path names no folder.</summary>
    public static string? Directory(string? path)
    {
        var cut = path?.LastIndexOfAny(['\\', '/']) ?? -1;
        return cut > 0 ? path![..cut] : null;
    }
}
