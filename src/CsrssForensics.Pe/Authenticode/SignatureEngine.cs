using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>
/// Verifies SignedData blobs the Authenticode way: the signed digest against our hash, the signer's signature (with
/// the messageDigest and contentType attributes), the timestamp (RFC 3161 or legacy countersignature) and the chain at
/// the proven signing time, then nested signatures. Certificates and keys come from a shared cache.
/// </summary>
internal sealed class SignatureEngine
{
    /// <summary>Nested signatures nest in practice one level; deeper is hostile.</summary>
    private const int MaxDepth = 3;

    /// <summary>Real files carry two or three signatures; more is an attack on the verifier.</summary>
    private const int MaxSignatures = 16;

    private readonly ChainEvaluator _chains;
    private readonly CertificateCache _certificates;
    private readonly SignerInfoVerifier _signers;
    private readonly TimestampVerifier _timestamps;
    private readonly DateTimeOffset _fallbackTimeUtc;

    public SignatureEngine(ChainEvaluator chains, VerifierCounters counters, DateTimeOffset fallbackTimeUtc)
    {
        _chains = chains;
        _certificates = new CertificateCache(counters);
        _signers = new SignerInfoVerifier(counters);
        _timestamps = new TimestampVerifier(chains, _certificates, _signers);
        _fallbackTimeUtc = fallbackTimeUtc.ToUniversalTime();
    }

    /// <summary>Verifies an embedded Authenticode signature and, recursively, its nested signatures.</summary>
    /// <param name="imageHashFor">Our image hash for a digest OID, null when the algorithm is not supported.</param>
    /// <param name="pageHashMismatch">Compares a signed page hash table with the file: null when it matches, else why not.</param>
    public void VerifyAuthenticode(
        ReadOnlyMemory<byte> pkcs7,
        Func<string, byte[]?> imageHashFor,
        Func<PageHashTable, string?> pageHashMismatch,
        string evidenceFile,
        long offset,
        int depth,
        List<SignatureCheck> results,
        IAnomalySink sink)
    {
        if (results.Count >= MaxSignatures)
        {
            AuthenticodeLayout.Report(sink, "SIG0021", AnomalySeverity.Medium, $"More than {MaxSignatures} signatures; the rest are not verified", evidenceFile, offset);
            return;
        }

        if (!Pkcs7.TryDecode(pkcs7, out Pkcs7SignedData? data, out string? error))
        {
            AuthenticodeLayout.Report(sink, "SIG0010", AnomalySeverity.High, $"Signature is not a decodable PKCS#7 SignedData: {error}", evidenceFile, offset, Level(depth));
            results.Add(Broken(depth, null, null, "undecodable SignedData"));
            return;
        }

        if (data!.ContentType != AuthenticodeOids.SpcIndirectData)
        {
            AuthenticodeLayout.Report(sink, "SIG0013", AnomalySeverity.High, $"Signature content type {data.ContentType} is not SpcIndirectDataContent", evidenceFile, offset, Level(depth));
            results.Add(Broken(depth, null, null, "wrong content type"));
            return;
        }

        // PKCS#7 content is the SEQUENCE itself ([0] EXPLICIT SpcIndirectDataContent), CMS content an OCTET STRING around it: both decode here.
        if (!IndirectData.TryDecode(data.Content, out IndirectData? indirect, out error))
        {
            AuthenticodeLayout.Report(sink, "SIG0013", AnomalySeverity.High, $"SpcIndirectDataContent is malformed: {error}", evidenceFile, offset, Level(depth));
            results.Add(Broken(depth, null, null, "malformed SpcIndirectDataContent"));
            return;
        }

        string algorithm = AuthenticodeOids.DigestName(indirect!.DigestAlgorithm);
        string signedDigest = Convert.ToHexString(indirect.Digest);
        byte[]? ours = imageHashFor(indirect.DigestAlgorithm);
        bool digestMatches = ours is not null && ours.AsSpan().SequenceEqual(indirect.Digest);
        if (ours is null)
        {
            AuthenticodeLayout.Report(sink, "SIG0022", AnomalySeverity.Medium, $"Digest algorithm {algorithm} is not supported; the signature cannot match", evidenceFile, offset, Level(depth));
        }
        else if (!digestMatches)
        {
            AuthenticodeLayout.Report(sink, "SIG0011", AnomalySeverity.High,
                $"Image hash mismatch: the signature vouches for {algorithm} {signedDigest}, the file hashes to {Convert.ToHexString(ours)} (modified after signing)",
                evidenceFile, offset, Level(depth));
        }

        if (indirect.DataType != AuthenticodeOids.SpcPeImageData)
        {
            AuthenticodeLayout.Report(sink, "SIG0013", AnomalySeverity.Medium, $"SpcIndirectDataContent type {indirect.DataType} is not SPC_PE_IMAGE_DATA", evidenceFile, offset, Level(depth));
        }

        // Page hashes are signed too: a table that does not match the file makes the signature inconsistent (osslsigncode
        // fails it, code integrity would refuse the pages), so the digest no longer counts as matching.
        bool? pageHashesMatch = null;
        string? pageProblem = indirect.PageHashProblem ?? (indirect.PageHashes is { } table && digestMatches ? pageHashMismatch(table) : null);
        if (pageProblem is not null)
        {
            pageHashesMatch = false;
            digestMatches = false;
            AuthenticodeLayout.Report(sink, "SIG0023", AnomalySeverity.High, $"Page hashes do not match the file: {pageProblem}", evidenceFile, offset, Level(depth));
        }
        else if (indirect.PageHashes is not null && digestMatches)
        {
            pageHashesMatch = true;
        }

        results.Add(CheckSigner(data, depth, algorithm, signedDigest, digestMatches, evidenceFile, offset, sink) with { PageHashesMatch = pageHashesMatch });
        if (data.Signers.IsEmpty)
        {
            return;
        }

        foreach (Pkcs7Attribute attribute in data.Signers[0].UnsignedAttributes)
        {
            if (attribute.Oid != AuthenticodeOids.NestedSignature)
            {
                continue;
            }

            foreach (ReadOnlyMemory<byte> nested in attribute.Values)
            {
                if (depth + 1 > MaxDepth)
                {
                    AuthenticodeLayout.Report(sink, "SIG0021", AnomalySeverity.Medium, $"Nested signature deeper than {MaxDepth} levels; not verified", evidenceFile, offset);
                    continue;
                }

                VerifyAuthenticode(nested, imageHashFor, pageHashMismatch, evidenceFile, offset, depth + 1, results, sink);
            }
        }
    }

