using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Core.Verdicts;

/// <summary>The outcome of a signature check, whichever source produced it.</summary>
public enum SignatureStatus
{
    /// <summary>Valid signature whose chain ends in a pinned Microsoft root.</summary>
    MicrosoftSigned,

    /// <summary>Valid signature, but the chain ends elsewhere (or nowhere trusted).</summary>
    SignedOther,

    /// <summary>No embedded signature and no catalog that lists the file.</summary>
    NotSigned,

    /// <summary>A signature is present but broken: digest mismatch, bad signer signature, malformed.</summary>
    Invalid,

    /// <summary>Nothing to check: the binary and the host's answer are both missing.</summary>
    Unknown,
}

/// <summary>Where a signature answer came from.</summary>
public enum SignatureSource
{
    /// <summary>Verified offline from the bundle's copy of the binary (embedded signature).</summary>
    OfflineEmbedded,

    /// <summary>Verified offline through a catalog in the bundle that lists the file's hash.</summary>
    OfflineCatalog,

    /// <summary>Verified offline and found unsigned or invalid.</summary>
    Offline,

    /// <summary>Only the suspect host's own report (secondary evidence).</summary>
    HostReported,

    /// <summary>No source at all.</summary>
    None,
}

/// <summary>
/// Where the root a signature chains to came from, which says whether the suspect host could have forged the trust:
/// a host can plant any root in its own certificate stores, but not change the SHA-256 of a pinned root's DER.
/// </summary>
public enum RootOrigin
{
    /// <summary>One of the pinned Microsoft roots (by SHA-256 of the DER).</summary>
    PinnedMicrosoft,

    /// <summary>One of the pinned public code-signing roots (DigiCert, Sectigo, GlobalSign...; by SHA-256 of the DER).</summary>
    PinnedPublic,

    /// <summary>A root the analyst supplied (<c>--roots</c>), not taken from the bundle.</summary>
    Analyst,

    /// <summary>A root only the bundle's exported certificate stores hold: the suspect host's word.</summary>
    HostStore,

    /// <summary>No trusted chain, or not checked offline.</summary>
    None,
}

/// <summary>
/// What is known about a file's signature: the status that feeds the decision tree, who signed, which root the chain
/// ended in, and the host's own claim kept beside it so a disagreement can be shown.
/// </summary>
public sealed record SignatureEvidence(
    SignatureStatus Status,
    SignatureSource Source,
    string? SignerSubject,
    string? SignerThumbprint,
    string? IssuerSubject,
    string? RootSubject,
    string? RootSha256Thumbprint,
    DateTimeOffset? TimestampUtc,
    string? CatalogFile,
    string? AuthenticodeSha256,
    string? HostStatus,
    ImmutableArray<string> Notes,
    ImmutableArray<EvidenceRef> Evidence)
{
    /// <summary>Nothing known: neither the bytes nor the host said anything.</summary>
    public static SignatureEvidence Unknown { get; } =
        new(SignatureStatus.Unknown, SignatureSource.None, null, null, null, null, null, null, null, null, null, [], []);

    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<string> Notes { get; init => field = value.OrEmpty(); } = Notes.OrEmpty();
    public ImmutableArray<EvidenceRef> Evidence { get; init => field = value.OrEmpty(); } = Evidence.OrEmpty();

    /// <summary>
    /// For an offline result: the deciding signature's chain reached a trust anchor (a pinned Microsoft root, a root
    /// from the bundle's exported stores or one given with --roots) at the verification time. Null when not checked
    /// offline (host-reported or nothing).
    /// </summary>
    public bool? ChainTrusted { get; init; }

    /// <summary>
    /// Where the deciding chain's root came from; <see cref="RootOrigin.None"/> unless <see cref="ChainTrusted"/> is true.
    /// </summary>
    public RootOrigin RootOrigin { get; init; } = RootOrigin.None;

    /// <summary>
    /// The chain is trusted and ends in a root the suspect host cannot forge: pinned Microsoft, pinned public
    /// code-signing, or supplied by the analyst. A root only the host's own store trusts is not enough.
    /// </summary>
    public bool PublisherKnown => ChainTrusted == true && RootOrigin is RootOrigin.PinnedMicrosoft or RootOrigin.PinnedPublic or RootOrigin.Analyst;
}

/// <summary>What the PE layer read from a binary that the rules care about.</summary>
public sealed record BinaryInfo(
    string BundlePath,
    bool IsPe,
    string? Machine,
    string? Subsystem,
    string? OriginalFilename,
    string? InternalName,
    string? CompanyName,
    string? FileDescription,
    string? ProductName,
    string? FileVersion,
    ImmutableArray<Anomaly> Anomalies)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<Anomaly> Anomalies { get; init => field = value.OrEmpty(); } = Anomalies.OrEmpty();
}
