using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Core.Snapshot;

/// <summary>A scheduled task parsed from its raw XML under <c>tasks/</c>.</summary>
/// <param name="TaskPath">The task's path in the scheduler, e.g. <c>\Microsoft\Windows\Update</c>, from the bundle-relative file path or the XML URI.</param>
public sealed record ScheduledTask(
    string TaskPath,
    string? Author,
    string? Description,
    bool? Enabled,
    bool? Hidden,
    string? RunAsUser,
    ImmutableArray<string> Triggers,
    ImmutableArray<TaskAction> Actions,
    EvidenceRef Source)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<string> Triggers { get; init => field = value.OrEmpty(); } = Triggers.OrEmpty();
    public ImmutableArray<TaskAction> Actions { get; init => field = value.OrEmpty(); } = Actions.OrEmpty();
    public EvidenceRef Source { get; init; } = Source;

    /// <summary>
    /// <c>RegistrationInfo/Date</c>: when the task says it was registered (the author's claim, writable like the rest
    /// of the XML); null when absent or not a time. Usually host-local time without a zone.
    /// </summary>
    public HostTime? RegisteredAt { get; init; }

    /// <summary>
    /// The scheduler's run record from <c>task-runs.csv</c> (the host's word, not in the XML); null when the bundle has
    /// no row for this task.
    /// </summary>
    public TaskRunRecord? Runs { get; init; }
}

/// <summary>One row of <c>task-runs.csv</c>: what the Task Scheduler reported about a task's runs, in UTC.</summary>
/// <param name="LastRunAt">Last run; null when the task never ran or the cell is not a time.</param>
/// <param name="LastTaskResult">The scheduler's last result code (an HRESULT or the program's exit code).</param>
/// <param name="NextRunAt">Next scheduled run; null when none.</param>
public sealed record TaskRunRecord(
    DateTimeOffset? LastRunAt,
    int? LastTaskResult,
    DateTimeOffset? NextRunAt,
    EvidenceRef Source);

/// <summary>One action of a task: an <c>Exec</c> (command + arguments) or a <c>ComHandler</c> (class id + data).</summary>
public sealed record TaskAction(
    string Kind,
    string? Command,
    string? Arguments,
    string? WorkingDirectory,
    string? ClassId,
    string? Data);
