using System.Collections.Immutable;

namespace CsrssForensics.Core.Snapshot;

/// <summary>The parsed <c>manifest.json</c>: who collected what, when, and the hash of every other file.</summary>
public sealed record BundleManifest(
    string Format,
    string FormatVersion,
    string? CollectorName,
    string? CollectorVersion,
    DateTimeOffset? CollectedAtUtc,
    string? Operator,
    string? Hostname,
    ImmutableArray<ManifestFile> Files,
    ImmutableArray<string> CollectionErrors)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<ManifestFile> Files { get; init => field = value.OrEmpty(); } = Files.OrEmpty();
    public ImmutableArray<string> CollectionErrors { get; init => field = value.OrEmpty(); } = CollectionErrors.OrEmpty();
}

/// <summary>One file the manifest vouches for.</summary>
public sealed record ManifestFile(string Path, long Size, string Sha256);
