namespace CsrssForensics.Bundle.Sources;

/// <summary>
/// A bundle entry read as a stream, with the same distrust as <see cref="BundleSource.Read"/>: bytes are counted as
/// they come, never more than the known length plus one is asked for (so a lying header or a growing file is
/// noticed), the zip CRC-32 is checked at the end, and a read failure ends the stream instead of throwing into the
/// parser. The parser sees at most the known length; <see cref="Result"/> says afterwards whether what it saw was
/// the whole, true entry, and the caller discards what was parsed when it was not.
/// </summary>
internal sealed class CountedEntryStream : Stream
{
    private readonly Stream _inner;
    private readonly long _length;
    private readonly uint? _expectedCrc;
    private long _total;
    private uint _crc;
    private ReadResult? _ended;

    public CountedEntryStream(Stream inner, long length, uint? expectedCrc)
    {
        _inner = inner;
        _length = length;
        _expectedCrc = expectedCrc;
    }

    /// <summary>How the read ended; <see cref="ReadStatus.Shorter"/> when the parser stopped before the end.</summary>
    public ReadResult Result => _ended ?? new ReadResult(ReadStatus.Shorter, _total, null);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _total; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_ended is not null || buffer.IsEmpty)
        {
            return 0;
        }

        var want = (int)Math.Min(buffer.Length, _length - _total + 1);
        int read;
        try
        {
            read = _inner.Read(buffer[..want]);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException or NotSupportedException)
        {
            _ended = new ReadResult(ReadStatus.Unreadable, _total, exception.Message);
            return 0;
        }

        if (read == 0)
        {
            _ended = _total != _length
                ? new ReadResult(ReadStatus.Shorter, _total, null)
                : new ReadResult(_expectedCrc is null || _crc == _expectedCrc ? ReadStatus.Ok : ReadStatus.CrcMismatch, _total, null);
            return 0;
        }

        if (_total + read > _length)
        {
            _ended = new ReadResult(ReadStatus.Longer, _total + read, null);
            return 0;
        }

        if (_expectedCrc is not null)
        {
            _crc = Crc32.Append(_crc, buffer[..read]);
        }

        _total += read;
        return read;
    }

    /// <summary>Reads what the parser left unread, so the length and CRC checks see the whole entry.</summary>
    public void Drain()
    {
        var buffer = new byte[81920];
        while (Read(buffer) > 0)
        {
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
