using System.Collections.Immutable;
using System.Formats.Asn1;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>An attribute: type and the encoded values of its SET OF.</summary>
internal sealed record Pkcs7Attribute(string Oid, ImmutableArray<ReadOnlyMemory<byte>> Values);

/// <summary>A SignerInfo, kept as raw parts so its signature can be checked with cached certificates and keys.</summary>
/// <param name="SignedAttributesEncoded">The [0] IMPLICIT signedAttrs TLV as it appears (hashed after re-tagging as SET OF).</param>
/// <param name="SignatureAlgorithmParameters">The encoded parameters of signatureAlgorithm (RSASSA-PSS-params), empty when absent.</param>
internal sealed record Pkcs7Signer(
    ReadOnlyMemory<byte> IssuerName,
    ReadOnlyMemory<byte> SerialNumber,
    ReadOnlyMemory<byte> SubjectKeyIdentifier,
    string DigestAlgorithm,
    ReadOnlyMemory<byte>? SignedAttributesEncoded,
    ImmutableArray<Pkcs7Attribute> SignedAttributes,
    string SignatureAlgorithm,
    ReadOnlyMemory<byte> SignatureAlgorithmParameters,
    ReadOnlyMemory<byte> Signature,
    ImmutableArray<Pkcs7Attribute> UnsignedAttributes)
{
    public Pkcs7Attribute? Signed(string oid) => SignedAttributes.FirstOrDefault(a => a.Oid == oid);
}

/// <summary>A decoded SignedData: content type, content, certificates (raw) and signers.</summary>
/// <param name="Content">The content structure: the OCTET STRING's octets (CMS form) or the whole TLV (PKCS#7 form).</param>
/// <param name="HashedContent">What the messageDigest attribute covers: the OCTET STRING octets, or the PKCS#7 TLV's value octets (RFC 2315 9.3).</param>
internal sealed record Pkcs7SignedData(
    string ContentType,
    ReadOnlyMemory<byte> Content,
    ReadOnlyMemory<byte> HashedContent,
    ImmutableArray<ReadOnlyMemory<byte>> Certificates,
    ImmutableArray<Pkcs7Signer> Signers);

/// <summary>
/// A small SignedData reader (RFC 2315 / RFC 5652). SignedCms would do, but every access to its certificates or
/// CheckSignature re-decodes each certificate and public key (milliseconds on Linux): with this reader the verifier
/// decodes a certificate once per run (<see cref="CertificateCache"/>) and checks signatures with cached keys.
/// </summary>
internal static class Pkcs7
{
    private const string SignedDataOid = "1.2.840.113549.1.7.2";
    private const int MaxCertificates = 64;
    private const int MaxSigners = 8;
    private const int MaxAttributes = 64;

