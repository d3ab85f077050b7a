using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>
/// RSASSA-PSS signer signatures (RFC 4055 section 3.1, RFC 4056 for CMS). .NET verifies PSS with MGF1 over the
/// signature's own hash and a salt as long as that hash, the profile CMS signers use; any other parameter set is
/// reported as unsupported rather than guessed at.
/// </summary>
internal static class RsaPss
{
    public const string Oid = "1.2.840.113549.1.1.10";

    private const string Mgf1Oid = "1.2.840.113549.1.1.8";

    /// <summary>
    /// Null when <paramref name="encodedParameters"/> (RSASSA-PSS-params; empty means every default) fit what .NET
    /// verifies for a signature whose digest is <paramref name="digest"/>, else the reason they do not.
    /// </summary>
    public static string? Unsupported(ReadOnlyMemory<byte> encodedParameters, HashAlgorithmName digest)
    {
        // Defaults: hashAlgorithm sha1, maskGenAlgorithm mgf1SHA1, saltLength 20, trailerField 1.
        string hashOid = AuthenticodeOids.Sha1;
        string mgfOid = Mgf1Oid;
        string? mgfHashOid = AuthenticodeOids.Sha1;
        BigInteger saltLength = 20;
        BigInteger trailer = 1;
        try
        {
            if (!encodedParameters.IsEmpty)
            {
                AsnReader parameters = new AsnReader(encodedParameters, AsnEncodingRules.DER).ReadSequence();
                if (parameters.HasData && parameters.PeekTag().HasSameClassAndValue(Explicit(0)))
                {
                    hashOid = parameters.ReadSequence(Explicit(0)).ReadSequence().ReadObjectIdentifier();
                }

                if (parameters.HasData && parameters.PeekTag().HasSameClassAndValue(Explicit(1)))
                {
                    AsnReader mgf = parameters.ReadSequence(Explicit(1)).ReadSequence();
                    mgfOid = mgf.ReadObjectIdentifier();
                    mgfHashOid = mgf.HasData ? mgf.ReadSequence().ReadObjectIdentifier() : null;
                }

                if (parameters.HasData && parameters.PeekTag().HasSameClassAndValue(Explicit(2)))
                {
                    saltLength = parameters.ReadSequence(Explicit(2)).ReadInteger();
                }

                if (parameters.HasData && parameters.PeekTag().HasSameClassAndValue(Explicit(3)))
                {
                    trailer = parameters.ReadSequence(Explicit(3)).ReadInteger();
                }

                if (parameters.HasData)
                {
                    return "unexpected data after the parameters";
                }
            }
        }
        catch (AsnContentException ex)
        {
            return $"malformed RSASSA-PSS-params ({ex.Message})";
        }

        if (!AuthenticodeOids.TryGetHashAlgorithm(hashOid, out HashAlgorithmName pssHash) || pssHash != digest)
        {
            return $"PSS hash {AuthenticodeOids.DigestName(hashOid)} is not the signer's digest {digest.Name}";
        }

        if (mgfOid != Mgf1Oid || mgfHashOid != hashOid)
        {
            return $"mask generation {mgfOid} over {AuthenticodeOids.DigestName(mgfHashOid)} (only MGF1 over the PSS hash is supported)";
        }

        int hashLength = HashLength(digest);
        if (saltLength != hashLength)
        {
            return $"salt length {saltLength} (only the hash length, {hashLength}, is supported)";
        }

        return trailer == 1 ? null : $"trailer field {trailer} (only 1 is defined)";
    }

    private static Asn1Tag Explicit(int number) => new(TagClass.ContextSpecific, number, isConstructed: true);

    private static int HashLength(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA1 ? 20 : hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : 64;
}
