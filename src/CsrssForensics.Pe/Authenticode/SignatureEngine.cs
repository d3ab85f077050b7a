using System.Collections.Immutable;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>
/// Verifies SignedData blobs the Authenticode way: the signed digest against our hash, the signer's signature, the
/// timestamp (RFC 3161 or legacy countersignature) and the chain at the proven signing time, then nested signatures.
/// </summary>
internal sealed class SignatureEngine
{
    /// <summary>Nested signatures nest in practice one level; deeper is hostile.</summary>
    private const int MaxDepth = 3;

    /// <summary>Real files carry two or three signatures; more is an attack on the verifier.</summary>
    private const int MaxSignatures = 16;

    private const string TimeStampingUsage = "1.3.6.1.5.5.7.3.8";
    private const string TstInfoContentType = "1.2.840.113549.1.9.16.1.4";

    private readonly ChainEvaluator _chains;
    private readonly DateTimeOffset _fallbackTimeUtc;

    public SignatureEngine(ChainEvaluator chains, DateTimeOffset fallbackTimeUtc)
    {
        _chains = chains;
        _fallbackTimeUtc = fallbackTimeUtc.ToUniversalTime();
    }

    public ChainEvaluator Chains => _chains;

    /// <summary>Verifies an embedded Authenticode signature and, recursively, its nested signatures.</summary>
    /// <param name="imageHashFor">Our image hash for a digest OID, null when the algorithm is not supported.</param>
    public void VerifyAuthenticode(
        ReadOnlyMemory<byte> pkcs7,
        Func<string, byte[]?> imageHashFor,
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

        if (!TryDecode(pkcs7, out SignedCms? cms, out string? error))
        {
            AuthenticodeLayout.Report(sink, "SIG0010", AnomalySeverity.High, $"Signature is not a decodable PKCS#7 SignedData: {error}", evidenceFile, offset, Level(depth));
            results.Add(Broken(depth, null, null, "undecodable SignedData"));
            return;
        }

        string? contentType = cms.ContentInfo.ContentType.Value;
        if (contentType != AuthenticodeOids.SpcIndirectData)
        {
            AuthenticodeLayout.Report(sink, "SIG0013", AnomalySeverity.High, $"Signature content type {contentType} is not SpcIndirectDataContent", evidenceFile, offset, Level(depth));
            results.Add(Broken(depth, null, null, "wrong content type"));
            return;
        }

        // SignedCms hands PKCS#7 non-data content back as the whole SEQUENCE TLV (and hashes its value octets for the
        // messageDigest attribute, RFC 2315 9.3), and CMS OCTET STRING-wrapped content as the inner bytes: both decode here.
        if (!IndirectData.TryDecode(cms.ContentInfo.Content, out IndirectData? indirect, out error))
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

        results.Add(CheckSigner(cms, depth, algorithm, signedDigest, digestMatches, evidenceFile, offset, sink, out SignerInfo? signer));
        if (signer is null)
        {
            return;
        }

        foreach (CryptographicAttributeObject attribute in signer.UnsignedAttributes)
        {
            if (attribute.Oid.Value != AuthenticodeOids.NestedSignature)
            {
                continue;
            }

            foreach (AsnEncodedData nested in attribute.Values)
            {
                if (depth + 1 > MaxDepth)
                {
                    AuthenticodeLayout.Report(sink, "SIG0021", AnomalySeverity.Medium, $"Nested signature deeper than {MaxDepth} levels; not verified", evidenceFile, offset);
                    continue;
                }

                VerifyAuthenticode(nested.RawData, imageHashFor, evidenceFile, offset, depth + 1, results, sink);
            }
        }
    }

    /// <summary>Verifies a catalog's own signature (content: the CTL; its integrity is the CMS messageDigest).</summary>
    public SignatureCheck VerifyCatalog(SignedCms cms, string evidenceFile, IAnomalySink sink) =>
        CheckSigner(cms, 0, null, null, null, evidenceFile, 0, sink, out _);

