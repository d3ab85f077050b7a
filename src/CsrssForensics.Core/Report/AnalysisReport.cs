using System.Collections.Immutable;
using System.Text.Json.Serialization;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Core.Report;

/// <summary>
/// The machine-wide answer, weakest claim first. <see cref="Clean"/> is given only when every core process was
/// examined and every verdict rests on bytes verified offline; anything that rests on the host's word, or on nothing,
/// is at best <see cref="Inconclusive"/>.
/// </summary>
public enum OverallStatus
{
    /// <summary>Every required part was examined and every verdict is legitimate, verified offline.</summary>
    Clean,

    /// <summary>Nothing fake or suspicious, but something could not be verified offline or was not examined.</summary>
    Inconclusive,

    /// <summary>Something needs a human: a suspicious verdict, a high-severity autostart finding, a failed integrity check.</summary>
    Suspicious,

    /// <summary>At least one evidence-backed fake.</summary>
    Compromised,
}

/// <summary>
/// The one report model every writer (JSON, Markdown, HTML, CSV) renders. Built deterministically: every list is
/// already sorted on stable keys, every time is UTC, and there is no "now" unless injected.
/// </summary>
public sealed record AnalysisReport(
    string ReportVersion,
    ToolInfo Tool,
    BundleInfo Bundle,
    HostSummary? Host,
    OverallStatus OverallStatus,
    string Summary,
    IntegrityReport Integrity,
    ImmutableArray<SubjectVerdict> Verdicts,
    ImmutableArray<CleanupRecordRow> RecordBeforeCleanup,
    ImmutableArray<FolderSiblings> SameFolderFiles,
    ImmutableArray<LauncherFinding> Launchers,
    ImmutableArray<ActionItem> Actions,
    ImmutableArray<ReportLine> AfterCleanup,
    ImmutableArray<ResourceUsageRow> ResourceUsage,
    ImmutableArray<ProcessTreeView> ProcessTrees,
    ImmutableArray<string> NotCollected,
    ImmutableArray<Anomaly> Anomalies)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<SubjectVerdict> Verdicts { get; init => field = value.OrEmpty(); } = Verdicts.OrEmpty();
    public ImmutableArray<CleanupRecordRow> RecordBeforeCleanup { get; init => field = value.OrEmpty(); } = RecordBeforeCleanup.OrEmpty();
    public ImmutableArray<FolderSiblings> SameFolderFiles { get; init => field = value.OrEmpty(); } = SameFolderFiles.OrEmpty();
    public ImmutableArray<LauncherFinding> Launchers { get; init => field = value.OrEmpty(); } = Launchers.OrEmpty();
    public ImmutableArray<ActionItem> Actions { get; init => field = value.OrEmpty(); } = Actions.OrEmpty();
    public ImmutableArray<ReportLine> AfterCleanup { get; init => field = value.OrEmpty(); } = AfterCleanup.OrEmpty();
    public ImmutableArray<ResourceUsageRow> ResourceUsage { get; init => field = value.OrEmpty(); } = ResourceUsage.OrEmpty();
    public ImmutableArray<ProcessTreeView> ProcessTrees { get; init => field = value.OrEmpty(); } = ProcessTrees.OrEmpty();
    public ImmutableArray<string> NotCollected { get; init => field = value.OrEmpty(); } = NotCollected.OrEmpty();

    /// <summary>
    /// <see cref="NotCollected"/> as coded lines (<c>NC-*</c>), in the same order: each text is the matching
    /// <see cref="NotCollected"/> entry. Empty in reports built without them.
    /// </summary>
    public ImmutableArray<ReportLine> NotCollectedLines { get; init => field = value.OrEmpty(); } = [];
    public ImmutableArray<Anomaly> Anomalies { get; init => field = value.OrEmpty(); } = Anomalies.OrEmpty();

    /// <summary>
    /// Defender status and detections, recent programs and browser extensions; null when none of programs.json,
    /// browser-extensions.json and defender.json was collected. Init-only so models built without it still compile.
    /// </summary>
    public HostContextSection? HostContext { get; init; }

    /// <summary>
    /// What could not be examined although every Windows host has it (a required bundle part, a core process such as
    /// csrss per session). Any gap keeps the overall status from being <see cref="OverallStatus.Clean"/>.
    /// </summary>
    public ImmutableArray<ExaminationGap> Gaps { get; init => field = value.OrEmpty(); } = [];

    /// <summary>How many verdicts rest on each <see cref="EvidenceStrength"/>.</summary>
    public EvidenceStrengthCounts StrengthCounts { get; init; } = new(0, 0, 0);

    /// <summary>
    /// Root certificates in the host's stores that imitate a Microsoft root (see <see cref="RogueRootFinding"/>);
    /// empty when there are none or no store was collected. Init-only so models built without it still compile.
    /// </summary>
    public ImmutableArray<RogueRootFinding> RogueRoots { get; init => field = value.OrEmpty(); } = [];

    /// <summary>
    /// The sentences of <see cref="Summary"/> as coded lines (<c>SUM-*</c>), in order: the summary is their texts
    /// joined by spaces. Empty in reports built without them.
    /// </summary>
    public ImmutableArray<ReportLine> SummaryLines { get; init => field = value.OrEmpty(); } = [];

    /// <summary>
    /// Every row of <c>processes.csv</c>, in file order, for the event outputs (ECS JSONL, Timesketch) and the CSV's
    /// hash and time columns. Not part of report.json, which stays a document about verdicts.
    /// </summary>
    [JsonIgnore]
    public ImmutableArray<ProcessRecord> ObservedProcesses { get; init => field = value.OrEmpty(); } = [];

    /// <summary>Every row of <c>files.csv</c>, in file order, for the same outputs; not part of report.json.</summary>
    [JsonIgnore]
    public ImmutableArray<FileRecord> ObservedFiles { get; init => field = value.OrEmpty(); } = [];
}

