using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>The check of one SignedData: an embedded (primary or nested) signature or a catalog's own signature.</summary>
/// <param name="Depth">0 for the primary signature, 1+ for nested signatures (1.3.6.1.4.1.311.2.4.1).</param>
/// <param name="DigestAlgorithm">Digest algorithm of the SpcIndirectDataContent (SHA1, SHA256...).</param>
/// <param name="SignedDigest">Upper-case hex digest the signature vouches for (embedded signatures only).</param>
/// <param name="DigestMatches">The signed digest equals our image hash. For a catalog: its content digest verified.</param>
/// <param name="SignatureValid">The signer's signature and its messageDigest attribute verify.</param>
/// <param name="ChainTrusted">The signer certificate chains to a trust anchor at <paramref name="VerificationTimeUtc"/> and may sign code.</param>
/// <param name="MicrosoftRoot">The chain ends in a pinned Microsoft root.</param>
/// <param name="SignerThumbprint">SHA-1 thumbprint of the signer certificate (the form Windows tools show).</param>
/// <param name="TimestampUtc">Signing time proven by a valid timestamp from a trusted TSA, else null.</param>
/// <param name="TimestampKind"><c>rfc3161</c> or <c>countersignature</c> when a timestamp is present (valid or not).</param>
/// <param name="VerificationTimeUtc">Time the chain was checked at: the timestamp, else the collection time.</param>
public sealed record SignatureCheck(
    int Depth,
    string? DigestAlgorithm,
    string? SignedDigest,
    bool DigestMatches,
    bool SignatureValid,
    bool ChainTrusted,
    bool MicrosoftRoot,
    string? SignerSubject,
    string? IssuerSubject,
    string? SignerThumbprint,
    string? RootSubject,
    string? RootSha256Thumbprint,
    DateTimeOffset? TimestampUtc,
    string? TimestampKind,
    bool TimestampValid,
    DateTimeOffset VerificationTimeUtc,
    ImmutableArray<string> Problems)
{
    /// <summary>
    /// The signed page hash table matches the file (true), does not or cannot be read (false; <see cref="DigestMatches"/>
    /// is then false too), or the signer included none (null).
    /// </summary>
    public bool? PageHashesMatch { get; init; }

    /// <summary>Where the chain's root came from (pinned, analyst, host store); <see cref="RootOrigin.None"/> unless <see cref="ChainTrusted"/>.</summary>
    public RootOrigin RootOrigin { get; init; } = RootOrigin.None;

    /// <summary>Intact: digest and signature verify (trust is a separate question).</summary>
    public bool Intact => DigestMatches && SignatureValid;

    /// <summary>Orders signatures: Microsoft-trusted, trusted, intact, broken.</summary>
    internal int Rank => !Intact ? 0 : !ChainTrusted ? 1 : MicrosoftRoot ? 3 : 2;
}

/// <summary>The embedded signature (certificate table) of one file.</summary>
/// <param name="Present">A certificate table is declared (even if broken).</param>
/// <param name="DigestMatches">Every signature's digest equals our image hash.</param>
/// <param name="SignatureValid">Every signature verifies.</param>
/// <param name="NestedCount">Number of nested signatures inside the primary one.</param>
/// <param name="Signatures">Primary first, then nested ones in file order.</param>
/// <param name="TableWellFormed">The certificate table holds exactly one signature entry and no other data.</param>
public sealed record EmbeddedSignature(
    bool Present,
    bool DigestMatches,
    bool SignatureValid,
    bool ChainTrusted,
    bool MicrosoftRoot,
    string? SignerSubject,
    string? IssuerSubject,
    string? SignerThumbprint,
    string? RootSubject,
    string? RootSha256Thumbprint,
    DateTimeOffset? TimestampUtc,
    int NestedCount,
    ImmutableArray<SignatureCheck> Signatures,
    bool TableWellFormed = true)
{
    /// <summary>No certificate table.</summary>
    public static EmbeddedSignature Absent { get; } = new(false, false, false, false, false, null, null, null, null, null, null, 0, []);
}

