using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>
/// Offline Authenticode verification of one file at a time: embedded signature first, catalog membership beside it,
/// trust decided against explicit anchors at the signing timestamp (else the collection time, never the wall clock).
/// Thread-safe; reuse one instance for a whole bundle so chain answers and catalog signatures are computed once.
/// </summary>
public sealed class AuthenticodeVerifier
{
    /// <summary>Size of the one read buffer a stream is verified through.</summary>
    public const int StreamBufferBytes = FileContent.MaxPiece;

    /// <summary>Identical files remembered per verifier; a bundle of more distinct signed files than this just stops remembering.</summary>
    private const int MaxRememberedFiles = 100_000;

    /// <summary>Largest flat file examined as a possible catalog (the biggest Windows catalogs are a few MB).</summary>
    private const int MaxCatalogBytes = 64 * 1024 * 1024;

    private readonly CatalogIndex _catalogs;
    private readonly SignatureEngine _engine;
    private readonly VerifierCounters _counters = new();
    private readonly ConcurrentDictionary<string, EmbeddedOutcome> _identicalFiles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, Lazy<SignatureCheck?>> _catalogSignatures = new();

    /// <summary>Creates a verifier.</summary>
    /// <param name="fallbackVerificationTimeUtc">Chain time for signatures without a valid timestamp: the bundle's collection time.</param>
    public AuthenticodeVerifier(TrustAnchors anchors, CatalogIndex catalogs, DateTimeOffset fallbackVerificationTimeUtc)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        ArgumentNullException.ThrowIfNull(catalogs);
        _catalogs = catalogs;
        _engine = new SignatureEngine(new ChainEvaluator(anchors, _counters), _counters, fallbackVerificationTimeUtc);
    }

    /// <summary>Where this verifier's thread time went so far, summed over all threads (chains built, signature checks, hashing).</summary>
    public VerificationStatistics Statistics => _counters.Snapshot();

    /// <summary>Verifies one file, computing only the hashes verification needs. Malformed input becomes anomalies in <paramref name="sink"/> and an Invalid or NotSigned verdict.</summary>
    /// <param name="evidenceFile">Bundle-relative path, used in results and anomalies.</param>
    public FileVerification Verify(string evidenceFile, ReadOnlyMemory<byte> bytes, IAnomalySink sink) =>
        Verify(evidenceFile, bytes, sink, VerificationHashes.None);

    /// <summary>Verifies one file and also reports the hashes in <paramref name="report"/>; the verdict is the same whatever is asked.</summary>
    /// <param name="evidenceFile">Bundle-relative path, used in results and anomalies.</param>
    /// <param name="report">Hashes to compute for the result even when verification does not need them.</param>
    public FileVerification Verify(string evidenceFile, ReadOnlyMemory<byte> bytes, IAnomalySink sink, VerificationHashes report) =>
        Verify(evidenceFile, new FileContent.InMemory(bytes), sink, report);

    /// <summary>
    /// Verifies a file read from a seekable stream with a fixed-size buffer: memory stays bounded whatever the file's
    /// size (only the headers and the certificate table are held). Same verdict as for the same bytes in memory.
    /// </summary>
    /// <param name="evidenceFile">Bundle-relative path, used in results and anomalies.</param>
    /// <param name="report">Hashes to compute for the result even when verification does not need them.</param>
    /// <exception cref="IOException">The stream failed or shrank while it was read.</exception>
    public FileVerification Verify(string evidenceFile, Stream stream, IAnomalySink sink, VerificationHashes report)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !stream.CanRead)
        {
            throw new ArgumentException("The stream must be readable and seekable.", nameof(stream));
        }

        return Verify(evidenceFile, new FileContent.FromStream(stream), sink, report);
    }

    private FileVerification Verify(string evidenceFile, FileContent file, IAnomalySink sink, VerificationHashes report)
    {
        ArgumentNullException.ThrowIfNull(evidenceFile);
        ArgumentNullException.ThrowIfNull(sink);
        bool isPe = AuthenticodeLayout.TryRead(file, evidenceFile, sink, out AuthenticodeLayout layout);
        bool sha1Listed = _catalogs.Count > 0 && _catalogs.HasSha1Keys;
        if (!isPe)
        {
            long started = VerifierCounters.Now;
            FileHashes flat = AuthenticodeHasher.ComputeFlat(file, sha1Listed);
            _counters.Hashed(started);
            EmbeddedSignature own = VerifyOwnCatalogSignature(file, evidenceFile, sink);
            CatalogMatch flatCatalog = FindInCatalogs([flat.Sha256, flat.Sha1], isPe: false, sink);
            return Conclude(evidenceFile, file.Length, isPe: false, null, null, flat.Sha256, own, flatCatalog);
        }

        CertificateTableResult table = CertificateTable.Read(file, layout, evidenceFile, sink);

        // The Authenticode SHA-256 is the file's identity in SignatureEvidence, so it is always planned; SHA-1 only when a
        // catalog could list the file by it or the caller asks. Whatever the signature needs joins the same first pass.
        VerificationHashes planned = VerificationHashes.AuthenticodeSha256 | (report & VerificationHashes.All)
            | (sha1Listed ? VerificationHashes.AuthenticodeSha1 : VerificationHashes.None);
        var hashes = new PeHashes(file, layout, table, planned, _counters);
        EmbeddedSignature embedded = VerifyEmbeddedOnce(file, layout, table, hashes, evidenceFile, sink);
        CatalogMatch catalog = _catalogs.Count == 0
            ? CatalogMatch.None
            : FindInCatalogs([hashes.AuthenticodeSha256, sha1Listed ? hashes.AuthenticodeSha1 : null], isPe: true, sink);
        hashes.Ensure(planned);
        return Conclude(evidenceFile, file.Length, isPe: true, hashes.AuthenticodeSha1IfComputed, hashes.AuthenticodeSha256, hashes.Sha256IfComputed, embedded, catalog);
    }

    private static FileVerification Conclude(string evidenceFile, long length, bool isPe, byte[]? authenticodeSha1, byte[]? authenticodeSha256, byte[]? sha256, EmbeddedSignature embedded, CatalogMatch catalog)
    {
        var notes = ImmutableArray.CreateBuilder<string>();
        (SignatureStatus verdict, SignatureSource source) = Decide(embedded, catalog, notes);
        return new FileVerification(
            evidenceFile,
            length,
            isPe,
            Hex(authenticodeSha1),
            Hex(authenticodeSha256),
            Hex(sha256),
            embedded,
            catalog,
            verdict,
            source,
            notes.ToImmutable());
    }

    /// <summary>
    /// Verifies the embedded signature, or reuses the outcome of a byte-identical file verified earlier by this
    /// verifier (the same binary under several names is common: one DLL in several runtime folders, a sample copied
    /// beside its launcher). The key covers every byte: the image hash plus a hash of what the image hash skips.
    /// </summary>
    private EmbeddedSignature VerifyEmbeddedOnce(FileContent file, AuthenticodeLayout layout, CertificateTableResult table, PeHashes hashes, string evidenceFile, IAnomalySink sink)
    {
        if (!table.Declared)
        {
            return EmbeddedSignature.Absent;
        }

        string key = Convert.ToHexString(hashes.AuthenticodeSha256) + Convert.ToHexString(HashOutsideImage(file, layout, table));
        if (_identicalFiles.TryGetValue(key, out EmbeddedOutcome? known))
        {
            _counters.IdenticalFileReused();
            foreach (Anomaly anomaly in known.Anomalies)
            {
                sink.Report(anomaly with { Evidence = anomaly.Evidence with { BundleFile = evidenceFile } });
            }

            // The same hashes as the first time, so the result does not depend on which copy came first.
            hashes.Ensure(known.HashesComputed);
            return known.Embedded;
        }

        var recorder = new RecordingSink(sink);
        EmbeddedSignature embedded = VerifyEmbedded(file, layout, table, hashes, evidenceFile, recorder);
        if (_identicalFiles.Count < MaxRememberedFiles)
        {
            _identicalFiles.TryAdd(key, new EmbeddedOutcome(embedded, [.. recorder.Recorded], hashes.Computed));
        }

        return embedded;
    }

    /// <summary>SHA-256 of the length, the CheckSum field, the certificate directory entry and everything from the table on.</summary>
    private static byte[] HashOutsideImage(FileContent file, AuthenticodeLayout layout, CertificateTableResult table)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(length, file.Length);
        hash.AppendData(length);
        foreach ((long start, int count) in new[] { (layout.CheckSumOffset, 4), (layout.CertificateDirectoryEntryOffset, 8) })
        {
            if (start >= 0 && start + count <= file.Length)
            {
                hash.AppendData(file.Read(start, count));
            }
        }

        long imageEnd = table.Usable ? Math.Min(table.TableOffset, file.Length) : file.Length;
        file.AppendRange(hash, imageEnd, file.Length);

        return hash.GetHashAndReset();
    }

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
            signatures.Count(static s => s.Depth > 0),
            signatures,
            table.WellFormed);
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

        SignatureCheck check = _engine.VerifyCatalog(data, evidenceFile, sink);
        return new EmbeddedSignature(
            true,
            check.DigestMatches,
            check.SignatureValid,
            check.Intact && check.ChainTrusted,
            check.Intact && check.MicrosoftRoot,
            check.SignerSubject,
            check.IssuerSubject,
            check.SignerThumbprint,
            check.RootSubject,
            check.RootSha256Thumbprint,
            check.TimestampUtc,
            0,
            [check]);
    }

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

    private static (SignatureStatus, SignatureSource) Decide(EmbeddedSignature embedded, CatalogMatch catalog, ImmutableArray<string>.Builder notes)
    {
        SignatureCheck? catalogSignature = catalog.Signature;
        bool catalogIntact = catalogSignature is { Intact: true };
        bool embeddedIntact = embedded.Present && embedded.TableWellFormed && embedded.DigestMatches && embedded.SignatureValid && !embedded.Signatures.IsDefaultOrEmpty;

        if (embedded.Present && !embedded.TableWellFormed)
        {
            notes.Add("certificate table malformed or carrying extra data outside the signature");
        }
        else if (embedded.Present && !embeddedIntact)
        {
            notes.Add("embedded signature present but broken (digest mismatch or bad signer signature)");
        }

        if (catalog.Matched && !catalog.CatalogSigned)
        {
            notes.Add($"listed in unsigned catalog {catalog.File}: membership proves nothing");
        }

        // Windows prefers a catalog over the embedded signature for system files (PowerShell #8401); the best of the two decides.
        if (embeddedIntact && embedded.MicrosoftRoot)
        {
            return (SignatureStatus.MicrosoftSigned, SignatureSource.OfflineEmbedded);
        }

        if (catalogIntact && catalogSignature!.MicrosoftRoot)
        {
            return (SignatureStatus.MicrosoftSigned, SignatureSource.OfflineCatalog);
        }

        if (embeddedIntact)
        {
            notes.Add(embedded.ChainTrusted ? "signed, chain ends in a non-Microsoft anchor" : "signed, chain not trusted offline");
            return (SignatureStatus.SignedOther, SignatureSource.OfflineEmbedded);
        }

        if (catalogIntact)
        {
            notes.Add(catalogSignature!.ChainTrusted ? "catalog signed, chain ends in a non-Microsoft anchor" : "catalog signed, chain not trusted offline");
            return (SignatureStatus.SignedOther, SignatureSource.OfflineCatalog);
        }

        if (embedded.Present)
        {
            return (SignatureStatus.Invalid, SignatureSource.OfflineEmbedded);
        }

        if (catalog.Matched && catalog.CatalogSigned)
        {
            notes.Add($"catalog {catalog.File} lists the file but its signature is broken");
            return (SignatureStatus.Invalid, SignatureSource.OfflineCatalog);
        }

        return (SignatureStatus.NotSigned, SignatureSource.Offline);
    }

    private static string? Hex(byte[]? value) => value is null ? null : Convert.ToHexString(value);
}

/// <summary>What verifying one file's embedded signature produced, kept for byte-identical copies.</summary>
internal sealed record EmbeddedOutcome(EmbeddedSignature Embedded, ImmutableArray<Anomaly> Anomalies, VerificationHashes HashesComputed);

/// <summary>Passes anomalies on and keeps a copy, so they can be reported again for an identical file.</summary>
internal sealed class RecordingSink(IAnomalySink inner) : IAnomalySink
{
    public List<Anomaly> Recorded { get; } = [];

    public void Report(Anomaly anomaly)
    {
        Recorded.Add(anomaly);
        inner.Report(anomaly);
    }
}