    /// <summary>Verifies a catalog's own signature (content: the CTL; its integrity is the messageDigest attribute).</summary>
    public SignatureCheck VerifyCatalog(Pkcs7SignedData data, string evidenceFile, IAnomalySink sink) =>
        CheckSigner(data, 0, null, null, null, evidenceFile, 0, sink);

    /// <param name="digestMatches">Null for a catalog: its content digest is part of the signature check.</param>
    private SignatureCheck CheckSigner(
        Pkcs7SignedData data,
        int depth,
        string? algorithm,
        string? signedDigest,
        bool? digestMatches,
        string evidenceFile,
        long offset,
        IAnomalySink sink)
    {
        var problems = ImmutableArray.CreateBuilder<string>();
        if (data.Signers.IsEmpty)
        {
            AuthenticodeLayout.Report(sink, "SIG0012", AnomalySeverity.High, "SignedData has no signer", evidenceFile, offset, Level(depth));
            return Broken(depth, algorithm, signedDigest, "no signer") with { DigestMatches = digestMatches ?? false };
        }

        if (data.Signers.Length > 1)
        {
            AuthenticodeLayout.Report(sink, "SIG0012", AnomalySeverity.Medium, $"SignedData has {data.Signers.Length} signers; Authenticode allows one, the first is used", evidenceFile, offset, Level(depth));
        }

        Pkcs7Signer signer = data.Signers[0];
        List<CachedCertificate> offered = _certificates.GetAll(data.Certificates);
        CachedCertificate? certificate = offered.FirstOrDefault(c => c.Matches(signer));

        // Signature only: trust is decided below at the signing time, not at the wall clock.
        string? failure = _signers.Verify(signer, certificate, data.HashedContent.Span, data.ContentType);
        bool signatureValid = failure is null;
        if (!signatureValid)
        {
            problems.Add($"signer signature: {failure}");
            AuthenticodeLayout.Report(sink, "SIG0012", AnomalySeverity.High, $"Signer signature does not verify: {failure}", evidenceFile, offset, Level(depth));
        }

        (DateTimeOffset? timestamp, string? kind) = _timestamps.Verify(signer, offered, problems, evidenceFile, offset, sink);
        DateTimeOffset verificationTime = timestamp ?? _fallbackTimeUtc;
        bool trusted = false;
        bool microsoft = false;
        string? rootSubject = null;
        string? rootThumbprint = null;
        RootOrigin rootOrigin = RootOrigin.None;
        if (certificate is not null)
        {
            ChainOutcome chain = _chains.Evaluate(certificate, offered, verificationTime);
            problems.AddRange(chain.Problems);
            rootSubject = chain.RootSubject;
            rootThumbprint = chain.RootSha256Thumbprint;
            trusted = chain.Trusted;
            if (trusted && !certificate.AllowsCodeSigning)
            {
                problems.Add("signer certificate is not valid for code signing (EKU)");
                trusted = false;
            }

            microsoft = trusted && chain.MicrosoftRoot;
            rootOrigin = trusted ? chain.RootOrigin : RootOrigin.None;
            if (!trusted)
            {
                AuthenticodeLayout.Report(sink, "SIG0015", AnomalySeverity.Medium,
                    $"Signer '{certificate.Subject}' does not chain to a trust anchor at {verificationTime:yyyy-MM-ddTHH:mm:ssZ}: {string.Join(", ", problems)}",
                    evidenceFile, offset, Level(depth));
            }
        }

        return new SignatureCheck(
            depth,
            algorithm,
            signedDigest,
            digestMatches ?? signatureValid,
            signatureValid,
            trusted,
            microsoft,
            certificate?.Subject,
            certificate?.Issuer,
            certificate?.Thumbprint,
            rootSubject,
            rootThumbprint,
            timestamp,
            kind,
            timestamp is not null,
            verificationTime,
            problems.ToImmutable())
        {
            RootOrigin = rootOrigin,
        };
    }

    private SignatureCheck Broken(int depth, string? algorithm, string? signedDigest, string problem) =>
        new(depth, algorithm, signedDigest, false, false, false, false, null, null, null, null, null, null, null, false, _fallbackTimeUtc, [problem]);

    private static string Level(int depth) => depth == 0 ? "primary signature" : $"nested signature level {depth}";
}
