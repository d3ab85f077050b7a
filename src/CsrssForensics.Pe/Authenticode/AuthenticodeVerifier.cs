using System.Collections.Concurrent;
using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>
/// Offline Authenticode verification of one file at a time: embedded signature first, catalog membership beside it,
/// trust decided against explicit anchors at the signing timestamp (else the collection time, never the wall clock).
/// Thread-safe; reuse one instance for a whole bundle so chain answers and catalog signatures are computed once.
/// </summary>
public sealed partial class AuthenticodeVerifier
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
        (SignatureStatus verdict, SignatureSource source) = SignatureDecision.Decide(embedded, catalog, notes);
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

    private static string? Hex(byte[]? value) => value is null ? null : Convert.ToHexString(value);
}
