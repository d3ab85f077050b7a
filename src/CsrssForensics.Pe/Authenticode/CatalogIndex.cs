using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Formats.Asn1;
using System.Text;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>How a catalog member vouches for a file.</summary>
internal enum CatalogMemberKind
{
    /// <summary>SpcIndirectDataContent of type SPC_PE_IMAGE_DATA: the digest is the Authenticode image hash.</summary>
    PeImage,

    /// <summary>SPC_FLAT_FILE_DATA (or SPC_LINK): the digest is the plain hash of the whole file.</summary>
    FlatFile,

    /// <summary>Only the member tag (modern catalogs list each PE a second time by its SHA-1 tag alone).</summary>
    TagOnly,
}

/// <summary>One way a catalog member can be found by hash.</summary>
/// <param name="CatalogNumber">Index into <see cref="CatalogIndex.Catalogs"/>.</param>
/// <param name="MatchedBy">idc-sha256, tag-sha1, tag-utf16-sha256...</param>
internal sealed record CatalogMemberRef(int CatalogNumber, CatalogMemberKind Kind, string MatchedBy, string? MemberName);

/// <summary>A parsed catalog: its bytes (re-decoded only when its signature must be checked) and whether it is signed.</summary>
internal sealed record ParsedCatalog(string Name, ReadOnlyMemory<byte> Bytes, bool Signed, int MemberCount, string SubjectAlgorithm);

/// <summary>
/// Every member hash of every catalog in one dictionary, built once: a file lookup is a dictionary probe per hash,
/// however many catalogs there are. Members are indexed by their SpcIndirectDataContent digest, their raw tag (v2
/// catalogs: the hash bytes) and their UTF-16 hex tag (v1 catalogs), so tag-only members are found too.
/// </summary>
public sealed class CatalogIndex
{
    /// <summary>Cap on members in one catalog (the largest Windows catalogs hold tens of thousands).</summary>
    private const int MaxMembers = 1_000_000;

    private readonly FrozenDictionary<string, ImmutableArray<CatalogMemberRef>> _byHash;

    private CatalogIndex(ImmutableArray<ParsedCatalog> catalogs, FrozenDictionary<string, ImmutableArray<CatalogMemberRef>> byHash)
    {
        Catalogs = catalogs;
        _byHash = byHash;

        // A SHA-1 probe can only hit a 40-digit key; without one the verifier need not compute SHA-1 hashes at all.
        HasSha1Keys = byHash.Keys.Any(static k => k.Length == 40);
    }

    /// <summary>An index with no catalogs.</summary>
    public static CatalogIndex Empty { get; } = new([], FrozenDictionary<string, ImmutableArray<CatalogMemberRef>>.Empty);

    /// <summary>Number of catalogs that parsed as a certificate trust list.</summary>
    public int Count => Catalogs.Length;

    /// <summary>Number of distinct member hashes indexed.</summary>
    public int HashCount => _byHash.Count;

    internal ImmutableArray<ParsedCatalog> Catalogs { get; }

    /// <summary>Whether any member could be found by a SHA-1 (40 hex digit) hash.</summary>
    internal bool HasSha1Keys { get; }

