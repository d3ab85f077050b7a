using System.Buffers.Binary;

namespace CsrssForensics.Pe.Parsing;

/// <summary>
/// A bounds-checked little-endian reader over a span. Offsets are <see cref="ulong"/> so that
/// <c>offset + size</c> from hostile headers cannot wrap; every read says whether it fit instead of throwing.
/// </summary>
internal ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> _data;

    public SpanReader(ReadOnlySpan<byte> data, ulong position = 0)
    {
        _data = data;
        Position = position;
    }

    /// <summary>Length of the underlying data.</summary>
    public readonly ulong Length => (ulong)_data.Length;

    /// <summary>Current offset. May be set past the end; reads then fail.</summary>
    public ulong Position { get; set; }

    /// <summary>Bytes left from <see cref="Position"/> (0 if past the end).</summary>
    public readonly ulong Remaining => Position >= Length ? 0 : Length - Position;

    /// <summary>True if <paramref name="count"/> bytes can be read from <paramref name="offset"/>.</summary>
    public readonly bool Fits(ulong offset, ulong count) => Fits(_data, offset, count);

    /// <summary>True if <paramref name="count"/> bytes at <paramref name="offset"/> lie inside <paramref name="data"/>.</summary>
    public static bool Fits(ReadOnlySpan<byte> data, ulong offset, ulong count) =>
        offset <= (ulong)data.Length && count <= (ulong)data.Length - offset;

    public bool TryReadUInt16(out ushort value)
    {
        if (!TryReadBytes(2, out var bytes))
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
        return true;
    }

    public bool TryReadUInt32(out uint value)
    {
        if (!TryReadBytes(4, out var bytes))
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        return true;
    }

    public bool TryReadUInt64(out ulong value)
    {
        if (!TryReadBytes(8, out var bytes))
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return true;
    }

    /// <summary>Reads <paramref name="count"/> bytes and advances; on failure the position does not move.</summary>
    public bool TryReadBytes(ulong count, out ReadOnlySpan<byte> bytes)
    {
        if (!TrySlice(Position, count, out bytes))
        {
            return false;
        }

        Position += count;
        return true;
    }

    /// <summary>Advances by <paramref name="count"/> if that stays inside the data.</summary>
    public bool TrySkip(ulong count)
    {
        if (!Fits(Position, count))
        {
            return false;
        }

        Position += count;
        return true;
    }

    /// <summary>Moves <see cref="Position"/> up to the next multiple of <paramref name="alignment"/> relative to <paramref name="origin"/>.</summary>
    public void AlignFrom(ulong origin, ulong alignment)
    {
        if (Position < origin || alignment == 0)
        {
            return;
        }

        var rest = (Position - origin) % alignment;
        if (rest != 0)
        {
            Position += alignment - rest;
        }
    }

    /// <summary>A slice at an absolute offset, without moving.</summary>
    public readonly bool TrySlice(ulong offset, ulong count, out ReadOnlySpan<byte> slice) => TrySlice(_data, offset, count, out slice);

    /// <summary>A slice of <paramref name="data"/> at an absolute offset, if it fits.</summary>
    public static bool TrySlice(ReadOnlySpan<byte> data, ulong offset, ulong count, out ReadOnlySpan<byte> slice)
    {
        if (!Fits(data, offset, count))
        {
            slice = default;
            return false;
        }

        slice = data.Slice((int)offset, (int)count);
        return true;
    }

    public static bool TryReadUInt16At(ReadOnlySpan<byte> data, ulong offset, out ushort value)
    {
        var reader = new SpanReader(data, offset);
        return reader.TryReadUInt16(out value);
    }

    public static bool TryReadUInt32At(ReadOnlySpan<byte> data, ulong offset, out uint value)
    {
        var reader = new SpanReader(data, offset);
        return reader.TryReadUInt32(out value);
    }

    public static bool TryReadUInt64At(ReadOnlySpan<byte> data, ulong offset, out ulong value)
    {
        var reader = new SpanReader(data, offset);
        return reader.TryReadUInt64(out value);
    }
}
