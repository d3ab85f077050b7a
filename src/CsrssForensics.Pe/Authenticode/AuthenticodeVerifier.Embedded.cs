using System.Collections.Immutable;
using System.Security.Cryptography;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>The embedded signature of a PE (certificate table, page hashes) and the own signature of a catalog given as input.</summary>
public sealed partial class AuthenticodeVerifier
{
    private EmbeddedSignature VerifyEmbedded(FileContent file, AuthenticodeLayout layout, CertificateTableResult table, PeHashes hashes, string evidenceFile, IAnomalySink sink)
    {
        if (!table.Declared)
        {
            return EmbeddedSignature.Absent;
        }

        CertificateEntry? entry = table.Entries.FirstOrDefault(static e => e.IsPkcsSignedData);
        if (entry is null)
        {
            // A declared table that is unusable or holds no signature: something claims to be a signature and is not.
            if (table.Usable)
            {
                AuthenticodeLayout.Report(sink, "SIG0010", AnomalySeverity.Medium, "Certificate table holds no PKCS#7 signature entry", evidenceFile, table.TableOffset);
            }

            return EmbeddedSignature.Absent with { Present = true, TableWellFormed = false };
        }

        var otherHashes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        byte[]? HashFor(string oid)
        {
            if (oid == AuthenticodeOids.Sha1)
            {
                return hashes.AuthenticodeSha1;
            }

            if (oid == AuthenticodeOids.Sha256)
            {
                return hashes.AuthenticodeSha256;
            }

            if (!AuthenticodeOids.TryGetHashAlgorithm(oid, out HashAlgorithmName algorithm))
            {
                return null;
            }

            if (!otherHashes.TryGetValue(oid, out byte[]? hash))
            {
                long started = VerifierCounters.Now;
                otherHashes[oid] = hash = AuthenticodeHasher.Compute(file, layout, table, algorithm);
                _counters.Hashed(started);
            }

            return hash;
        }

        var checks = new List<SignatureCheck>();
        _engine.VerifyAuthenticode(entry.Content, HashFor, signed => PageHashMismatch(file, layout, signed), evidenceFile, entry.Offset, 0, checks, sink);
        ImmutableArray<SignatureCheck> signatures = [.. checks];
        return Present(signatures, signatures.Count(static s => s.Depth > 0), table.WellFormed);
    }

    // Every signature must match and verify; trust, names and time are the best one's, and only if it is intact.
    private static EmbeddedSignature Present(ImmutableArray<SignatureCheck> signatures, int nestedCount, bool tableWellFormed = true)
    {
        SignatureCheck best = FileVerification.Best(signatures);
        return new EmbeddedSignature(
            true,
            signatures.All(static s => s.DigestMatches),
            signatures.All(static s => s.SignatureValid),
            best.Intact && best.ChainTrusted,
            best.Intact && best.MicrosoftRoot,
            best.SignerSubject,
            best.IssuerSubject,
            best.SignerThumbprint,
            best.RootSubject,
            best.RootSha256Thumbprint,
            best.TimestampUtc,
            nestedCount,
            signatures,
            tableWellFormed);
    }

    /// <summary>Null when the signed page hash table is the one this file gives, else the first difference.</summary>
    private string? PageHashMismatch(FileContent file, AuthenticodeLayout layout, PageHashTable signed)
    {
        long started = VerifierCounters.Now;
        byte[]? expected = PageHasher.Compute(file, layout, signed.Algorithm, signed.Table.Length / signed.EntrySize, out string? problem);
        _counters.Hashed(started);
        if (expected is null)
        {
            return $"the table cannot be computed for this file ({problem})";
        }

        if (expected.AsSpan().SequenceEqual(signed.Table))
        {
            return null;
        }

        int size = signed.EntrySize;
        int entries = Math.Min(expected.Length, signed.Table.Length) / size;
        for (int i = 0; i < entries; i++)
        {
            if (!expected.AsSpan(i * size, size).SequenceEqual(signed.Table.AsSpan(i * size, size)))
            {
                return $"entry {i} (file offset 0x{signed.OffsetAt(i):x}) differs";
            }
        }

        return $"the signed table has {signed.Table.Length / size} entries, the file gives {expected.Length / size}";
    }

    /// <summary>A catalog file given as input carries its own signature: verify it the way an embedded one is verified.</summary>
    private EmbeddedSignature VerifyOwnCatalogSignature(FileContent file, string evidenceFile, IAnomalySink sink)
    {
        // Catalogs are kilobytes to a few megabytes; a larger flat file is not read whole to look for one.
        if (file.Length < 2 || file.Length > MaxCatalogBytes || file.Read(0, 1)[0] != 0x30)
        {
            return EmbeddedSignature.Absent;
        }

        if (!Pkcs7.TryDecode(file.Keep(0, (int)file.Length), out Pkcs7SignedData? data, out _)
            || data!.ContentType != AuthenticodeOids.CertificateTrustList || data.Signers.IsEmpty)
        {
            return EmbeddedSignature.Absent;
        }

        return Present([_engine.VerifyCatalog(data, evidenceFile, sink)], nestedCount: 0);
    }
}
