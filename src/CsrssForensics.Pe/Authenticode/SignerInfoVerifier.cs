using System.Security.Cryptography;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>One SignerInfo's own checks: the signed attributes (messageDigest, contentType) and the signature value.</summary>
internal sealed class SignerInfoVerifier(VerifierCounters counters)
{
    private const string ContentTypeAttribute = "1.2.840.113549.1.9.3";
    private const string MessageDigestAttribute = "1.2.840.113549.1.9.4";

    private readonly VerifierCounters _counters = counters;

    /// <summary>
    /// Checks one SignerInfo over <paramref name="content"/>: with signed attributes, messageDigest = H(content),
    /// contentType (when given) = the content type, and the signature over the DER SET OF attributes; without them the
    /// signature is over the content itself. Returns null when valid, else the reason.
    /// </summary>
    public string? Verify(Pkcs7Signer signer, CachedCertificate? certificate, ReadOnlySpan<byte> content, string? contentType)
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
}
