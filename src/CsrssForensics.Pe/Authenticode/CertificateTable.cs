using System.Buffers.Binary;
using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>One WIN_CERTIFICATE entry of the attribute certificate table.</summary>
/// <param name="Offset">File offset of the entry header.</param>
/// <param name="Length">dwLength: header (8 bytes) plus content, without the padding to 8.</param>
/// <param name="Content">bCertificate: the bytes after the 8-byte header (a PKCS#7 SignedData for type 2).</param>
internal sealed record CertificateEntry(long Offset, uint Length, ushort Revision, ushort CertificateType, ReadOnlyMemory<byte> Content)
{
    /// <summary>WIN_CERT_REVISION_2_0.</summary>
    public const ushort Revision2 = 0x0200;

    /// <summary>WIN_CERT_REVISION_1_0 (legacy, still accepted by Windows).</summary>
    public const ushort Revision1 = 0x0100;

    /// <summary>WIN_CERT_TYPE_PKCS_SIGNED_DATA.</summary>
    public const ushort TypePkcsSignedData = 0x0002;

    /// <summary>True for an entry Authenticode verification uses.</summary>
    public bool IsPkcsSignedData => CertificateType == TypePkcsSignedData && Revision is Revision2 or Revision1;
}

/// <summary>What the certificate table reader concluded.</summary>
/// <param name="Declared">The security directory names a table at all.</param>
/// <param name="Usable">
/// The table lies inside the file, after the headers, and ends at end of file. Only then is it excluded from the hash
/// (osslsigncode and Windows since MS12-024 ignore a table that does not end the file).
/// </param>
/// <param name="WellFormed">
/// Exactly one PKCS#7 entry and nothing else: no other entries, no trailing or non-zero padding bytes, no truncation.
/// Anything else is unhashed data riding in the table (MS13-098); osslsigncode rejects such tables outright.
/// </param>
internal sealed record CertificateTableResult(
    bool Declared,
    bool Usable,
    long TableOffset,
    long TableSize,
    ImmutableArray<CertificateEntry> Entries,
    bool WellFormed = false)
{
    public static CertificateTableResult None { get; } = new(false, false, 0, 0, []);
}

/// <summary>Reads WIN_CERTIFICATE entries with every length checked before it is used in arithmetic.</summary>
internal static class CertificateTable
{
    private const int EntryHeaderSize = 8;

    /// <summary>Cap on entries: real files carry one; a table of thousands is an attack on the reader.</summary>
    private const int MaxEntries = 64;

    /// <summary>Cap on the table read into memory: real tables are kilobytes, a larger one is not read (and not trusted).</summary>
    private const int MaxTableBytes = 64 * 1024 * 1024;

