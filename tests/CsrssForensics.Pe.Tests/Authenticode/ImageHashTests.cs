using System.Security.Cryptography;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Pe.Tests.Authenticode.Support;
using CsrssForensics.Pe.Tests.Support;

namespace CsrssForensics.Pe.Tests.Authenticode;

public sealed class ImageHashTests
{
    [Fact]
    public void Unsigned_image_hash_skips_checksum_and_directory_and_pads_to_8()
    {
        byte[] pe = Scenarios.Get("unsigned");
        Assert.NotEqual(0, pe.Length % 8);

        var result = Scenarios.Verifier().Verify("unsigned.exe", pe, new StrictAnomalySink());

        Assert.True(result.IsPe);
        Assert.Equal(Convert.ToHexString(TestAuthenticode.ImageHash(pe, HashAlgorithmName.SHA1)), result.AuthenticodeSha1);
        Assert.Equal(Convert.ToHexString(TestAuthenticode.ImageHash(pe, HashAlgorithmName.SHA256)), result.AuthenticodeSha256);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(pe)), result.Sha256);
        Assert.NotEqual(result.Sha256, result.AuthenticodeSha256);
    }

    [Fact]
    public void Signing_does_not_change_the_image_hash_and_checksum_is_not_covered()
    {
        byte[] unsigned = Scenarios.Get("unsigned");
        byte[] signed = Scenarios.Get("signed-sha256");
        byte[] otherChecksum = (byte[])signed.Clone();
        int checkSum = BitConverter.ToInt32(signed, 0x3C) + 24 + 64;
        otherChecksum[checkSum] ^= 0xFF;
        var verifier = Scenarios.Verifier();

        var a = verifier.Verify("u", unsigned, new StrictAnomalySink());
        var b = verifier.Verify("s", signed, new StrictAnomalySink());
        var c = verifier.Verify("c", otherChecksum, new StrictAnomalySink());

        Assert.Equal(a.AuthenticodeSha256, b.AuthenticodeSha256);
        Assert.Equal(a.AuthenticodeSha1, b.AuthenticodeSha1);
        Assert.Equal(b.AuthenticodeSha256, c.AuthenticodeSha256);
        Assert.Equal("signed-other", c.VerdictText);
    }

    [Fact]
    public void Pe32_image_hash_uses_the_pe32_directory_offset()
    {
        byte[] pe = TestPEBuilder.Pe32().WithOverlay([1, 2, 3]).Build();

        var result = Scenarios.Verifier().Verify("pe32.exe", pe, new StrictAnomalySink());

        Assert.Equal(Convert.ToHexString(TestAuthenticode.ImageHash(pe, HashAlgorithmName.SHA256)), result.AuthenticodeSha256);
    }

    [Fact]
    public void Non_pe_file_gets_plain_hashes_only()
    {
        byte[] text = "[Version]\r\nSignature=\"$Windows NT$\"\r\n"u8.ToArray();

        var result = Scenarios.Verifier().Verify("x.inf", text, new StrictAnomalySink());

        Assert.False(result.IsPe);
        Assert.Null(result.AuthenticodeSha256);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(text)), result.Sha256);
        Assert.Equal("not-signed", result.VerdictText);
    }

    [Fact]
    public void Mz_file_with_e_lfanew_past_the_end_is_reported_and_hashed_plain()
    {
        byte[] bytes = new byte[0x40];
        bytes[0] = (byte)'M';
        bytes[1] = (byte)'Z';
        BitConverter.TryWriteBytes(bytes.AsSpan(0x3C), 0x7FFFFFF0);
        var sink = new AnomalyList();

        var result = Scenarios.Verifier().Verify("bad.exe", bytes, sink);

        Assert.False(result.IsPe);
        Assert.Contains(sink.Items, a => a.Code == "SIG0019");
    }
}