    internal static bool TryDecode(ReadOnlyMemory<byte> encoded, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SignedCms? cms, out string? error)
    {
        cms = new SignedCms();
        error = null;
        try
        {
            cms.Decode(encoded.Span);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or AsnContentException or ArgumentException)
        {
            cms = null;
            error = ex.Message;
            return false;
        }
    }

    /// <param name="digestMatches">Null for a catalog: its content digest is part of the signature check.</param>
    private SignatureCheck CheckSigner(
        SignedCms cms,
        int depth,
        string? algorithm,
        string? signedDigest,
        bool? digestMatches,
        string evidenceFile,
        long offset,
        IAnomalySink sink,
        out SignerInfo? signer)
    {
        var problems = ImmutableArray.CreateBuilder<string>();
        SignerInfoCollection signers = cms.SignerInfos;
        if (signers.Count == 0)
        {
            signer = null;
            AuthenticodeLayout.Report(sink, "SIG0012", AnomalySeverity.High, "SignedData has no signer", evidenceFile, offset, Level(depth));
            return Broken(depth, algorithm, signedDigest, "no signer") with { DigestMatches = digestMatches ?? false };
        }

        if (signers.Count > 1)
        {
            AuthenticodeLayout.Report(sink, "SIG0012", AnomalySeverity.Medium, $"SignedData has {signers.Count} signers; Authenticode allows one, the first is used", evidenceFile, offset, Level(depth));
        }

        signer = signers[0];
        X509Certificate2Collection offered = cms.Certificates;
        X509Certificate2? certificate = signer.Certificate;
        bool signatureValid = false;
        try
        {
            // Signature only: trust is decided below at the signing time, not by CheckSignature at the wall clock.
            signer.CheckSignature(verifySignatureOnly: true);
            signatureValid = true;
        }
        catch (CryptographicException ex)
        {
            problems.Add($"signer signature: {ex.Message}");
            AuthenticodeLayout.Report(sink, "SIG0012", AnomalySeverity.High, $"Signer signature does not verify: {ex.Message}", evidenceFile, offset, Level(depth));
        }

        (DateTimeOffset? timestamp, string? kind) = VerifyTimestamp(cms, signer, offered, problems, evidenceFile, offset, sink);
        DateTimeOffset verificationTime = timestamp ?? _fallbackTimeUtc;
        bool trusted = false;
        bool microsoft = false;
        string? rootSubject = null;
        string? rootThumbprint = null;
        if (certificate is null)
        {
            problems.Add("signer certificate not in the SignedData");
        }
        else
        {
            ChainOutcome chain = _chains.Evaluate(certificate, offered, verificationTime);
            problems.AddRange(chain.Problems);
            rootSubject = chain.RootSubject;
            rootThumbprint = chain.RootSha256Thumbprint;
            trusted = chain.Trusted;
            if (trusted && !AllowsUsage(certificate, AuthenticodeOids.CodeSigning))
            {
                problems.Add("signer certificate is not valid for code signing (EKU)");
                trusted = false;
            }

            microsoft = trusted && chain.MicrosoftRoot;
            if (!trusted)
            {
                AuthenticodeLayout.Report(sink, "SIG0015", AnomalySeverity.Medium,
                    $"Signer '{certificate.Subject}' does not chain to a trust anchor at {verificationTime:yyyy-MM-ddTHH:mm:ssZ}: {string.Join(", ", chain.Problems)}",
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
            problems.ToImmutable());
    }

    /// <summary>
    /// Returns the signing time proven by the first valid timestamp: an RFC 3161 token (messageImprint = hash of the
    /// signer's encryptedDigest) or a legacy PKCS#9 countersignature (messageDigest = hash of it), each from a TSA that
    /// chains to a trust anchor at that time. Null (with the reason in problems) when there is none.
    /// </summary>
    private (DateTimeOffset? Time, string? Kind) VerifyTimestamp(
        SignedCms cms,
        SignerInfo signer,
        X509Certificate2Collection offered,
        ImmutableArray<string>.Builder problems,
        string evidenceFile,
        long offset,
        IAnomalySink sink)
    {
        string? kind = null;
        foreach (CryptographicAttributeObject attribute in signer.UnsignedAttributes)
        {
            if (attribute.Oid.Value != AuthenticodeOids.Rfc3161Timestamp)
            {
                continue;
            }

            foreach (AsnEncodedData value in attribute.Values)
            {
                kind = "rfc3161";
                string? failure = TryRfc3161(value.RawData, signer, offered, out DateTimeOffset time);
                if (failure is null)
                {
                    return (time, kind);
                }

                problems.Add($"timestamp: {failure}");
                AuthenticodeLayout.Report(sink, "SIG0014", AnomalySeverity.Medium, $"RFC 3161 timestamp not usable: {failure}", evidenceFile, offset);
            }
        }

        SignerInfoCollection counterSigners;
        try
        {
            counterSigners = signer.CounterSignerInfos;
        }
        catch (CryptographicException ex)
        {
            problems.Add($"countersignature: {ex.Message}");
            AuthenticodeLayout.Report(sink, "SIG0014", AnomalySeverity.Medium, $"Countersignature not decodable: {ex.Message}", evidenceFile, offset);
            return (null, "countersignature");
        }

        foreach (SignerInfo counterSigner in counterSigners)
        {
            kind ??= "countersignature";
            string? failure = TryCounterSignature(counterSigner, offered, out DateTimeOffset time);
            if (failure is null)
            {
                return (time, "countersignature");
            }

            problems.Add($"countersignature: {failure}");
            AuthenticodeLayout.Report(sink, "SIG0014", AnomalySeverity.Medium, $"Countersignature timestamp not usable: {failure}", evidenceFile, offset);
        }

        return (null, kind);
    }

    /// <summary>
    /// Verifies an RFC 3161 token by hand rather than with Rfc3161TimestampToken.TryDecode, which rejects real Microsoft
    /// tokens (its DER-strict TSTInfo reading): SignedData of id-ct-TSTInfo, messageImprint = H(signer encryptedDigest) in
    /// the token's own hash algorithm (signify #14), the TSA's signature, then the TSA chain at genTime.
    /// </summary>
    private string? TryRfc3161(byte[] encoded, SignerInfo signer, X509Certificate2Collection offered, out DateTimeOffset time)
    {
        time = default;
        if (!TryDecode(encoded, out SignedCms? token, out string? error))
        {
            return $"not a SignedData: {error}";
        }

        if (token.ContentInfo.ContentType.Value != TstInfoContentType)
        {
            return $"content type {token.ContentInfo.ContentType.Value} is not id-ct-TSTInfo";
        }

        if (!TryReadTstInfo(token.ContentInfo.Content, out string? imprintAlgorithm, out byte[]? imprint, out time, out error))
        {
            return $"TSTInfo malformed: {error}";
        }

        if (!AuthenticodeOids.TryGetHashAlgorithm(imprintAlgorithm, out HashAlgorithmName algorithm))
        {
            return $"messageImprint algorithm {imprintAlgorithm} not supported";
        }

        byte[] expected = CryptographicOperations.HashData(algorithm, signer.GetSignature());
        if (!expected.AsSpan().SequenceEqual(imprint))
        {
            return "messageImprint is not the hash of this signature (timestamp belongs to another signature)";
        }

        if (token.SignerInfos.Count == 0)
        {
            return "token has no signer";
        }

        SignerInfo tsaSigner = token.SignerInfos[0];
        X509Certificate2Collection tsaOffered = token.Certificates;
        tsaOffered.AddRange(offered);
        try
        {
            tsaSigner.CheckSignature(tsaOffered, verifySignatureOnly: true);
        }
        catch (CryptographicException ex)
        {
            return $"TSA signature: {ex.Message}";
        }

        X509Certificate2? tsa = tsaSigner.Certificate ?? FindSigner(tsaSigner, tsaOffered);
        return tsa is null ? "TSA certificate not found" : CheckTsa(tsa, tsaOffered, time);
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

    private static X509Certificate2? FindSigner(SignerInfo signer, X509Certificate2Collection candidates)
    {
        SubjectIdentifier id = signer.SignerIdentifier;
        foreach (X509Certificate2 candidate in candidates)
        {
            bool matches = id.Type switch
            {
                SubjectIdentifierType.IssuerAndSerialNumber when id.Value is X509IssuerSerial serial =>
                    string.Equals(candidate.SerialNumber, serial.SerialNumber, StringComparison.OrdinalIgnoreCase) && candidate.IssuerName.Name == serial.IssuerName,
                SubjectIdentifierType.SubjectKeyIdentifier =>
                    candidate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Any(e => string.Equals(e.SubjectKeyIdentifier, id.Value as string, StringComparison.OrdinalIgnoreCase)),
                _ => false,
            };
            if (matches)
            {
                return candidate;
            }
        }

        return null;
    }

    private string? TryCounterSignature(SignerInfo counterSigner, X509Certificate2Collection offered, out DateTimeOffset time)
    {
        time = default;
        try
        {
            counterSigner.CheckSignature(verifySignatureOnly: true);
        }
        catch (CryptographicException ex)
        {
            return ex.Message;
        }

        DateTimeOffset? signingTime = null;
        foreach (CryptographicAttributeObject attribute in counterSigner.SignedAttributes)
        {
            if (attribute.Oid.Value == AuthenticodeOids.SigningTime && attribute.Values.Count == 1)
            {
                try
                {
                    signingTime = new DateTimeOffset(new Pkcs9SigningTime(attribute.Values[0].RawData).SigningTime.ToUniversalTime());
                }
                catch (CryptographicException ex)
                {
                    return $"signingTime: {ex.Message}";
                }
            }
        }

        if (signingTime is not DateTimeOffset value)
        {
            return "no signingTime attribute";
        }

        time = value;
        return counterSigner.Certificate is { } tsa ? CheckTsa(tsa, offered, value) : "TSA certificate not in the SignedData";
    }

    private string? CheckTsa(X509Certificate2 tsa, X509Certificate2Collection offered, DateTimeOffset time)
    {
        ChainOutcome chain = _chains.Evaluate(tsa, offered, time);
        if (!chain.Trusted)
        {
            return $"TSA '{tsa.Subject}' does not chain to a trust anchor at {time:yyyy-MM-ddTHH:mm:ssZ} ({string.Join(", ", chain.Problems)})";
        }

        return AllowsUsage(tsa, TimeStampingUsage) ? null : $"TSA '{tsa.Subject}' is not valid for time stamping (EKU)";
    }

    /// <summary>An EKU extension, when present, must list the usage (or anyExtendedKeyUsage); no extension allows all.</summary>
    private static bool AllowsUsage(X509Certificate2 certificate, string usage)
    {
        foreach (X509Extension extension in certificate.Extensions)
        {
            if (extension is X509EnhancedKeyUsageExtension eku)
            {
                foreach (Oid oid in eku.EnhancedKeyUsages)
                {
                    if (oid.Value == usage || oid.Value == AuthenticodeOids.AnyExtendedKeyUsage)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        return true;
    }

    private SignatureCheck Broken(int depth, string? algorithm, string? signedDigest, string problem) =>
        new(depth, algorithm, signedDigest, false, false, false, false, null, null, null, null, null, null, null, false, _fallbackTimeUtc, [problem]);

    private static string Level(int depth) => depth == 0 ? "primary signature" : $"nested signature level {depth}";
}
