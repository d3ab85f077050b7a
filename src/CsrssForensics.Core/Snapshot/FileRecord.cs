using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Core.Snapshot;

/// <summary>
/// One row of <c>files.csv</c>: a file on the suspect host, its hashes, what the host said about its signature,
/// and where its copy sits in the bundle (if it was copied).
/// </summary>
public sealed record FileRecord(
    string Path,
    long? Size,
    string? Sha256,
    DateTimeOffset? CreatedUtc,
    DateTimeOffset? ModifiedUtc,
    HostSignature HostSignature,
    string? CatalogPath,
    string? CatalogBundlePath,
    string? BinaryBundlePath,
    string? CollectionReason,
    string? ZoneIdentifier,
    EvidenceRef Source);

/// <summary>
/// What the suspect host's own <c>Get-AuthenticodeSignature</c> said. Secondary evidence: a compromised host can lie.
/// </summary>
/// <param name="Status">Valid, NotSigned, HashMismatch, UnknownError, NotTrusted... or null when not collected.</param>
/// <param name="SignatureType">Embedded, Catalog or None.</param>
public sealed record HostSignature(
    string? Status,
    string? SignatureType,
    string? SignerSubject,
    string? SignerThumbprint)
{
    /// <summary>No signature information was collected.</summary>
    public static HostSignature NotCollected { get; } = new(null, null, null, null);
}
