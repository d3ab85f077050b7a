using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Security.Cryptography;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>
/// The page hashes a signer may put in SpcPeImageData (research/authenticode.md section 2): a serialized-object link
/// with class id a6b586d5-b4a1-2466-ae05-a217da8e60d6 whose data is SET { SEQUENCE { 1.3.6.1.4.1.311.2.3.1 (SHA-1) or
/// .2 (SHA-256), SET { OCTET STRING } } }, the octets being entries of (u32 file offset, page hash). Code integrity
/// checks pages against them as they load; osslsigncode fails a file whose table does not match.
/// </summary>
internal sealed record PageHashTable(HashAlgorithmName Algorithm, byte[] Table)
{
    public const string Sha1PageHashes = "1.3.6.1.4.1.311.2.3.1";
    public const string Sha256PageHashes = "1.3.6.1.4.1.311.2.3.2";

    /// <summary>A table of a 4 GB image in 4 KB pages with SHA-256 is 36 MB; anything larger is not a real table.</summary>
    private const int MaxTableBytes = 64 * 1024 * 1024;

    private static ReadOnlySpan<byte> PageHashClassId =>
        [0xa6, 0xb5, 0x86, 0xd5, 0xb4, 0xa1, 0x24, 0x66, 0xae, 0x05, 0xa2, 0x17, 0xda, 0x8e, 0x60, 0xd6];

    /// <summary>Bytes of one entry: the 4-byte offset plus the hash.</summary>
    public int EntrySize => 4 + HashLength(Algorithm);

    /// <summary>
    /// Reads SpcPeImageData ::= SEQUENCE { flags BIT STRING, file [0] EXPLICIT SpcLink OPTIONAL }. Returns null with
    /// <paramref name="table"/> set when page hashes are present, null with no table when the link is something else
    /// (a file name, a URL), and the reason when the page hash link is malformed.
    /// </summary>
    public static string? TryRead(ReadOnlyMemory<byte> peImageData, out PageHashTable? table)
    {
        table = null;
        try
        {
            AsnReader image = new AsnReader(peImageData, AsnEncodingRules.BER).ReadSequence();
            if (image.HasData && image.PeekTag().HasSameClassAndValue(Asn1Tag.PrimitiveBitString))
            {
                image.ReadEncodedValue();
            }

            if (!image.HasData || !image.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
            {
                return null;
            }

            AsnReader link = image.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true));
            if (!link.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1, true)))
            {
                return null;
            }

            // moniker [1] IMPLICIT SpcSerializedObject ::= SEQUENCE { classId OCTET STRING, serializedData OCTET STRING }
            AsnReader serialized = link.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 1, true));
            byte[] classId = serialized.ReadOctetString();
            if (!classId.AsSpan().SequenceEqual(PageHashClassId))
            {
                return null;
            }

            byte[] data = serialized.ReadOctetString();
            AsnReader attributes = new AsnReader(data, AsnEncodingRules.BER).ReadSetOf(skipSortOrderValidation: true);
            AsnReader attribute = attributes.ReadSequence();
            string type = attribute.ReadObjectIdentifier();
            HashAlgorithmName algorithm = type switch
            {
                Sha1PageHashes => HashAlgorithmName.SHA1,
                Sha256PageHashes => HashAlgorithmName.SHA256,
                _ => default,
            };
            if (algorithm.Name is null)
            {
                return $"page hash type {type} is not SHA-1 ({Sha1PageHashes}) or SHA-256 ({Sha256PageHashes})";
            }

            AsnReader values = attribute.ReadSetOf(skipSortOrderValidation: true);
            byte[] octets = values.ReadOctetString();
            if (octets.Length > MaxTableBytes)
            {
                return $"page hash table of {octets.Length} bytes is larger than any real image needs";
            }

            var read = new PageHashTable(algorithm, octets);
            if (octets.Length == 0 || octets.Length % read.EntrySize != 0)
            {
                return $"page hash table of {octets.Length} bytes is not a whole number of {read.EntrySize}-byte entries";
            }

            table = read;
            return null;
        }
        catch (AsnContentException ex)
        {
            return $"page hash link malformed: {ex.Message}";
        }
    }

    /// <summary>The file offset of entry <paramref name="index"/>.</summary>
    public uint OffsetAt(int index) => BinaryPrimitives.ReadUInt32LittleEndian(Table.AsSpan(index * EntrySize));

    public static int HashLength(HashAlgorithmName algorithm) => algorithm == HashAlgorithmName.SHA1 ? 20 : 32;
}
