using CsrssForensics.Core.Evidence;
using CsrssForensics.Pe.Authenticode;
using CsrssForensics.Pe.Tests.Authenticode.Support;

namespace CsrssForensics.Pe.Tests.Authenticode;

/// <summary>Verification from a stream: the same answers as from memory, with memory that does not grow with the file.</summary>
public sealed class StreamingVerificationTests
{
    public static TheoryData<string> ScenarioNames() => Scenarios.Names();

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public void Stream_and_memory_give_the_same_result(string name)
    {
        byte[] bytes = Scenarios.Get(name);
        var fromMemory = new AnomalyList();
        var fromStream = new AnomalyList();

        FileVerification memory = Scenarios.Verifier().Verify(name, bytes, fromMemory, VerificationHashes.All);
        using var stream = new MemoryStream(bytes, writable: false);
        FileVerification streamed = Scenarios.Verifier().Verify(name, stream, fromStream, VerificationHashes.All);

        AssertSame(memory, streamed);
        Assert.Equal(fromMemory.Items.Select(static a => (a.Code, a.Message, a.Evidence)), fromStream.Items.Select(static a => (a.Code, a.Message, a.Evidence)));
    }

    [Fact]
    public void A_64_MB_overlay_hashes_the_same_from_a_stream_with_a_small_fixed_buffer()
    {
        byte[] pe = TestAuthenticode.UnsignedPe("streaming");
        const long overlay = 64L * 1024 * 1024;
        byte[] inMemory = new byte[pe.Length + overlay];
        pe.CopyTo(inMemory, 0);
        FileVerification memory = Scenarios.Verifier().Verify("big.exe", inMemory, new AnomalyList(), VerificationHashes.All);

        var verifier = Scenarios.Verifier();
        using var stream = new ZeroPaddedStream(pe, overlay);
        long before = GC.GetAllocatedBytesForCurrentThread();
        FileVerification streamed = verifier.Verify("big.exe", stream, new AnomalyList(), VerificationHashes.All);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        AssertSame(memory, streamed);
        Assert.True(allocated < 4 * 1024 * 1024, $"allocated {allocated} bytes for a {overlay + pe.Length}-byte file");
    }

    [Fact]
    public void A_file_larger_than_2_GB_is_verified_with_64_bit_offsets()
    {
        byte[] pe = TestAuthenticode.UnsignedPe("beyond-int");
        long overlay = (long)int.MaxValue + 4096;
        using var stream = new ZeroPaddedStream(pe, overlay);
        var sink = new AnomalyList();

        long before = GC.GetAllocatedBytesForCurrentThread();
        FileVerification result = Scenarios.Verifier().Verify("huge.exe", stream, sink, VerificationHashes.None);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(pe.Length + overlay, result.Length);
        Assert.Equal(CsrssForensics.Core.Verdicts.SignatureStatus.NotSigned, result.Verdict);
        Assert.Equal(64, result.AuthenticodeSha256!.Length);
        Assert.True(allocated < 4 * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void A_stream_that_cannot_seek_is_refused_as_a_caller_error()
    {
        using var pipe = new NonSeekableStream();

        Assert.Throws<ArgumentException>(() => Scenarios.Verifier().Verify("pipe", pipe, new AnomalyList(), VerificationHashes.None));
    }

    private static void AssertSame(FileVerification expected, FileVerification actual)
    {
        Assert.Equal(expected.Verdict, actual.Verdict);
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(expected.IsPe, actual.IsPe);
        Assert.Equal(expected.AuthenticodeSha1, actual.AuthenticodeSha1);
        Assert.Equal(expected.AuthenticodeSha256, actual.AuthenticodeSha256);
        Assert.Equal(expected.Sha256, actual.Sha256);
        Assert.Equal(expected.Embedded with { Signatures = [] }, actual.Embedded with { Signatures = [] });
        Assert.Equal(expected.Embedded.Signatures.Length, actual.Embedded.Signatures.Length);
        for (int i = 0; i < expected.Embedded.Signatures.Length; i++)
        {
            Assert.Equal(expected.Embedded.Signatures[i] with { Problems = [] }, actual.Embedded.Signatures[i] with { Problems = [] });
            Assert.Equal<string>(expected.Embedded.Signatures[i].Problems, actual.Embedded.Signatures[i].Problems);
        }
    }

    /// <summary>A PE followed by an overlay of zeros that is never stored: a large file at no memory cost.</summary>
    private sealed class ZeroPaddedStream(byte[] head, long zeros) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length { get; } = head.Length + zeros;

        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int count = (int)Math.Max(0, Math.Min(buffer.Length, Length - Position));
            int fromHead = (int)Math.Clamp(head.Length - Position, 0, count);
            head.AsSpan((int)Math.Min(Position, head.Length), fromHead).CopyTo(buffer);
            buffer[fromHead..count].Clear();
            Position += count;
            return count;
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => Length + offset,
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class NonSeekableStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => 0;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
