using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Core.Snapshot;

/// <summary>Overall result of checking the bundle against its manifest.</summary>
public enum IntegrityStatus
{
    /// <summary>Every file matches the manifest and nothing is extra.</summary>
    Verified,

    /// <summary>At least one file is changed, missing, extra or refused.</summary>
    Failed,

    /// <summary>There is no usable manifest to check against.</summary>
    Unverified,
}

/// <summary>What kind of integrity problem was found.</summary>
public enum IntegrityProblem
{
    Changed,
    Missing,
    Extra,
    Refused,
    ManifestUnreadable,
}

/// <summary>One integrity problem with the bundle file it concerns.</summary>
public sealed record IntegrityFinding(IntegrityProblem Problem, string Path, string Message, EvidenceRef Evidence);

/// <summary>The integrity section of the report.</summary>
public sealed record IntegrityReport(IntegrityStatus Status, string? BundleSha256, ImmutableArray<IntegrityFinding> Findings)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<IntegrityFinding> Findings { get; init => field = value.OrEmpty(); } = Findings.OrEmpty();
}
