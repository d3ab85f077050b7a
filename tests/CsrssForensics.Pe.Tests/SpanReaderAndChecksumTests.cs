using CsrssForensics.Pe.Parsing;
using CsrssForensics.Pe.Tests.Support;

namespace CsrssForensics.Pe.Tests;

public sealed class SpanReaderAndChecksumTests
{
    [Fact]
    public void Reads_little_endian_values_and_advances()
    {
        var reader = new SpanReader([0x34, 0x12, 0x78, 0x56, 0x34, 0x12, 1, 2, 3, 4, 5, 6, 7, 8]);

        Assert.True(reader.TryReadUInt16(out var word));
        Assert.True(reader.TryReadUInt32(out var dword));
        Assert.True(reader.TryReadUInt64(out var qword));

        Assert.Equal(0x1234, word);
        Assert.Equal(0x12345678u, dword);
        Assert.Equal(0x0807060504030201UL, qword);
        Assert.Equal(0UL, reader.Remaining);
    }

    [Fact]
    public void Failed_read_returns_false_and_does_not_move()
    {
        var reader = new SpanReader([1, 2, 3], 1);

        Assert.False(reader.TryReadUInt32(out var value));
        Assert.Equal(0u, value);
        Assert.Equal(1UL, reader.Position);
    }

    [Theory]
    [InlineData(ulong.MaxValue, 1UL)]
    [InlineData(1UL, ulong.MaxValue)]
    [InlineData(ulong.MaxValue - 2, 4UL)]
    [InlineData(4UL, 1UL)]
    public void Offsets_that_would_wrap_or_overrun_never_fit(ulong offset, ulong count)
    {
        ReadOnlySpan<byte> data = [1, 2, 3, 4];

        Assert.False(SpanReader.Fits(data, offset, count));
        Assert.False(SpanReader.TrySlice(data, offset, count, out _));
    }

    [Fact]
    public void Position_past_the_end_reads_nothing()
    {
        var reader = new SpanReader([1, 2, 3, 4]) { Position = ulong.MaxValue };

        Assert.False(reader.TryReadBytes(0, out _));
        Assert.False(reader.TryReadUInt16(out _));
        Assert.False(reader.TrySkip(1));
        Assert.Equal(0UL, reader.Remaining);
    }

    [Fact]
    public void Align_moves_to_the_next_multiple_from_the_origin()
    {
        var reader = new SpanReader(new byte[32], 13);

        reader.AlignFrom(1, 4);

        Assert.Equal(13UL, reader.Position);
        reader.Position = 14;
        reader.AlignFrom(1, 4);
        Assert.Equal(17UL, reader.Position);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(7, 2)]
    [InlineData(300, 216)]
    [InlineData(4097, 1000)]
    [InlineData(4096, 4094)]
    public void Checksum_matches_an_independent_per_word_implementation(int length, int checkSumOffset)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);

        var expected = length > checkSumOffset + 3 ? TestPEBuilder.ComputeCheckSum(data, checkSumOffset) : (uint?)null;
        var actual = PEChecksum.Compute(data, checkSumOffset);

        if (expected is uint e)
        {
            Assert.Equal(e, actual);
        }
        else
        {
            // Field partly past the end: compare with the field's existing bytes zeroed by hand.
            var copy = (byte[])data.Clone();
            for (var i = checkSumOffset; i < Math.Min(length, checkSumOffset + 4); i++)
            {
                copy[i] = 0;
            }

            Assert.Equal(TestPEBuilder.ComputeCheckSum(copy, -8), actual);
        }
    }

    [Fact]
    public void Checksum_of_a_known_buffer()
    {
        // Words 0x0201 + 0x0403 + 0x0005 (odd byte) = 0x0609, plus length 5.
        Assert.Equal(0x060Eu, PEChecksum.Compute([1, 2, 3, 4, 5], -1));
    }

    [Fact]
    public void Checksum_ignores_the_checksum_field_even_at_an_odd_offset()
    {
        byte[] a = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        byte[] b = [1, 0xFF, 0xEE, 0xDD, 0xCC, 6, 7, 8, 9];

        Assert.Equal(PEChecksum.Compute(a, 1), PEChecksum.Compute(b, 1));
        Assert.NotEqual(PEChecksum.Compute(a, -1), PEChecksum.Compute(b, -1));
    }

    [Fact]
    public void Checksum_carry_wraps_around()
    {
        // 0xFFFF + 0x0001 = 0x10000 -> folded to 0x0001; plus length 4.
        Assert.Equal(0x0005u, PEChecksum.Compute([0xFF, 0xFF, 0x01, 0x00], -1));
    }
}
