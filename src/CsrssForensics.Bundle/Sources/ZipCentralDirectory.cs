using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Globalization;

namespace CsrssForensics.Bundle.Sources;

/// <summary>
/// What one central-directory record says about its entry: name, where its local header lies, its sizes, CRC-32,
/// compression method, general-purpose flags and external attributes. A few dozen bytes per entry: this is all the
/// zip reader keeps; an entry's data is read only when it is opened, one entry at a time.
/// </summary>
internal readonly record struct ZipEntrySpan(
    string RawName,
    long LocalHeaderOffset,
    long CompressedSize,
    long Length,
    uint Crc32,
    ushort Method,
    ushort Flags,
    int ExternalAttributes);

/// <summary>
/// Reads the zip's end-of-central-directory record and walks the central directory record by record BEFORE
/// <see cref="System.IO.Compression.ZipArchive"/> materialises every entry: a 16 MB zip of 150,000 entries cost
/// seconds and gigabytes before the entry cap could refuse it. Only fixed-size headers and names are read; the records
/// it returns are all the zip reader needs (<see cref="ZipEntryData"/> opens an entry's data from them).
/// </summary>
internal static class ZipCentralDirectory
{
    private const uint EndSignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const uint CentralSignature = 0x02014b50;
    private const int EndSize = 22;
    private const int CentralSize = 46;

    /// <summary>
    /// The central-directory records in archive order; throws <see cref="BundleOpenException"/> when the archive
    /// declares or holds more than <paramref name="maxRecords"/> records (folder records included, so a few more
    /// than the entry cap are allowed by the caller).
    /// </summary>
    public static ImmutableArray<ZipEntrySpan> Scan(Stream file, long maxRecords)
    {
        var (declared, directoryOffset) = FindEnd(file);
        if (declared > maxRecords)
        {
            throw new BundleOpenException(
                $"The zip declares {declared.ToString(CultureInfo.InvariantCulture)} entries, over the {maxRecords.ToString(CultureInfo.InvariantCulture)}-entry cap; refused before reading them.");
        }

        var spans = ImmutableArray.CreateBuilder<ZipEntrySpan>();
        var header = new byte[CentralSize];
        var position = directoryOffset;
        while (position + CentralSize <= file.Length)
        {
            file.Position = position;
            file.ReadExactly(header);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != CentralSignature)
            {
                break;
            }

            if (spans.Count >= maxRecords)
            {
                // The count in the end record lied: stop walking here rather than at the end of a huge directory.
                throw new BundleOpenException(
                    $"The zip holds more than {maxRecords.ToString(CultureInfo.InvariantCulture)} central-directory records, over the entry cap; refused.");
            }

            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(28));
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(30));
            int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(32));
            var variable = new byte[nameLength + extraLength];
            file.ReadExactly(variable);
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(8));
            var method = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(10));
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16));
            var attributes = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(38));
            long compressed = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(20));
            long uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(24));
            long offset = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(42));
            Zip64Values(variable.AsSpan(nameLength), ref uncompressed, ref compressed, ref offset);
            var name = System.Text.Encoding.UTF8.GetString(variable, 0, nameLength);
            spans.Add(new ZipEntrySpan(name, offset, compressed, uncompressed, crc, method, flags, attributes));
            position += CentralSize + nameLength + extraLength + commentLength;
        }

        // A directory that stops early (truncated, a record with a bad signature) or runs on past its declared count
        // is not a zip anyone wrote; 0xFFFF without a ZIP64 record is only "many".
        if (spans.Count != declared && declared != ushort.MaxValue)
        {
            throw new InvalidDataException(
                $"the central directory holds {spans.Count.ToString(CultureInfo.InvariantCulture)} records; the end record declares {declared.ToString(CultureInfo.InvariantCulture)}");
        }

        return spans.ToImmutable();
    }

    /// <summary>Indexes of records whose data ranges [offset, offset + compressed size) overlap another record's.</summary>
    public static HashSet<int> Overlapping(ImmutableArray<ZipEntrySpan> spans)
    {
        var order = Enumerable.Range(0, spans.Length)
            .Where(i => spans[i].CompressedSize > 0)
            .OrderBy(i => spans[i].LocalHeaderOffset)
            .ThenBy(i => i)
            .ToList();
        var overlapping = new HashSet<int>();
        var furthestEnd = long.MinValue;
        var furthestIndex = -1;
        foreach (var i in order)
        {
            if (spans[i].LocalHeaderOffset < furthestEnd)
            {
                overlapping.Add(i);
                overlapping.Add(furthestIndex);
            }

            var end = spans[i].LocalHeaderOffset + spans[i].CompressedSize;
            if (end > furthestEnd)
            {
                furthestEnd = end;
                furthestIndex = i;
            }
        }

        return overlapping;
    }

    private static (long Declared, long DirectoryOffset) FindEnd(Stream file)
    {
        // The end record is the last 22 bytes plus a comment of at most 65,535 bytes.
        var tailLength = (int)Math.Min(file.Length, EndSize + ushort.MaxValue);
        var tail = new byte[tailLength];
        file.Position = file.Length - tailLength;
        file.ReadExactly(tail);
        for (var at = tailLength - EndSize; at >= 0; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at)) != EndSignature)
            {
                continue;
            }

            long declared = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(at + 10));
            long directoryOffset = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at + 16));
            var endAt = file.Length - tailLength + at;
            if ((declared == ushort.MaxValue || directoryOffset == uint.MaxValue) && Zip64End(file, endAt) is { } zip64)
            {
                return zip64;
            }

            return (declared, directoryOffset);
        }

        throw new InvalidDataException("the zip has no end-of-central-directory record");
    }

    private static (long, long)? Zip64End(Stream file, long endAt)
    {
        if (endAt < 20)
        {
            return null;
        }

        var locator = new byte[20];
        file.Position = endAt - 20;
        file.ReadExactly(locator);
        if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64LocatorSignature)
        {
            return null;
        }

        var recordAt = BinaryPrimitives.ReadInt64LittleEndian(locator.AsSpan(8));
        if (recordAt < 0 || recordAt > file.Length - 56)
        {
            throw new InvalidDataException("the zip's ZIP64 end record lies outside the file");
        }

        var record = new byte[56];
        file.Position = recordAt;
        file.ReadExactly(record);
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndSignature)
        {
            throw new InvalidDataException("the zip's ZIP64 end record has a bad signature");
        }

        // Values past long.MaxValue are clamped: they are over every cap anyway.
        var declared = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32)), long.MaxValue);
        var offset = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(48)), long.MaxValue);
        return (declared, offset);
    }

    // The ZIP64 extra field (id 1) carries, in this order, only the values whose 32-bit field is all ones.
    private static void Zip64Values(ReadOnlySpan<byte> extra, ref long uncompressed, ref long compressed, ref long offset)
    {
        while (extra.Length >= 4)
        {
            var id = BinaryPrimitives.ReadUInt16LittleEndian(extra);
            int size = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            if (size > extra.Length - 4)
            {
                return;
            }

            var data = extra.Slice(4, size);
            if (id == 1)
            {
                Take(ref data, ref uncompressed);
                Take(ref data, ref compressed);
                Take(ref data, ref offset);
                return;
            }

            extra = extra[(4 + size)..];
        }
    }

    private static void Take(ref ReadOnlySpan<byte> data, ref long value)
    {
        if (value == uint.MaxValue && data.Length >= 8)
        {
            value = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(data), long.MaxValue);
            data = data[8..];
        }
    }
}
