using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.Win32.SafeHandles;

namespace CsrssForensics.Bundle.Sources;

/// <summary>
/// Opens one zip entry's data from its central-directory record: the local header is read at the record's offset
/// (APPNOTE 4.3.7: signature, then the lengths of the name and extra field that precede the data), and the data is
/// a window of exactly the compressed size over the archive, inflated when the method is deflate. Nothing is read
/// ahead and nothing of other entries is held. Reads are positional (no shared file position), so two entries of one
/// archive can be streamed at once on two threads.
/// </summary>
internal static class ZipEntryData
{
    private const uint LocalSignature = 0x04034b50;
    private const int LocalSize = 30;
    private const ushort Stored = 0;
    private const ushort Deflated = 8;
    private const ushort EncryptedFlag = 0x1;

    /// <summary>
    /// A stream of the entry's uncompressed bytes; throws <see cref="InvalidDataException"/> when the local header is
    /// not where the record says or the data runs past the archive, <see cref="NotSupportedException"/> for an
    /// encrypted entry or a method other than stored and deflate (neither is what a collector writes).
    /// </summary>
    public static Stream Open(SafeFileHandle archive, long archiveLength, ZipEntrySpan entry)
    {
        if ((entry.Flags & EncryptedFlag) != 0)
        {
            throw new NotSupportedException("the entry is encrypted");
        }

        if (entry.Method is not (Stored or Deflated))
        {
            throw new NotSupportedException($"compression method {entry.Method} is not supported (stored and deflate are)");
        }

        if (entry.LocalHeaderOffset < 0 || entry.LocalHeaderOffset > archiveLength - LocalSize)
        {
            throw new InvalidDataException("the entry's local header lies outside the archive");
        }

        Span<byte> header = stackalloc byte[LocalSize];
        ReadExactly(archive, header, entry.LocalHeaderOffset);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != LocalSignature)
        {
            throw new InvalidDataException("the entry's local header has a bad signature");
        }

        // 64-bit arithmetic: a 32-bit offset plus two 16-bit lengths plus a 64-bit size cannot wrap a long.
        var dataStart = entry.LocalHeaderOffset + LocalSize
            + BinaryPrimitives.ReadUInt16LittleEndian(header[26..])
            + BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
        if (entry.CompressedSize < 0 || dataStart > archiveLength - entry.CompressedSize)
        {
            throw new InvalidDataException("the entry's data runs past the end of the archive");
        }

        var window = new ArchiveWindow(archive, dataStart, entry.CompressedSize);
        return entry.Method == Stored ? window : new DeflateStream(window, CompressionMode.Decompress, leaveOpen: false);
    }

    private static void ReadExactly(SafeFileHandle archive, Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            var read = RandomAccess.Read(archive, buffer, offset);
            if (read == 0)
            {
                throw new EndOfStreamException("the archive ends inside an entry's local header");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }

    /// <summary>
    /// A read-only view of [start, start + length) of the archive. Every read names its offset, so it never depends on
    /// where another reader (the directory scan, another entry, another thread) left a file position.
    /// </summary>
    private sealed class ArchiveWindow(SafeFileHandle archive, long start, long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var left = length - _position;
            if (left <= 0 || buffer.IsEmpty)
            {
                return 0;
            }

            var read = RandomAccess.Read(archive, buffer[..(int)Math.Min(buffer.Length, left)], start + _position);
            _position += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