/// <summary>Something every Windows host has that this bundle did not let the analysis examine.</summary>
/// <param name="Code">
/// Stable identifier, and the wording-table code <see cref="Message"/> is rendered from: GAP-PART-MISSING,
/// GAP-CORE-PROCESS-MISSING, GAP-CSRSS-MISSING, GAP-CSRSS-SESSION-MISSING.
/// </param>
/// <param name="Subject">The bundle part or process name the gap is about.</param>
/// <param name="Message">The code's wording filled with <see cref="Params"/>.</param>
public sealed record ExaminationGap(string Code, string Subject, string Message, ImmutableArray<EvidenceRef> Evidence)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<EvidenceRef> Evidence { get; init => field = value.OrEmpty(); } = Evidence.OrEmpty();

    /// <summary>The values the code's template was filled with, in template order; empty for a gap written by hand.</summary>
    public ImmutableArray<ItemParameter> Params { get; init => field = value.OrEmpty(); } = [];
}

/// <summary>Verdict counts per evidence strength, for the summary line.</summary>
public sealed record EvidenceStrengthCounts(int VerifiedOffline, int HostReported, int None);

/// <summary>Name and version of the analyzer that wrote the report.</summary>
public sealed record ToolInfo(string Name, string Version, string RulesVersion)
{
    /// <summary>The <c>--rules</c> and <c>--rules-overlay</c> files in force; null (and left out of the JSON) for the built-in rules alone.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RulesProvenance? Rules { get; init; }
}

/// <summary>Which bundle was analysed.</summary>
public sealed record BundleInfo(
    string Name,
    string? FormatVersion,
    string? CollectorName,
    string? CollectorVersion,
    DateTimeOffset? CollectedAtUtc,
    string? Operator);

/// <summary>The host facts shown at the top of the report.</summary>
public sealed record HostSummary(
    string? Hostname,
    string? OsVersion,
    string? OsBuild,
    string? TimeZone,
    DateTimeOffset? BootTimeUtc,
    ImmutableArray<SessionInfo> Sessions)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<SessionInfo> Sessions { get; init => field = value.OrEmpty(); } = Sessions.OrEmpty();
}

/// <summary>
/// The seed's "what to record before cleanup" row for one suspicious or fake copy. Each text cell is kept as rendered
/// (for older consumers) and, from the analysis, also as coded lines (<c>REC-*</c>): a cell is its lines' texts
/// joined by "; ".
/// </summary>
public sealed record CleanupRecordRow(
    string FullPath,
    string Signature,
    string ParentProcess,
    string StartupSource,
    string CreationDate,
    ImmutableArray<EvidenceRef> Evidence)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<EvidenceRef> Evidence { get; init => field = value.OrEmpty(); } = Evidence.OrEmpty();

    /// <summary><see cref="Signature"/> as its coded line; null, and left out of the JSON, in rows built without it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReportLine? SignatureLine { get; init; }

    /// <summary>The coded lines of <see cref="ParentProcess"/>, one per process (or one saying there is none).</summary>
    public ImmutableArray<ReportLine> ParentProcessLines { get; init => field = value.OrEmpty(); } = [];

    /// <summary>The coded lines of <see cref="StartupSource"/>, one per launcher (or one saying none was found).</summary>
    public ImmutableArray<ReportLine> StartupSourceLines { get; init => field = value.OrEmpty(); } = [];

    /// <summary>The coded lines of <see cref="CreationDate"/>: the file's creation, then each process start.</summary>
    public ImmutableArray<ReportLine> CreationDateLines { get; init => field = value.OrEmpty(); } = [];
}

