using System.Security.Cryptography;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>The hashes one pass over a file produces; each is null when that pass did not compute it.</summary>
/// <param name="AuthenticodeSha1">Authenticode image hash (SHA-1), null for a non-PE file or when not selected.</param>
/// <param name="AuthenticodeSha256">Authenticode image hash (SHA-256), null for a non-PE file or when not selected.</param>
/// <param name="Sha256">Plain SHA-256 of every byte: always for a flat file, for a PE only when selected.</param>
/// <param name="Sha1">Plain SHA-1, only for non-PE files a catalog could list by it (v1 catalogs).</param>
internal sealed record FileHashes(byte[]? AuthenticodeSha1, byte[]? AuthenticodeSha256, byte[]? Sha256, byte[]? Sha1);

/// <summary>
/// The Authenticode PE image hash, computed linearly: the file minus IMAGE_OPTIONAL_HEADER.CheckSum, minus the
/// certificate directory entry, minus the certificate table, zero padded to a multiple of 8 when there is no table
/// (research/authenticode.md section 2; the same ranges osslsigncode's pe_digest_calc_bio hashes). Sections are not
/// walked, so overlays are covered exactly as Windows covers them.
/// </summary>
internal static class AuthenticodeHasher
{
    /// <summary>
    /// Bytes read at once and fed to every hasher in turn: one read (a system call for a file on disk) per piece, and a
    /// piece still fits the core's L2 cache, so the second hasher reads it from cache, not memory.
    /// </summary>
    private const int ChunkSize = FileContent.MaxPiece;

    [ThreadStatic]
    private static IncrementalHash? _sha1;

    [ThreadStatic]
    private static IncrementalHash? _sha256;

    [ThreadStatic]
    private static IncrementalHash? _plainSha256;

    /// <summary>Plain SHA-256 (and SHA-1 when a catalog could list the file by it) of a flat file, in one pass.</summary>
    public static FileHashes ComputeFlat(FileContent file, bool withSha1)
    {
        IncrementalHash plain = _plainSha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        IncrementalHash? sha1 = withSha1 ? _sha1 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA1) : null;
        for (long offset = 0; offset < file.Length; offset += ChunkSize)
        {
            ReadOnlySpan<byte> chunk = file.Read(offset, (int)Math.Min(ChunkSize, file.Length - offset));
            plain.AppendData(chunk);
            sha1?.AppendData(chunk);
        }

        return new FileHashes(null, null, plain.GetHashAndReset(), sha1?.GetHashAndReset());
    }

    /// <summary>
    /// The selected image hashes (and the plain SHA-256) of a PE in one linear pass: each 256 KiB chunk goes to every
    /// selected hasher while it is in cache. Hashes not selected come back null and cost nothing.
    /// </summary>
    public static FileHashes ComputePe(FileContent file, AuthenticodeLayout layout, CertificateTableResult table, VerificationHashes which)
    {
        IncrementalHash? sha1 = which.HasFlag(VerificationHashes.AuthenticodeSha1) ? _sha1 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA1) : null;
        IncrementalHash? sha256 = which.HasFlag(VerificationHashes.AuthenticodeSha256) ? _sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        IncrementalHash? plain = which.HasFlag(VerificationHashes.Sha256) ? _plainSha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        bool image = sha1 is not null || sha256 is not null;

        Span<(long Start, long End)> ranges = stackalloc (long, long)[4];
        int count = BuildRanges(file.Length, layout, table, ranges, out int padding);
        ranges = ranges[..count];
        for (long offset = 0; offset < file.Length; offset += ChunkSize)
        {
            long chunkEnd = Math.Min(offset + ChunkSize, file.Length);
            ReadOnlySpan<byte> chunk = file.Read(offset, (int)(chunkEnd - offset));
            plain?.AppendData(chunk);
            if (!image)
            {
                continue;
            }

            foreach ((long start, long end) in ranges)
            {
                long from = Math.Max(start, offset);
                long to = Math.Min(end, chunkEnd);
                if (from < to)
                {
                    ReadOnlySpan<byte> part = chunk[(int)(from - offset)..(int)(to - offset)];
                    sha1?.AppendData(part);
                    sha256?.AppendData(part);
                }
            }
        }

        if (padding > 0)
        {
            ReadOnlySpan<byte> zeros = stackalloc byte[8];
            sha1?.AppendData(zeros[..padding]);
            sha256?.AppendData(zeros[..padding]);
        }

        return new FileHashes(sha1?.GetHashAndReset(), sha256?.GetHashAndReset(), plain?.GetHashAndReset(), null);
    }

    /// <summary>The image hash in any other algorithm (SHA-384/512 signatures): a second pass, rare in practice.</summary>
    public static byte[] Compute(FileContent file, AuthenticodeLayout layout, CertificateTableResult table, HashAlgorithmName algorithm)
    {
        using IncrementalHash hash = IncrementalHash.CreateHash(algorithm);
        Span<(long Start, long End)> ranges = stackalloc (long, long)[4];
        int count = BuildRanges(file.Length, layout, table, ranges, out int padding);
        foreach ((long start, long end) in ranges[..count])
        {
            file.AppendRange(hash, start, end);
        }

        if (padding > 0)
        {
            ReadOnlySpan<byte> zeros = stackalloc byte[8];
            hash.AppendData(zeros[..padding]);
        }

        return hash.GetHashAndReset();
    }

    /// <summary>
    /// [0, CheckSum) ‖ [CheckSum+4, dirEntry) ‖ [dirEntry+8, tableStart) ‖ zero pad. Without a usable table the hash runs
    /// to end of file and is padded to 8 (the makecat member hash of an unsigned file proves the pad).
    /// </summary>
    private static int BuildRanges(long fileLength, AuthenticodeLayout layout, CertificateTableResult table, Span<(long Start, long End)> ranges, out int padding)
    {
        long hashEnd = table.Usable ? table.TableOffset : fileLength;
        padding = table.Usable ? 0 : (int)((8 - (fileLength % 8)) % 8);
        int count = 0;
        long position = 0;
        Span<(long Start, long Length)> skips = [(layout.CheckSumOffset, 4), (layout.CertificateDirectoryEntryOffset, 8)];
        foreach ((long skipStart, long skipLength) in skips)
        {
            if (skipStart < 0)
            {
                continue;
            }

            long end = Math.Min(skipStart, hashEnd);
            if (end > position)
            {
                ranges[count++] = (position, end);
            }

            position = Math.Max(position, Math.Min(skipStart + skipLength, hashEnd));
        }

        if (hashEnd > position)
        {
            ranges[count++] = (position, hashEnd);
        }

        return count;
    }
}
