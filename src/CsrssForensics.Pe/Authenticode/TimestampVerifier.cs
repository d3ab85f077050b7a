using System.Collections.Immutable;
using System.Formats.Asn1;
using System.Security.Cryptography;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>
/// The signing time a signature proves: an RFC 3161 token or a legacy countersignature, each from a TSA that chains to
/// a trust anchor at that time.
/// </summary>
internal sealed class TimestampVerifier(ChainEvaluator chains, CertificateCache certificates, SignerInfoVerifier signers)
{
    private const string TstInfoContentType = "1.2.840.113549.1.9.16.1.4";

    private readonly ChainEvaluator _chains = chains;
    private readonly CertificateCache _certificates = certificates;
    private readonly SignerInfoVerifier _signers = signers;

    /// <summary>
    /// Returns the signing time proven by the first valid timestamp: an RFC 3161 token (messageImprint = hash of the
    /// signer's encryptedDigest) or a legacy PKCS#9 countersignature (messageDigest = hash of it), each from a TSA that
    /// chains to a trust anchor at that time. Null (with the reason in problems) when there is none.
    /// </summary>
    public (DateTimeOffset? Time, string? Kind) Verify(
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
        string? failure = _signers.Verify(tsaSigner, tsa, token.HashedContent.Span, TstInfoContentType);
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
        string? failure = _signers.Verify(counterSigner!, tsa, parent.Signature.Span, contentType: null);
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
}
