using System.Collections.Immutable;
using System.Formats.Asn1;
using System.Security.Cryptography;
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

    private const string TstInfoContentType = "1.2.840.113549.1.9.16.1.4";
    private const string ContentTypeAttribute = "1.2.840.113549.1.9.3";
    private const string MessageDigestAttribute = "1.2.840.113549.1.9.4";

    private readonly ChainEvaluator _chains;
    private readonly CertificateCache _certificates;
    private readonly VerifierCounters _counters;
    private readonly DateTimeOffset _fallbackTimeUtc;

    public SignatureEngine(ChainEvaluator chains, VerifierCounters counters, DateTimeOffset fallbackTimeUtc)
    {
        _chains = chains;
        _counters = counters;
        _certificates = new CertificateCache(counters);
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
        string? failure = VerifySignerInfo(signer, certificate, data.HashedContent.Span, data.ContentType);
        bool signatureValid = failure is null;
        if (!signatureValid)
        {
            problems.Add($"signer signature: {failure}");
            AuthenticodeLayout.Report(sink, "SIG0012", AnomalySeverity.High, $"Signer signature does not verify: {failure}", evidenceFile, offset, Level(depth));
        }

        (DateTimeOffset? timestamp, string? kind) = VerifyTimestamp(signer, offered, problems, evidenceFile, offset, sink);
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

    /// <summary>
    /// Checks one SignerInfo over <paramref name="content"/>: with signed attributes, messageDigest = H(content),
    /// contentType (when given) = the content type, and the signature over the DER SET OF attributes; without them the
    /// signature is over the content itself. Returns null when valid, else the reason.
    /// </summary>
    private string? VerifySignerInfo(Pkcs7Signer signer, CachedCertificate? certificate, ReadOnlySpan<byte> content, string? contentType)
    {
        if (certificate is null)
        {
            return "signer certificate not in the SignedData";
        }

        if (!AuthenticodeOids.TryGetHashAlgorithm(signer.DigestAlgorithm, out HashAlgorithmName hash))
        {
            return $"digest algorithm {AuthenticodeOids.DigestName(signer.DigestAlgorithm)} not supported";
        }

        byte[] signedBytes;
        if (signer.SignedAttributesEncoded is { } encoded)
        {
            Pkcs7Attribute? messageDigest = signer.Signed(MessageDigestAttribute);
            byte[]? expected = messageDigest is { Values.Length: 1 } ? Pkcs7.ReadOctets(messageDigest.Values[0]) : null;
            if (expected is null)
            {
                return "no single messageDigest attribute";
            }

            if (!CryptographicOperations.HashData(hash, content).AsSpan().SequenceEqual(expected))
            {
                return "messageDigest attribute does not match the signed content";
            }

            if (contentType is not null && signer.Signed(ContentTypeAttribute) is { } typeAttribute
                && (typeAttribute.Values.Length != 1 || Pkcs7.ReadOid(typeAttribute.Values[0]) != contentType))
            {
                return "contentType attribute does not match the content";
            }

            // The signature covers the attributes DER-encoded as SET OF (tag 0x31), not with their [0] IMPLICIT tag.
            signedBytes = encoded.ToArray();
            signedBytes[0] = 0x31;
        }
        else
        {
            signedBytes = content.ToArray();
        }

        if (signer.SignatureAlgorithm == RsaPss.Oid && RsaPss.Unsupported(signer.SignatureAlgorithmParameters, hash) is { } pssProblem)
        {
            return $"RSASSA-PSS parameters not supported: {pssProblem}";
        }

        long started = VerifierCounters.Now;
        bool? valid = certificate.Verify(signer.SignatureAlgorithm, hash, signedBytes, signer.Signature.Span);
        _counters.SignatureChecked(started);
        return valid switch
        {
            true => null,
            false => "signature value does not verify with the signer's public key",
            null => $"signature algorithm {signer.SignatureAlgorithm} not supported",
        };
    }

    /// <summary>
    /// Returns the signing time proven by the first valid timestamp: an RFC 3161 token (messageImprint = hash of the
    /// signer's encryptedDigest) or a legacy PKCS#9 countersignature (messageDigest = hash of it), each from a TSA that
    /// chains to a trust anchor at that time. Null (with the reason in problems) when there is none.
    /// </summary>
    private (DateTimeOffset? Time, string? Kind) VerifyTimestamp(
        Pkcs7Signer signer,
        List<CachedCertificate> offered,
        ImmutableArray<string>.Builder problems,
        string evidenceFile,
        long offset,
        IAnomalySink sink)
    {
        string? kind = null;
        foreach (Pkcs7Attribute attribute in signer.UnsignedAttributes)
        {
            bool rfc3161 = attribute.Oid == AuthenticodeOids.Rfc3161Timestamp;
            if (!rfc3161 && attribute.Oid != AuthenticodeOids.CounterSignature)
            {
                continue;
            }

            foreach (ReadOnlyMemory<byte> value in attribute.Values)
            {
                kind ??= rfc3161 ? "rfc3161" : "countersignature";
                DateTimeOffset time;
                string? failure = rfc3161 ? TryRfc3161(value, signer, offered, out time) : TryCounterSignature(value, signer, offered, out time);
                if (failure is null)
                {
                    return (time, rfc3161 ? "rfc3161" : "countersignature");
                }

                problems.Add($"timestamp: {failure}");
                AuthenticodeLayout.Report(sink, "SIG0014", AnomalySeverity.Medium,
                    $"{(rfc3161 ? "RFC 3161 timestamp" : "Countersignature timestamp")} not usable: {failure}", evidenceFile, offset);
            }
        }

        return (null, kind);
    }

    /// <summary>
    /// An RFC 3161 token: SignedData of id-ct-TSTInfo, messageImprint = H(signer encryptedDigest) in the token's own
    /// hash algorithm (signify #14), the TSA's signature, then the TSA chain at genTime.
    /// </summary>
    private string? TryRfc3161(ReadOnlyMemory<byte> encoded, Pkcs7Signer signer, List<CachedCertificate> offered, out DateTimeOffset time)
    {
        time = default;
        if (!Pkcs7.TryDecode(encoded, out Pkcs7SignedData? token, out string? error))
        {
            return $"not a SignedData: {error}";
        }

        if (token!.ContentType != TstInfoContentType)
        {
            return $"content type {token.ContentType} is not id-ct-TSTInfo";
        }

        if (!TryReadTstInfo(token.Content, out string? imprintAlgorithm, out byte[]? imprint, out time, out error))
        {
            return $"TSTInfo malformed: {error}";
        }

        if (!AuthenticodeOids.TryGetHashAlgorithm(imprintAlgorithm, out HashAlgorithmName algorithm))
        {
            return $"messageImprint algorithm {imprintAlgorithm} not supported";
        }

        if (!CryptographicOperations.HashData(algorithm, signer.Signature.Span).AsSpan().SequenceEqual(imprint))
        {
            return "messageImprint is not the hash of this signature (timestamp belongs to another signature)";
        }

        if (token.Signers.IsEmpty)
        {
            return "token has no signer";
        }

        List<CachedCertificate> tsaOffered = _certificates.GetAll(token.Certificates);
        tsaOffered.AddRange(offered);
        Pkcs7Signer tsaSigner = token.Signers[0];
        CachedCertificate? tsa = tsaOffered.FirstOrDefault(c => c.Matches(tsaSigner));
        string? failure = VerifySignerInfo(tsaSigner, tsa, token.HashedContent.Span, TstInfoContentType);
        return failure is not null ? $"TSA signature: {failure}" : CheckTsa(tsa!, tsaOffered, time);
    }

    /// <summary>A legacy countersignature: a SignerInfo whose messageDigest is H(parent encryptedDigest), with a signingTime.</summary>
    private string? TryCounterSignature(ReadOnlyMemory<byte> encoded, Pkcs7Signer parent, List<CachedCertificate> offered, out DateTimeOffset time)
    {
        time = default;
        if (!Pkcs7.TryDecodeSigner(encoded, out Pkcs7Signer? counterSigner, out string? error))
        {
            return $"not a SignerInfo: {error}";
        }

        CachedCertificate? tsa = offered.FirstOrDefault(c => c.Matches(counterSigner!));
        string? failure = VerifySignerInfo(counterSigner!, tsa, parent.Signature.Span, contentType: null);
        if (failure is not null)
        {
            return failure;
        }

        if (counterSigner!.Signed(AuthenticodeOids.SigningTime) is not { Values.Length: 1 } signingTime || !Pkcs7.TryReadTime(signingTime.Values[0], out time))
        {
            return "no signingTime attribute";
        }

        return CheckTsa(tsa!, offered, time);
    }

    /// <summary>TSTInfo ::= SEQUENCE { version, policy, messageImprint { AlgorithmIdentifier, OCTET STRING }, serialNumber, genTime, ... }.</summary>
    private static bool TryReadTstInfo(ReadOnlyMemory<byte> content, out string? imprintAlgorithm, out byte[]? imprint, out DateTimeOffset genTime, out string? error)
    {
        imprintAlgorithm = null;
        imprint = null;
        genTime = default;
        error = null;
        try
        {
            AsnReader info = new AsnReader(content, AsnEncodingRules.BER).ReadSequence();
            info.ReadInteger();
            info.ReadObjectIdentifier();
            AsnReader messageImprint = info.ReadSequence();
            imprintAlgorithm = messageImprint.ReadSequence().ReadObjectIdentifier();
            imprint = messageImprint.ReadOctetString();
            info.ReadEncodedValue();
            genTime = info.ReadGeneralizedTime().ToUniversalTime();
            return true;
        }
        catch (AsnContentException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    private string? CheckTsa(CachedCertificate tsa, List<CachedCertificate> offered, DateTimeOffset time)
    {
        ChainOutcome chain = _chains.Evaluate(tsa, offered, time);
        if (!chain.Trusted)
        {
            return $"TSA '{tsa.Subject}' does not chain to a trust anchor at {time:yyyy-MM-ddTHH:mm:ssZ} ({string.Join(", ", chain.Problems)})";
        }

        return tsa.AllowsTimeStamping ? null : $"TSA '{tsa.Subject}' is not valid for time stamping (EKU)";
    }

    private SignatureCheck Broken(int depth, string? algorithm, string? signedDigest, string problem) =>
        new(depth, algorithm, signedDigest, false, false, false, false, null, null, null, null, null, null, null, false, _fallbackTimeUtc, [problem]);

    private static string Level(int depth) => depth == 0 ? "primary signature" : $"nested signature level {depth}";
}
