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
}

/// <summary>One action of a task: an <c>Exec</c> (command + arguments) or a <c>ComHandler</c> (class id + data).</summary>
public sealed record TaskAction(
    string Kind,
    string? Command,
    string? Arguments,
    string? WorkingDirectory,
    string? ClassId,
    string? Data);
