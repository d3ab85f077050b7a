using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>
/// Computes the page hash table a signer should have produced, the way osslsigncode and signtool do: the page size is
/// SectionAlignment; the first entry (offset 0) hashes the headers up to SizeOfHeaders without the CheckSum and the
/// certificate directory entry, zero-padded to a page; then every page of every section's raw data in section-table
/// order, each zero-padded to a page; the last entry is the end of the last section's data with an all-zero hash.
/// </summary>
internal static class PageHasher
{
    private const int SectionHeaderSize = 40;

    /// <summary>Pages larger than this are not pages: the table cannot be computed for such a header.</summary>
    private const uint MaxPageSize = 1024 * 1024;

    /// <summary>
    /// Smaller pages are refused: a signer (any signer, trusted or not) could otherwise ask for one hash per byte of a
    /// large file. Real tables use 4 KB pages; FileAlignment, which SectionAlignment may not undercut, starts at 512.
    /// </summary>
    private const uint MinPageSize = 512;

    private const int MaxSections = 96;

    /// <summary>The expected table, or null with the reason when the headers make it impossible to compute.</summary>
    /// <param name="maxEntries">The signed table's entry count: a file that needs more pages cannot match, so no page is hashed.</param>
    public static byte[]? Compute(FileContent file, AuthenticodeLayout layout, HashAlgorithmName algorithm, int maxEntries, out string? problem)
    {
        problem = null;
        long length = file.Length;
        uint peOffset = BinaryPrimitives.ReadUInt32LittleEndian(file.Read(0x3C, 4));
        long optional = peOffset + 24L;
        ushort sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(file.Read(peOffset + 6, 2));
        ushort optionalSize = BinaryPrimitives.ReadUInt16LittleEndian(file.Read(peOffset + 20, 2));
        if (optional + 64 > length)
        {
            problem = "optional header truncated";
            return null;
        }

        uint pageSize = BinaryPrimitives.ReadUInt32LittleEndian(file.Read(optional + 32, 4));
        uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(file.Read(optional + 60, 4));
        long sectionTable = optional + optionalSize;
        if (pageSize is < MinPageSize or > MaxPageSize || headerSize > pageSize || headerSize > length)
        {
            problem = $"SectionAlignment {pageSize} and SizeOfHeaders {headerSize} do not describe pages";
            return null;
        }

        if (sectionCount > MaxSections || sectionTable + ((long)sectionCount * SectionHeaderSize) > length)
        {
            problem = $"section table of {sectionCount} entries lies outside the file";
            return null;
        }

        long entries = 2;
        for (int section = 0; section < sectionCount; section++)
        {
            uint rawSize = BinaryPrimitives.ReadUInt32LittleEndian(file.Read(sectionTable + ((long)section * SectionHeaderSize) + 16, 4));
            entries += (rawSize + (long)pageSize - 1) / pageSize;
        }

        if (entries > maxEntries)
        {
            problem = $"the file has {entries} pages to hash, the signed table {maxEntries} entries";
            return null;
        }

        int hashLength = PageHashTable.HashLength(algorithm);
        using var table = new MemoryStream();
        using IncrementalHash hash = IncrementalHash.CreateHash(algorithm);
        byte[] zeros = new byte[pageSize];

        long[] skips = [layout.CheckSumOffset, layout.CertificateDirectoryEntryOffset];
        int[] skipLengths = [4, 8];
        long position = 0;
        for (int i = 0; i < skips.Length; i++)
        {
            if (skips[i] >= 0 && skips[i] + skipLengths[i] <= headerSize)
            {
                file.AppendRange(hash, position, skips[i]);
                position = skips[i] + skipLengths[i];
            }
        }

        file.AppendRange(hash, position, headerSize);
        hash.AppendData(zeros.AsSpan(0, (int)(pageSize - headerSize)));
        WriteEntry(table, 0, hash.GetHashAndReset());

        long lastEnd = 0;
        for (int section = 0; section < sectionCount; section++)
        {
            ReadOnlySpan<byte> header = file.Read(sectionTable + ((long)section * SectionHeaderSize), SectionHeaderSize);
            uint rawSize = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
            uint rawPointer = BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
            if (rawSize == 0)
            {
                continue;
            }

            if ((long)rawPointer + rawSize > length)
            {
                problem = $"section {section} raw data 0x{rawPointer:x}+0x{rawSize:x} runs past the end of the file";
                return null;
            }

            for (long page = 0; page < rawSize; page += pageSize)
            {
                long pageLength = Math.Min(pageSize, rawSize - page);
                file.AppendRange(hash, rawPointer + page, rawPointer + page + pageLength);
                hash.AppendData(zeros.AsSpan(0, (int)(pageSize - pageLength)));
                WriteEntry(table, (uint)(rawPointer + page), hash.GetHashAndReset());
            }

            lastEnd = (long)rawPointer + rawSize;
        }

        WriteEntry(table, (uint)lastEnd, new byte[hashLength]);
        return table.ToArray();
    }

    private static void WriteEntry(MemoryStream table, uint offset, byte[] digest)
    {
        Span<byte> offsetBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(offsetBytes, offset);
        table.Write(offsetBytes);
        table.Write(digest);
    }
}
