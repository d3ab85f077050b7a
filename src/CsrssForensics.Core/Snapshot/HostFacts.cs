using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Core.Snapshot;

/// <summary>Facts about the suspect host from <c>host.json</c>.</summary>
/// <param name="SubSystemsWindows">The <c>Session Manager\SubSystems\Windows</c> value: the command line smss gives csrss.</param>
public sealed record HostFacts(
    string? Hostname,
    string? OsVersion,
    string? OsBuild,
    string? TimeZone,
    DateTimeOffset? BootTimeUtc,
    string? SystemRoot,
    string? SubSystemsWindows,
    ImmutableArray<SessionInfo> Sessions,
    EvidenceRef Source)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<SessionInfo> Sessions { get; init => field = value.OrEmpty(); } = Sessions.OrEmpty();
    public EvidenceRef Source { get; init; } = Source;
}

/// <summary>A logon session on the host.</summary>
public sealed record SessionInfo(int Id, string? User, string? State);