/// <summary>Every other file the bundle lists in the folder of a suspicious copy.</summary>
public sealed record FolderSiblings(string Folder, ImmutableArray<SiblingFile> Files)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<SiblingFile> Files { get; init => field = value.OrEmpty(); } = Files.OrEmpty();
}

/// <summary>One file next to a suspicious copy.</summary>
/// <param name="Kind">executable, library, driver, script, shortcut, installer, java-archive, config or other file.</param>
public sealed record SiblingFile(string Path, string Kind, string? Sha256, EvidenceRef Evidence)
{
    /// <summary>
    /// Why the file matters beside a fake ("driver (.sys) beside a suspicious copy: kernel code...", "config naming a mining
    /// pool (stratum+tcp://...)"); null in reports built without one. Init-only so existing models still compile.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>
    /// <see cref="Reason"/> as coded lines (<c>SIB-*</c>): a note (kind <c>sibling-note</c>) follows the line before it
    /// after a space, other lines are joined by "; ". Empty in reports built without them.
    /// </summary>
    public ImmutableArray<ReportLine> ReasonLines { get; init => field = value.OrEmpty(); } = [];
}

/// <summary>A launcher (task, Run key, service, IFEO, WMI, Startup item) and what it starts.</summary>
/// <param name="Kind">scheduled-task, run-key, service, ifeo, wmi, startup-folder, winlogon, appinit.</param>
/// <param name="ResolvedTarget">The executable the launcher really runs, after unwrapping cmd/powershell/rundll32.</param>
/// <param name="RemoveWith">Paths of fakes this launcher starts; non-empty means "remove this launcher with them".</param>
public sealed record LauncherFinding(
    string Kind,
    string Name,
    string Location,
    string? Command,
    string? ResolvedTarget,
    ImmutableArray<string> RemoveWith,
    ImmutableArray<Finding> Findings,
    EvidenceRef Evidence)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<string> RemoveWith { get; init => field = value.OrEmpty(); } = RemoveWith.OrEmpty();
    public ImmutableArray<Finding> Findings { get; init => field = value.OrEmpty(); } = Findings.OrEmpty();
    public EvidenceRef Evidence { get; init; } = Evidence;

    /// <summary>
    /// For a scheduled task: the registration date its XML gives (UTC when it names a zone, else host-local time);
    /// null, and left out of the JSON, when unknown or for other launchers. The collector exports no Run-key write
    /// time, so the report has none.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HostTime? RegisteredAt { get; init; }

    /// <summary>
    /// For a scheduled task: when the Task Scheduler says it last ran (UTC, from <c>task-runs.csv</c>, host-reported);
    /// null, and left out of the JSON, when the bundle has no such time or for other launchers.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? LastRunAt { get; init; }

    /// <summary>
    /// For a scheduled task: the Task Scheduler's last result code (an HRESULT such as 0x00041301 "running", or the
    /// program's exit code), host-reported, from <c>task-runs.csv</c>; null when the bundle has none.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? LastTaskResult { get; init; }

    /// <summary>For a scheduled task: when the Task Scheduler says it runs next (UTC, host-reported); null when unknown.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? NextRunAt { get; init; }
}

/// <summary>A "do" or "do not" line, always tied to the subject it is about.</summary>
/// <param name="Kind">do or do-not.</param>
/// <param name="Text">The line as the wording table renders <see cref="Code"/> with <see cref="Params"/>, or as written by hand.</param>
public sealed record ActionItem(string Kind, string Text, string? SubjectPath)
{
    /// <summary>The wording-table code the text was rendered from (<c>ACT-REMOVE-FAKE</c>); null for a line written by hand.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Code { get; init; }

    /// <summary>The values the code's template was filled with, in template order.</summary>
    public ImmutableArray<ItemParameter> Params { get; init => field = value.OrEmpty(); } = [];
}

/// <summary>A process that uses CPU or GPU in the snapshot, for when csrss is legitimate but the complaint is load.</summary>
public sealed record ResourceUsageRow(
    int Pid,
    string Name,
    string? ImagePath,
    double? CpuPercent,
    double? GpuPercent,
    long? WorkingSetBytes,
    EvidenceRef Evidence);

/// <summary>The process tree around one finding, flattened with depths so every writer can indent it.</summary>
public sealed record ProcessTreeView(int FocusPid, ImmutableArray<ProcessTreeNode> Nodes)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<ProcessTreeNode> Nodes { get; init => field = value.OrEmpty(); } = Nodes.OrEmpty();
}

/// <summary>One line of a process tree.</summary>
/// <param name="Note">"no living parent", "parent pid reused (created after child)", ...</param>
public sealed record ProcessTreeNode(
    int Depth,
    int Pid,
    int? ParentPid,
    string Name,
    string? ImagePath,
    int? SessionId,
    string? Verdict,
    string? Note);
