using System.Security.Cryptography;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>
/// The bytes of the file being verified: all in memory, or a seekable stream read piece by piece so that a file of
/// any size is verified with a fixed-size buffer (only the headers and the certificate table are ever held).
/// </summary>
internal abstract class FileContent
{
    /// <summary>The largest piece <see cref="Read"/> returns at once.</summary>
    public const int MaxPiece = 256 * 1024;

    public abstract long Length { get; }

    /// <summary>
    /// The bytes [offset, offset + count), count at most <see cref="MaxPiece"/>, inside the file (callers check bounds
    /// against <see cref="Length"/> first). For a stream the span is valid until the next call.
    /// </summary>
    public abstract ReadOnlySpan<byte> Read(long offset, int count);

    /// <summary>The bytes [offset, offset + count) as memory the caller may keep (a slice in memory, a copy from a stream).</summary>
    public abstract ReadOnlyMemory<byte> Keep(long offset, int count);

    /// <summary>Feeds the bytes [from, to) to <paramref name="hash"/>, a piece at a time.</summary>
    public void AppendRange(IncrementalHash hash, long from, long to)
    {
        for (long offset = from; offset < to; offset += MaxPiece)
        {
            hash.AppendData(Read(offset, (int)Math.Min(MaxPiece, to - offset)));
        }
    }

    /// <summary>The file in memory.</summary>
    public sealed class InMemory(ReadOnlyMemory<byte> bytes) : FileContent
    {
        public override long Length => bytes.Length;

        public override ReadOnlySpan<byte> Read(long offset, int count) => bytes.Span.Slice((int)offset, count);

        public override ReadOnlyMemory<byte> Keep(long offset, int count) => bytes.Slice((int)offset, count);
    }

    /// <summary>
    /// A seekable stream, read through one buffer of <see cref="MaxPiece"/> bytes. The buffer belongs to the thread, not
    /// the file: a fresh 256 KiB array per file went to the large object heap and, over thousands of files, made the GC
    /// run full collections. One verification runs on one thread and uses one FromStream at a time, so sharing is safe.
    /// </summary>
    public sealed class FromStream : FileContent
    {
        [ThreadStatic]
        private static byte[]? _threadBuffer;

        private readonly Stream _stream;
        private readonly byte[] _buffer;

        public FromStream(Stream stream)
        {
            _stream = stream;
            _buffer = _threadBuffer ??= new byte[MaxPiece];
            Length = stream.Length;
        }

        public override long Length { get; }

        public override ReadOnlySpan<byte> Read(long offset, int count)
        {
            Span<byte> piece = _buffer.AsSpan(0, count);
            Fill(offset, piece);
            return piece;
        }

        public override ReadOnlyMemory<byte> Keep(long offset, int count)
        {
            byte[] copy = new byte[count];
            Fill(offset, copy);
            return copy;
        }

        /// <summary>Throws EndOfStreamException (an IOException) when the file shrank while it was read.</summary>
        private void Fill(long offset, Span<byte> destination)
        {
            _stream.Position = offset;
            _stream.ReadExactly(destination);
        }
    }
}
