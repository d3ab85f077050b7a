using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>Catalog membership: which indexed catalogs list the file, and the best-signed of them.</summary>
public sealed partial class AuthenticodeVerifier
{
    /// <summary>
    /// A PE is listed by its Authenticode hash; any other file by its plain hash (research/authenticode.md section 3).
    /// <paramref name="keys"/> holds SHA-256 then SHA-1; a null key is one no indexed member can have (no SHA-1 keys).
    /// </summary>
    private CatalogMatch FindInCatalogs(ReadOnlySpan<byte[]?> keys, bool isPe, IAnomalySink sink)
    {
        if (_catalogs.Count == 0)
        {
            return CatalogMatch.None;
        }

        CatalogMatch? best = null;
        int bestRank = -1;
        var hits = new List<CatalogHit>();
        foreach (byte[]? key in keys)
        {
            if (key is null)
            {
                continue;
            }

            foreach (CatalogMemberRef member in _catalogs.Find(Convert.ToHexString(key)))
            {
                bool kindFits = member.Kind == CatalogMemberKind.TagOnly || (member.Kind == CatalogMemberKind.PeImage) == isPe;
                if (!kindFits)
                {
                    continue;
                }

                ParsedCatalog catalog = _catalogs.Catalogs[member.CatalogNumber];
                hits.Add(new CatalogHit(catalog.Name, member.MatchedBy, member.MemberName));
                SignatureCheck? signature = catalog.Signed ? CatalogSignature(member.CatalogNumber, sink) : null;
                int rank = signature is null ? 0 : signature.Rank + 1;
                if (rank > bestRank)
                {
                    bestRank = rank;
                    best = new CatalogMatch(true, catalog.Name, member.MemberName, member.MatchedBy, catalog.Signed, signature);
                }
            }
        }

        if (best is null)
        {
            return CatalogMatch.None;
        }

        hits.Sort(static (a, b) => string.CompareOrdinal($"{a.File}|{a.MatchedBy}", $"{b.File}|{b.MatchedBy}"));
        return best with { Hits = [.. hits.Distinct()] };
    }

    private SignatureCheck? CatalogSignature(int catalogNumber, IAnomalySink sink)
    {
        // Verified once per catalog, on its first match; its anomalies go to the sink of that first file, under the catalog's name.
        Lazy<SignatureCheck?> lazy = _catalogSignatures.GetOrAdd(catalogNumber, number => new Lazy<SignatureCheck?>(() =>
        {
            ParsedCatalog catalog = _catalogs.Catalogs[number];
            return Pkcs7.TryDecode(catalog.Bytes, out Pkcs7SignedData? data, out _) ? _engine.VerifyCatalog(data!, catalog.Name, sink) : null;
        }));
        return lazy.Value;
    }
}
