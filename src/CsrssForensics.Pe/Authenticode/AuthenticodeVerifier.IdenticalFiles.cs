using System.Collections.Immutable;
using System.Security.Cryptography;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>Byte-identical files are verified once per verifier: the outcome and its anomalies are replayed for each copy.</summary>
public sealed partial class AuthenticodeVerifier
{
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