    public static bool TryDecode(ReadOnlyMemory<byte> encoded, out Pkcs7SignedData? signedData, out string? error)
    {
        signedData = null;
        error = null;
        try
        {
            var outer = new AsnReader(encoded, AsnEncodingRules.BER);
            AsnReader contentInfo = outer.ReadSequence();
            string type = contentInfo.ReadObjectIdentifier();
            if (type != SignedDataOid)
            {
                error = $"content type {type} is not signedData";
                return false;
            }

            AsnReader signed = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)).ReadSequence();
            signed.ReadInteger();
            signed.ReadSetOf(skipSortOrderValidation: true);
            AsnReader encapsulated = signed.ReadSequence();
            string contentType = encapsulated.ReadObjectIdentifier();
            ReadOnlyMemory<byte> content = ReadOnlyMemory<byte>.Empty;
            ReadOnlyMemory<byte> hashed = ReadOnlyMemory<byte>.Empty;
            if (encapsulated.HasData)
            {
                AsnReader explicitContent = encapsulated.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true));
                if (explicitContent.PeekTag().HasSameClassAndValue(Asn1Tag.PrimitiveOctetString))
                {
                    content = explicitContent.TryReadPrimitiveOctetString(out ReadOnlyMemory<byte> octets) ? octets : explicitContent.ReadOctetString();
                    hashed = content;
                }
                else
                {
                    // PKCS#7 (Authenticode): the content is the structure itself; messageDigest covers its value octets.
                    content = explicitContent.ReadEncodedValue();
                    AsnDecoder.ReadEncodedValue(content.Span, AsnEncodingRules.BER, out int valueOffset, out int valueLength, out _);
                    hashed = content.Slice(valueOffset, valueLength);
                }
            }

            var certificates = ImmutableArray.CreateBuilder<ReadOnlyMemory<byte>>();
            if (signed.HasData && signed.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
            {
                AsnReader set = signed.ReadSetOf(skipSortOrderValidation: true, expectedTag: new Asn1Tag(TagClass.ContextSpecific, 0, true));
                while (set.HasData && certificates.Count < MaxCertificates)
                {
                    bool isCertificate = set.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence);
                    ReadOnlyMemory<byte> certificate = set.ReadEncodedValue();
                    if (isCertificate)
                    {
                        certificates.Add(certificate);
                    }
                }
            }

            if (signed.HasData && signed.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1, true)))
            {
                signed.ReadEncodedValue();
            }

            var signers = ImmutableArray.CreateBuilder<Pkcs7Signer>();
            AsnReader signerSet = signed.ReadSetOf(skipSortOrderValidation: true);
            while (signerSet.HasData && signers.Count < MaxSigners)
            {
                signers.Add(ReadSigner(signerSet.ReadSequence()));
            }

            signedData = new Pkcs7SignedData(contentType, content, hashed, certificates.ToImmutable(), signers.ToImmutable());
            return true;
        }
        catch (AsnContentException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Decodes a lone SignerInfo (the value of a legacy countersignature attribute).</summary>
    public static bool TryDecodeSigner(ReadOnlyMemory<byte> encoded, out Pkcs7Signer? signer, out string? error)
    {
        signer = null;
        error = null;
        try
        {
            signer = ReadSigner(new AsnReader(encoded, AsnEncodingRules.BER).ReadSequence());
            return true;
        }
        catch (AsnContentException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Reads an attribute value that is a UTCTime or GeneralizedTime (signingTime).</summary>
    public static bool TryReadTime(ReadOnlyMemory<byte> encoded, out DateTimeOffset time)
    {
        time = default;
        try
        {
            var reader = new AsnReader(encoded, AsnEncodingRules.BER);
            time = reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();
            time = time.ToUniversalTime();
            return true;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>Reads an attribute value that is an OCTET STRING (messageDigest).</summary>
    public static byte[]? ReadOctets(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            return new AsnReader(encoded, AsnEncodingRules.BER).ReadOctetString();
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    /// <summary>Reads an attribute value that is an OBJECT IDENTIFIER (contentType).</summary>
    public static string? ReadOid(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            return new AsnReader(encoded, AsnEncodingRules.BER).ReadObjectIdentifier();
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static Pkcs7Signer ReadSigner(AsnReader signer)
    {
        signer.ReadInteger();
        ReadOnlyMemory<byte> issuer = default;
        ReadOnlyMemory<byte> serial = default;
        ReadOnlyMemory<byte> keyIdentifier = default;
        if (signer.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            AsnReader issuerAndSerial = signer.ReadSequence();
            issuer = issuerAndSerial.ReadEncodedValue();
            serial = issuerAndSerial.ReadIntegerBytes();
        }
        else
        {
            keyIdentifier = signer.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0));
        }

        string digestAlgorithm = signer.ReadSequence().ReadObjectIdentifier();
        ReadOnlyMemory<byte>? signedEncoded = null;
        var signedAttributes = ImmutableArray<Pkcs7Attribute>.Empty;
        if (signer.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
        {
            signedEncoded = signer.PeekEncodedValue();
            signedAttributes = ReadAttributes(signer.ReadSetOf(skipSortOrderValidation: true, expectedTag: new Asn1Tag(TagClass.ContextSpecific, 0, true)));
        }

        AsnReader signatureAlgorithmIdentifier = signer.ReadSequence();
        string signatureAlgorithm = signatureAlgorithmIdentifier.ReadObjectIdentifier();
        ReadOnlyMemory<byte> signatureParameters = signatureAlgorithmIdentifier.HasData ? signatureAlgorithmIdentifier.ReadEncodedValue() : ReadOnlyMemory<byte>.Empty;
        ReadOnlyMemory<byte> signature = signer.ReadOctetString();
        var unsignedAttributes = ImmutableArray<Pkcs7Attribute>.Empty;
        if (signer.HasData && signer.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1, true)))
        {
            unsignedAttributes = ReadAttributes(signer.ReadSetOf(skipSortOrderValidation: true, expectedTag: new Asn1Tag(TagClass.ContextSpecific, 1, true)));
        }

        return new Pkcs7Signer(issuer, serial, keyIdentifier, digestAlgorithm, signedEncoded, signedAttributes, signatureAlgorithm, signatureParameters, signature, unsignedAttributes);
    }

    private static ImmutableArray<Pkcs7Attribute> ReadAttributes(AsnReader set)
    {
        var attributes = ImmutableArray.CreateBuilder<Pkcs7Attribute>();
        while (set.HasData)
        {
            if (attributes.Count == MaxAttributes)
            {
                throw new AsnContentException($"more than {MaxAttributes} attributes");
            }

            AsnReader attribute = set.ReadSequence();
            string oid = attribute.ReadObjectIdentifier();
            AsnReader values = attribute.ReadSetOf(skipSortOrderValidation: true);
            var list = ImmutableArray.CreateBuilder<ReadOnlyMemory<byte>>();
            while (values.HasData)
            {
                list.Add(values.ReadEncodedValue());
            }

            attributes.Add(new Pkcs7Attribute(oid, list.ToImmutable()));
        }

        return attributes.ToImmutable();
    }
}