    public static CertificateTableResult Read(FileContent file, AuthenticodeLayout layout, string evidenceFile, IAnomalySink sink)
    {
        if (!layout.HasCertificateTable)
        {
            if (layout.CertificateTableOffset != 0 || layout.CertificateTableSize != 0)
            {
                AuthenticodeLayout.Report(sink, "SIG0001", AnomalySeverity.Low,
                    $"Certificate directory half set (offset 0x{layout.CertificateTableOffset:x}, size 0x{layout.CertificateTableSize:x}): treated as no table",
                    evidenceFile, layout.CertificateDirectoryEntryOffset);
            }

            return CertificateTableResult.None;
        }

        ulong fileLength = (ulong)file.Length;
        ulong start = (ulong)layout.CertificateTableOffset;
        ulong size = (ulong)layout.CertificateTableSize;
        ulong end = start + size;
        long directoryEntry = layout.CertificateDirectoryEntryOffset;
        if (end > fileLength)
        {
            AuthenticodeLayout.Report(sink, "SIG0001", AnomalySeverity.High,
                $"Certificate table 0x{start:x}+0x{size:x} runs past end of file (0x{fileLength:x}): truncated, signature unusable",
                evidenceFile, directoryEntry);
            return new CertificateTableResult(true, false, (long)start, (long)size, []);
        }

        if (start < (ulong)directoryEntry + 8)
        {
            AuthenticodeLayout.Report(sink, "SIG0001", AnomalySeverity.High,
                $"Certificate table at 0x{start:x} overlaps the PE headers: signature unusable", evidenceFile, directoryEntry);
            return new CertificateTableResult(true, false, (long)start, (long)size, []);
        }

        if (end != fileLength)
        {
            AuthenticodeLayout.Report(sink, "SIG0003", AnomalySeverity.High,
                $"Certificate table ends at 0x{end:x} but the file ends at 0x{fileLength:x}: a table not at end of file is ignored (MS12-024), data may be hidden after it",
                evidenceFile, (long)start);
            return new CertificateTableResult(true, false, (long)start, (long)size, []);
        }

        if (start % 8 != 0)
        {
            AuthenticodeLayout.Report(sink, "SIG0006", AnomalySeverity.Low,
                $"Certificate table at 0x{start:x} is not 8-byte aligned", evidenceFile, (long)start);
        }

        if (size > MaxTableBytes)
        {
            // Still excluded from the hash (it ends the file), but its entries are not read: no signature is taken from it.
            AuthenticodeLayout.Report(sink, "SIG0007", AnomalySeverity.High,
                $"Certificate table of 0x{size:x} bytes is larger than the {MaxTableBytes / (1024 * 1024)} MB this reader accepts: not read", evidenceFile, (long)start);
            return new CertificateTableResult(true, true, (long)start, (long)size, []);
        }

        // Entries keep slices of this memory; positions below stay file offsets, so index it from the table start.
        ReadOnlyMemory<byte> tableBytes = file.Keep((long)start, (int)size);
        ReadOnlySpan<byte> table = tableBytes.Span;
        var entries = ImmutableArray.CreateBuilder<CertificateEntry>();
        bool wellFormed = true;
        ulong position = start;
        while (position < end)
        {
            ulong remaining = end - position;
            if (remaining < EntryHeaderSize)
            {
                wellFormed = false;
                AuthenticodeLayout.Report(sink, "SIG0007", AnomalySeverity.Medium,
                    $"{remaining} trailing byte(s) after the last certificate entry", evidenceFile, (long)position);
                break;
            }

            if (entries.Count == MaxEntries)
            {
                wellFormed = false;
                AuthenticodeLayout.Report(sink, "SIG0007", AnomalySeverity.Medium,
                    $"More than {MaxEntries} certificate entries; the rest of the table (0x{remaining:x} bytes) is not read", evidenceFile, (long)position);
                break;
            }

            int at = (int)(position - start);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(table[at..]);
            if (length < EntryHeaderSize)
            {
                wellFormed = false;
                AuthenticodeLayout.Report(sink, "SIG0004", AnomalySeverity.High,
                    $"Certificate entry dwLength {length} is smaller than its 8-byte header; table reading stops", evidenceFile, (long)position);
                break;
            }

            if (length > remaining)
            {
                wellFormed = false;
                AuthenticodeLayout.Report(sink, "SIG0005", AnomalySeverity.High,
                    $"Certificate entry dwLength {length} runs past the table end (0x{remaining:x} bytes left): truncated entry", evidenceFile, (long)position);
                break;
            }

            ushort revision = BinaryPrimitives.ReadUInt16LittleEndian(table[(at + 4)..]);
            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(table[(at + 6)..]);
            var entry = new CertificateEntry((long)position, length, revision, type,
                tableBytes.Slice(at + EntryHeaderSize, (int)length - EntryHeaderSize));
            if (!entry.IsPkcsSignedData)
            {
                wellFormed = false;
                AuthenticodeLayout.Report(sink, "SIG0008", AnomalySeverity.Medium,
                    $"Certificate entry with revision 0x{revision:x4} and type 0x{type:x4} is not a PKCS#7 signature; skipped",
                    evidenceFile, (long)position);
            }
            else if (revision == CertificateEntry.Revision1)
            {
                AuthenticodeLayout.Report(sink, "SIG0008", AnomalySeverity.Low,
                    "Certificate entry uses the legacy WIN_CERT_REVISION_1_0", evidenceFile, (long)position);
            }

            entries.Add(entry);

            // Entries are quadword aligned: pad with (8 - len % 8) % 8 (signify #19 added 8 to aligned lengths).
            ulong padded = ((ulong)length + 7) & ~7UL;
            if (padded > remaining)
            {
                AuthenticodeLayout.Report(sink, "SIG0006", AnomalySeverity.Low,
                    "Last certificate entry is not padded to 8 bytes inside the table", evidenceFile, (long)position);
                break;
            }

            ReadOnlySpan<byte> padding = table.Slice(at + (int)length, (int)(padded - length));
            if (padding.IndexOfAnyExcept((byte)0) >= 0)
            {
                wellFormed = false;
                AuthenticodeLayout.Report(sink, "SIG0007", AnomalySeverity.Medium,
                    "Non-zero padding after a certificate entry: data hidden in the table", evidenceFile, (long)(position + length));
            }

            position += padded;
        }

        if (entries.Count(static e => e.IsPkcsSignedData) > 1)
        {
            wellFormed = false;
            AuthenticodeLayout.Report(sink, "SIG0009", AnomalySeverity.Medium,
                "Several PKCS#7 certificate entries; Windows and osslsigncode use only the first (nested signatures belong inside it)",
                evidenceFile, (long)start);
        }

        return new CertificateTableResult(true, true, (long)start, (long)size, entries.ToImmutable(), wellFormed && entries.Count == 1);
    }
}