/// <summary>Whether a catalog lists the file, and what the catalog's own signature is worth.</summary>
/// <param name="File">Name of the catalog (as given to <see cref="CatalogIndex.Build"/>).</param>
/// <param name="MemberName">The member's <c>File</c> name value, else its <c>Hint</c>.</param>
/// <param name="MatchedBy">How the hash matched: <c>idc-sha256</c>, <c>tag-sha1</c>, <c>tag-utf16-sha1</c>...</param>
/// <param name="CatalogSigned">The catalog carries a signer (an unsigned catalog proves nothing).</param>
/// <param name="Signature">The catalog signature check, null when unsigned or not matched.</param>
/// <param name="Hits">Every catalog member that lists the file (the best one is described above), ordinal order.</param>
public sealed record CatalogMatch(
    bool Matched,
    string? File,
    string? MemberName,
    string? MatchedBy,
    bool CatalogSigned,
    SignatureCheck? Signature,
    ImmutableArray<CatalogHit> Hits = default)
{
    /// <summary>No catalog lists the file.</summary>
    public static CatalogMatch None { get; } = new(false, null, null, null, false, null, []);
}

/// <summary>One catalog member that lists a file.</summary>
/// <param name="MatchedBy">idc-sha256, idc-sha1, tag-sha1, tag-sha256, tag-utf16-sha1...</param>
public sealed record CatalogHit(string File, string MatchedBy, string? MemberName);

/// <summary>Everything the offline verifier concluded about one file.</summary>
/// <param name="Path">Evidence (bundle-relative) path given to the verifier.</param>
/// <param name="AuthenticodeSha1">Upper-case hex Authenticode image hash; null when the file is no PE image, or when neither
/// verification needed it (no SHA-1 signature, no SHA-1 catalog key) nor the caller asked for it (<see cref="VerificationHashes"/>).</param>
/// <param name="AuthenticodeSha256">Upper-case hex Authenticode image hash; null exactly when the file is no PE image.</param>
/// <param name="Sha256">Upper-case hex SHA-256 of the whole file; always for a flat file, for a PE only when asked for.</param>
/// <param name="Verdict">MicrosoftSigned, SignedOther, NotSigned or Invalid.</param>
/// <param name="DecidedBy">Which evidence gave the verdict: OfflineEmbedded, OfflineCatalog or Offline.</param>
public sealed record FileVerification(
    string Path,
    long Length,
    bool IsPe,
    string? AuthenticodeSha1,
    string? AuthenticodeSha256,
    string? Sha256,
    EmbeddedSignature Embedded,
    CatalogMatch Catalog,
    SignatureStatus Verdict,
    SignatureSource DecidedBy,
    ImmutableArray<string> Notes)
{
    /// <summary>The verdict as the CLI prints it: <c>microsoft-signed</c>, <c>signed-other</c>, <c>not-signed</c>, <c>invalid</c>.</summary>
    public string VerdictText => VerdictToken(Verdict);

    /// <summary>Kebab-case token for a status.</summary>
    public static string VerdictToken(SignatureStatus status) => status switch
    {
        SignatureStatus.MicrosoftSigned => "microsoft-signed",
        SignatureStatus.SignedOther => "signed-other",
        SignatureStatus.NotSigned => "not-signed",
        SignatureStatus.Invalid => "invalid",
        _ => "unknown",
    };

    /// <summary>Converts to the core model the rules consume, keeping the host's own claim beside it.</summary>
    public SignatureEvidence ToSignatureEvidence(string? hostStatus)
    {
        SignatureCheck? deciding = DecidedBy switch
        {
            SignatureSource.OfflineCatalog => Catalog.Signature,
            _ => Embedded.Signatures.IsDefaultOrEmpty ? null : Best(Embedded.Signatures),
        };
        var evidence = ImmutableArray.Create(new EvidenceRef(Path, Detail: "authenticode"));
        if (Catalog.Matched && Catalog.File is not null)
        {
            evidence = evidence.Add(new EvidenceRef(Catalog.File, Detail: Catalog.MatchedBy));
        }

        return new SignatureEvidence(
            Verdict,
            DecidedBy,
            deciding?.SignerSubject,
            deciding?.SignerThumbprint,
            deciding?.IssuerSubject,
            deciding?.RootSubject,
            deciding?.RootSha256Thumbprint,
            deciding?.TimestampUtc,
            Catalog.Matched ? Catalog.File : null,
            AuthenticodeSha256 ?? Sha256,
            hostStatus,
            Notes,
            evidence)
        {
            ChainTrusted = deciding is null ? null : deciding.ChainTrusted,
            RootOrigin = deciding is { Intact: true, ChainTrusted: true } ? deciding.RootOrigin : RootOrigin.None,
        };
    }

    internal static SignatureCheck Best(ImmutableArray<SignatureCheck> signatures)
    {
        SignatureCheck best = signatures[0];
        foreach (SignatureCheck candidate in signatures)
        {
            if (candidate.Rank > best.Rank)
            {
                best = candidate;
            }
        }

        return best;
    }
}