    /// <summary>Parses every catalog once. A catalog that is not a CTL is reported (SIG0016) and left out.</summary>
    public static CatalogIndex Build(IEnumerable<(string Name, ReadOnlyMemory<byte> Bytes)> catalogs, IAnomalySink sink)
    {
        ArgumentNullException.ThrowIfNull(catalogs);
        ArgumentNullException.ThrowIfNull(sink);
        var parsed = ImmutableArray.CreateBuilder<ParsedCatalog>();
        var byHash = new Dictionary<string, List<CatalogMemberRef>>(StringComparer.Ordinal);
        foreach ((string name, ReadOnlyMemory<byte> bytes) in catalogs.OrderBy(static c => c.Name, StringComparer.Ordinal))
        {
            if (!Pkcs7.TryDecode(bytes, out Pkcs7SignedData? cms, out string? error))
            {
                Report(sink, name, 0, $"Catalog is not a PKCS#7 SignedData: {error}");
                continue;
            }

            if (cms!.ContentType != AuthenticodeOids.CertificateTrustList)
            {
                Report(sink, name, 0, $"Catalog content type {cms.ContentType} is not a certificate trust list");
                continue;
            }

            var members = new List<(string Hash, CatalogMemberRef Member)>();
            if (!TryParseTrustList(cms.Content, parsed.Count, members, out string subjectAlgorithm, out error))
            {
                Report(sink, name, 0, $"Catalog trust list is malformed: {error}");
                continue;
            }

            bool signed = !cms.Signers.IsEmpty;
            if (!signed)
            {
                sink.Report(new Anomaly("SIG0017", AnomalySeverity.Low, "Catalog carries no signature: its members prove nothing", new EvidenceRef(name)));
            }

            foreach ((string hash, CatalogMemberRef member) in members)
            {
                if (!byHash.TryGetValue(hash, out List<CatalogMemberRef>? list))
                {
                    byHash[hash] = list = [];
                }

                list.Add(member);
            }

            parsed.Add(new ParsedCatalog(name, bytes, signed, members.Count, subjectAlgorithm));
        }

        return new CatalogIndex(parsed.ToImmutable(), byHash.ToFrozenDictionary(static p => p.Key, static p => p.Value.ToImmutableArray(), StringComparer.Ordinal));
    }

    /// <summary>Members whose hash (upper-case hex) equals the given one.</summary>
    internal ImmutableArray<CatalogMemberRef> Find(string hexHash) =>
        _byHash.TryGetValue(hexHash, out ImmutableArray<CatalogMemberRef> found) ? found : [];

