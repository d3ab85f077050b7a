using System.Formats.Asn1;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>
/// SpcIndirectDataContent ::= SEQUENCE { data SpcAttributeTypeAndOptionalValue, messageDigest DigestInfo }.
/// Only the parts a verifier compares are kept: the data type (PE image, flat file, link), the digest and, for a PE
/// image, the page hash table when the signer included one.
/// </summary>
/// <param name="PageHashes">The signed page hash table (SpcPeImageData's serialized-object link), null when absent.</param>
/// <param name="PageHashProblem">Why a page hash link that is present could not be read, else null.</param>
internal sealed record IndirectData(string DataType, string DigestAlgorithm, byte[] Digest, PageHashTable? PageHashes = null, string? PageHashProblem = null)
{
    /// <summary>Cap on digest length: the largest digest here is SHA-512.</summary>
    private const int MaxDigestLength = 64;

    /// <summary>Decodes the content (the SEQUENCE TLV); false on any structural problem.</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> encoded, out IndirectData? value, out string? error)
    {
        value = null;
        error = null;
        try
        {
            var reader = new AsnReader(encoded, AsnEncodingRules.BER);
            AsnReader sequence = reader.ReadSequence();
            AsnReader data = sequence.ReadSequence();
            string dataType = data.ReadObjectIdentifier();
            PageHashTable? pageHashes = null;
            string? pageHashProblem = null;
            if (dataType == AuthenticodeOids.SpcPeImageData && data.HasData)
            {
                pageHashProblem = PageHashTable.TryRead(data.ReadEncodedValue(), out pageHashes);
            }

            AsnReader digestInfo = sequence.ReadSequence();
            AsnReader algorithm = digestInfo.ReadSequence();
            string digestAlgorithm = algorithm.ReadObjectIdentifier();
            byte[] digest = digestInfo.ReadOctetString();
            if (digest.Length is 0 or > MaxDigestLength)
            {
                error = $"digest of {digest.Length} bytes";
                return false;
            }

            value = new IndirectData(dataType, digestAlgorithm, digest, pageHashes, pageHashProblem);
            return true;
        }
        catch (AsnContentException ex)
        {
            error = ex.Message;
            return false;
        }
    }
}
