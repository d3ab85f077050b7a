using System.Security.Cryptography;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Pe.Authenticode;
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

        var result = Scenarios.Verifier().Verify("unsigned.exe", pe, new StrictAnomalySink(), VerificationHashes.All);

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

        var a = verifier.Verify("u", unsigned, new StrictAnomalySink(), VerificationHashes.All);
        var b = verifier.Verify("s", signed, new StrictAnomalySink(), VerificationHashes.All);
        var c = verifier.Verify("c", otherChecksum, new StrictAnomalySink(), VerificationHashes.All);

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

    [Fact]
    public void Default_verification_of_a_sha256_signed_pe_skips_sha1_and_plain_sha256_but_reaches_the_same_verdict()
    {
        byte[] pe = Scenarios.Get("signed-sha256");
        var verifier = Scenarios.Verifier();

        var lean = verifier.Verify("s.exe", pe, new StrictAnomalySink());
        var full = verifier.Verify("s.exe", pe, new StrictAnomalySink(), VerificationHashes.All);

        Assert.Null(lean.AuthenticodeSha1);
        Assert.Null(lean.Sha256);
        Assert.Equal(Convert.ToHexString(TestAuthenticode.ImageHash(pe, HashAlgorithmName.SHA256)), lean.AuthenticodeSha256);
        Assert.Equal(Convert.ToHexString(TestAuthenticode.ImageHash(pe, HashAlgorithmName.SHA1)), full.AuthenticodeSha1);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(pe)), full.Sha256);
        Assert.Equal((full.Verdict, full.DecidedBy, full.AuthenticodeSha256), (lean.Verdict, lean.DecidedBy, lean.AuthenticodeSha256));
        Assert.Equal(full.Embedded with { Signatures = [] }, lean.Embedded with { Signatures = [] });
        Assert.Equal<string>(full.Notes, lean.Notes);
    }

    [Fact]
    public void A_sha1_signature_gets_its_sha1_image_hash_computed_on_demand()
    {
        byte[] pe = Scenarios.Get("nested-sha1-sha256");

        var result = Scenarios.Verifier().Verify("n.exe", pe, new StrictAnomalySink());

        Assert.True(result.Embedded.DigestMatches);
        Assert.Equal(Convert.ToHexString(TestAuthenticode.ImageHash(pe, HashAlgorithmName.SHA1)), result.AuthenticodeSha1);
        Assert.Equal(Convert.ToHexString(TestAuthenticode.ImageHash(pe, HashAlgorithmName.SHA256)), result.AuthenticodeSha256);
        Assert.Null(result.Sha256);
    }

    [Fact]
    public void Asking_only_for_the_plain_sha256_of_a_pe_still_yields_the_authenticode_sha256()
    {
        byte[] pe = Scenarios.Get("unsigned");

        var result = Scenarios.Verifier().Verify("u.exe", pe, new StrictAnomalySink(), VerificationHashes.Sha256);

        Assert.Equal(Convert.ToHexString(SHA256.HashData(pe)), result.Sha256);
        Assert.Equal(Convert.ToHexString(TestAuthenticode.ImageHash(pe, HashAlgorithmName.SHA256)), result.AuthenticodeSha256);
        Assert.Null(result.AuthenticodeSha1);
    }
}
