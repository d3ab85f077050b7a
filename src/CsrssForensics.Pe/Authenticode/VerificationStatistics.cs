using System.Diagnostics;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>
/// Where a verifier's thread time went, summed over every thread since it was created: what the benchmark prints so
/// a reader can see how much of the time is work no cache can remove (one image hash and the signature checks of each
/// file) and how much is work done once per distinct certificate (decoding, chain building).
/// </summary>
/// <param name="HashTime">Image and file hash passes.</param>
/// <param name="SignatureChecks">Public-key signature checks (signers, timestamp authorities, catalogs).</param>
/// <param name="SignatureCheckTime">Time inside those checks.</param>
/// <param name="ChainBuilds">Chains built with X509Chain (the rest were answered from the cache).</param>
/// <param name="ChainBuildTime">Time inside those builds.</param>
/// <param name="CertificatesDecoded">Distinct certificates decoded (each once per verifier).</param>
/// <param name="CertificateDecodeTime">Time spent decoding them.</param>
/// <param name="IdenticalFilesReused">Files byte-identical to one verified before, whose signature outcome was reused.</param>
public sealed record VerificationStatistics(
    TimeSpan HashTime,
    long SignatureChecks,
    TimeSpan SignatureCheckTime,
    long ChainBuilds,
    TimeSpan ChainBuildTime,
    long CertificatesDecoded,
    TimeSpan CertificateDecodeTime,
    long IdenticalFilesReused);

/// <summary>Thread-safe tick counters behind <see cref="VerificationStatistics"/>; a few nanoseconds per measured step.</summary>
internal sealed class VerifierCounters
{
    private long _hashTicks;
    private long _signatureChecks;
    private long _signatureTicks;
    private long _chainBuilds;
    private long _chainTicks;
    private long _certificates;
    private long _certificateTicks;
    private long _identicalFiles;

    public static long Now => Stopwatch.GetTimestamp();

    public void Hashed(long startedAt) => Interlocked.Add(ref _hashTicks, Stopwatch.GetTimestamp() - startedAt);

    public void SignatureChecked(long startedAt)
    {
        Interlocked.Increment(ref _signatureChecks);
        Interlocked.Add(ref _signatureTicks, Stopwatch.GetTimestamp() - startedAt);
    }

    public void ChainBuilt(long startedAt)
    {
        Interlocked.Increment(ref _chainBuilds);
        Interlocked.Add(ref _chainTicks, Stopwatch.GetTimestamp() - startedAt);
    }

    public void CertificateDecoded(long startedAt)
    {
        Interlocked.Increment(ref _certificates);
        Interlocked.Add(ref _certificateTicks, Stopwatch.GetTimestamp() - startedAt);
    }

    public void IdenticalFileReused() => Interlocked.Increment(ref _identicalFiles);

    public VerificationStatistics Snapshot() => new(
        Ticks(Volatile.Read(ref _hashTicks)),
        Volatile.Read(ref _signatureChecks),
        Ticks(Volatile.Read(ref _signatureTicks)),
        Volatile.Read(ref _chainBuilds),
        Ticks(Volatile.Read(ref _chainTicks)),
        Volatile.Read(ref _certificates),
        Ticks(Volatile.Read(ref _certificateTicks)),
        Volatile.Read(ref _identicalFiles));

    private static TimeSpan Ticks(long stopwatchTicks) => Stopwatch.GetElapsedTime(0, stopwatchTicks);
}