    /// <summary>
    /// CertificateTrustList ::= SEQUENCE { version INTEGER OPTIONAL, subjectUsage SEQUENCE OF OID, listIdentifier OCTET
    /// STRING OPTIONAL, sequenceNumber INTEGER OPTIONAL, thisUpdate Time, nextUpdate Time OPTIONAL, subjectAlgorithm
    /// AlgorithmIdentifier, trustedSubjects SEQUENCE OF TrustedSubject OPTIONAL, [0] extensions OPTIONAL } (MS-CAESO).
    /// </summary>
    private static bool TryParseTrustList(ReadOnlyMemory<byte> content, int catalogNumber, List<(string, CatalogMemberRef)> members, out string subjectAlgorithm, out string? error)
    {
        subjectAlgorithm = "";
        error = null;
        try
        {
            AsnReader list = new AsnReader(content, AsnEncodingRules.BER).ReadSequence();
            if (list.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
            {
                list.ReadEncodedValue();
            }

            AsnReader usage = list.ReadSequence();
            bool catalogList = false;
            while (usage.HasData)
            {
                catalogList |= usage.ReadObjectIdentifier() == AuthenticodeOids.CatalogList;
            }

            if (!catalogList)
            {
                error = "subject usage is not szOID_CATALOG_LIST";
                return false;
            }

            // listIdentifier, sequenceNumber, thisUpdate, nextUpdate: skipped up to the AlgorithmIdentifier SEQUENCE.
            while (list.HasData && !list.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                list.ReadEncodedValue();
            }

            AsnReader algorithm = list.ReadSequence();
            subjectAlgorithm = algorithm.ReadObjectIdentifier();
            if (!list.HasData || !list.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                return true;
            }

            AsnReader subjects = list.ReadSequence();
            int count = 0;
            while (subjects.HasData)
            {
                if (++count > MaxMembers)
                {
                    error = $"more than {MaxMembers} members";
                    return false;
                }

                ReadMember(subjects.ReadSequence(), catalogNumber, members);
            }

            return true;
        }
        catch (AsnContentException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>TrustedSubject ::= SEQUENCE { subjectIdentifier OCTET STRING, subjectAttributes SET OF Attribute OPTIONAL }.</summary>
    private static void ReadMember(AsnReader subject, int catalogNumber, List<(string, CatalogMemberRef)> members)
    {
        byte[] tag = subject.ReadOctetString();
        string? fileName = null;
        string? hint = null;
        var digests = new List<(string Hash, CatalogMemberKind Kind, string Algorithm)>();
        if (subject.HasData)
        {
            AsnReader attributes = subject.ReadSetOf(skipSortOrderValidation: true);
            while (attributes.HasData)
            {
                AsnReader attribute = attributes.ReadSequence();
                string oid = attribute.ReadObjectIdentifier();
                AsnReader values = attribute.ReadSetOf(skipSortOrderValidation: true);
                while (values.HasData)
                {
                    ReadOnlyMemory<byte> value = values.ReadEncodedValue();
                    if (oid == AuthenticodeOids.SpcIndirectData && IndirectData.TryDecode(value, out IndirectData? indirect, out _))
                    {
                        CatalogMemberKind kind = indirect!.DataType == AuthenticodeOids.SpcPeImageData ? CatalogMemberKind.PeImage : CatalogMemberKind.FlatFile;
                        digests.Add((Convert.ToHexString(indirect.Digest), kind, AuthenticodeOids.DigestName(indirect.DigestAlgorithm).ToLowerInvariant()));
                    }
                    else if (oid == AuthenticodeOids.CatalogNameValue && TryReadNameValue(value, out string? name, out string? text))
                    {
                        if (string.Equals(name, "File", StringComparison.OrdinalIgnoreCase))
                        {
                            fileName = text;
                        }
                        else if (string.Equals(name, "Hint", StringComparison.OrdinalIgnoreCase))
                        {
                            hint = text;
                        }
                    }
                }
            }
        }

        string? memberName = fileName ?? hint;
        CatalogMemberKind tagKind = digests.Count > 0 ? digests[0].Kind : CatalogMemberKind.TagOnly;
        foreach ((string hash, CatalogMemberKind kind, string algorithm) in digests)
        {
            members.Add((hash, new CatalogMemberRef(catalogNumber, kind, $"idc-{algorithm}", memberName)));
        }

        if (tag.Length is 20 or 32 or 48 or 64)
        {
            members.Add((Convert.ToHexString(tag), new CatalogMemberRef(catalogNumber, tagKind, $"tag-{HashName(tag.Length)}", memberName)));
        }
        else if (TryReadUtf16HexTag(tag, out string? hex))
        {
            members.Add((hex!, new CatalogMemberRef(catalogNumber, tagKind, $"tag-utf16-{HashName(hex!.Length / 2)}", memberName)));
        }
    }

    /// <summary>CAT_NAMEVALUE ::= SEQUENCE { tag BMPString, flags INTEGER, value OCTET STRING (UTF-16LE, NUL-terminated) }.</summary>
    private static bool TryReadNameValue(ReadOnlyMemory<byte> encoded, out string? name, out string? text)
    {
        name = null;
        text = null;
        try
        {
            AsnReader sequence = new AsnReader(encoded, AsnEncodingRules.BER).ReadSequence();
            name = sequence.ReadCharacterString(UniversalTagNumber.BMPString);
            sequence.ReadEncodedValue();
            byte[] value = sequence.ReadOctetString();
            text = Encoding.Unicode.GetString(value).TrimEnd('\0');
            return true;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>v1 (makecat) tags: the upper-case hex of the hash in UTF-16LE, usually NUL-terminated.</summary>
    private static bool TryReadUtf16HexTag(byte[] tag, out string? hex)
    {
        hex = null;
        if (tag.Length % 2 != 0 || tag.Length > 260)
        {
            return false;
        }

        string text = Encoding.Unicode.GetString(tag).TrimEnd('\0');
        if (text.Length is not (40 or 64 or 96 or 128) || !text.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        hex = text.ToUpperInvariant();
        return true;
    }

    private static string HashName(int length) => length switch
    {
        20 => "sha1",
        32 => "sha256",
        48 => "sha384",
        _ => "sha512",
    };

    private static void Report(IAnomalySink sink, string name, long offset, string message) =>
        sink.Report(new Anomaly("SIG0016", AnomalySeverity.Medium, message, new EvidenceRef(name, Offset: offset)));
}
