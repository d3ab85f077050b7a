using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Core.Verdicts;

/// <summary>A launcher (task action, Run key, service, IFEO, WMI consumer, Startup item) that starts a subject.</summary>
/// <param name="Kind">scheduled-task, run-key, service, ifeo, wmi, startup-folder, winlogon, appinit.</param>
/// <param name="ResolvedTarget">Normalised path of the executable it really runs (after unwrapping cmd, powershell, rundll32...).</param>
public sealed record LauncherLink(
    string Kind,
    string Name,
    string Location,
    string? Command,
    string? ResolvedTarget,
    EvidenceRef Evidence);

/// <summary>
/// Everything the rules may know about one subject, already correlated. Rules see this record, never files:
/// the analysis stage fills it from the snapshot, the PE layer, the verifier and the correlator.
/// </summary>
/// <param name="Signature">Status <see cref="SignatureStatus.Unknown"/> when neither the bytes nor the host said anything.</param>
/// <param name="LivingParent">The parent process when it is alive and was created before the child (else null).</param>
/// <param name="ParentPidReused">The parent pid belongs to a process created after the child: PID reuse, not a parent.</param>
/// <param name="SameNameInSameSession">Other processes with the same name in the same session.</param>
/// <param name="SameNameCopies">Normalised paths of other files/processes with the same (or look-alike) name elsewhere.</param>
public sealed record SubjectContext(
    Subject Subject,
    ProcessRecord? Process,
    FileRecord? File,
    SignatureEvidence Signature,
    BinaryInfo? Binary,
    ProcessRecord? LivingParent,
    bool ParentPidReused,
    ImmutableArray<ProcessRecord> Children,
    ImmutableArray<ProcessRecord> SameNameInSameSession,
    ImmutableArray<string> SameNameCopies,
    ImmutableArray<LauncherLink> Launchers,
    HostFacts? Host)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public SignatureEvidence Signature { get; init => field = value ?? SignatureEvidence.Unknown; } = Signature ?? SignatureEvidence.Unknown;
    public BinaryInfo? Binary { get; init; } = Binary;
    public ProcessRecord? LivingParent { get; init; } = LivingParent;
    public bool ParentPidReused { get; init; } = ParentPidReused;
    public ImmutableArray<ProcessRecord> Children { get; init => field = value.OrEmpty(); } = Children.OrEmpty();
    public ImmutableArray<ProcessRecord> SameNameInSameSession { get; init => field = value.OrEmpty(); } = SameNameInSameSession.OrEmpty();
    public ImmutableArray<string> SameNameCopies { get; init => field = value.OrEmpty(); } = SameNameCopies.OrEmpty();
    public ImmutableArray<LauncherLink> Launchers { get; init => field = value.OrEmpty(); } = Launchers.OrEmpty();
    public HostFacts? Host { get; init; } = Host;
}
