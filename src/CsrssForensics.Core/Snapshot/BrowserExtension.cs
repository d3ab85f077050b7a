using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Core.Snapshot;

/// <summary>One record of <c>browser-extensions.json</c>: an extension in one browser profile of one user.</summary>
/// <param name="Browser">Chrome, Edge or Firefox.</param>
/// <param name="Id">Extension id (Chromium) or add-on id (Firefox).</param>
/// <param name="Path">Host folder or .xpi of the extension.</param>
/// <param name="Permissions">The permissions its manifest asks for, in collected order.</param>
public sealed record BrowserExtension(
    string Browser,
    string? User,
    string? Profile,
    string Id,
    string? Name,
    string? Version,
    string? Path,
    ImmutableArray<string> Permissions,
    EvidenceRef Source)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<string> Permissions { get; init => field = value.OrEmpty(); } = Permissions.OrEmpty();
    public EvidenceRef Source { get; init; } = Source;
}
