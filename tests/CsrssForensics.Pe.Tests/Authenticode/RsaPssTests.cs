using System.Formats.Asn1;
using System.Security.Cryptography;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Pe.Authenticode;
using CsrssForensics.Pe.Tests.Authenticode.Support;

namespace CsrssForensics.Pe.Tests.Authenticode;

public sealed class RsaPssTests
{
    private const string Sha1 = "1.3.14.3.2.26";
    private const string Sha256 = "2.16.840.1.101.3.4.2.1";

    [Fact]
    public void Absent_parameters_mean_sha1_with_a_20_byte_salt()
    {
        Assert.Null(RsaPss.Unsupported(ReadOnlyMemory<byte>.Empty, HashAlgorithmName.SHA1));
        Assert.Contains("not the signer's digest", RsaPss.Unsupported(ReadOnlyMemory<byte>.Empty, HashAlgorithmName.SHA256), StringComparison.Ordinal);
    }

    [Fact]
    public void Sha256_with_mgf1_sha256_and_a_32_byte_salt_is_supported()
    {
        Assert.Null(RsaPss.Unsupported(Parameters(Sha256, Sha256, 32, 1), HashAlgorithmName.SHA256));
    }

    [Theory]
    [InlineData(Sha256, Sha256, 20, 1, "salt length 20")]
    [InlineData(Sha256, Sha1, 32, 1, "mask generation")]
    [InlineData(Sha256, Sha256, 32, 2, "trailer field 2")]
    [InlineData(Sha1, Sha1, 20, 1, "not the signer's digest")]
    public void Other_parameter_sets_are_named_as_unsupported(string hash, string mgfHash, int salt, int trailer, string reason)
    {
        string? problem = RsaPss.Unsupported(Parameters(hash, mgfHash, salt, trailer), HashAlgorithmName.SHA256);

        Assert.NotNull(problem);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_parameters_are_a_reason_not_an_exception()
    {
        Assert.Contains("malformed", RsaPss.Unsupported(new byte[] { 0x30, 0x05, 0xA0, 0x10 }, HashAlgorithmName.SHA256), StringComparison.Ordinal);
    }

    [Fact]
    public void Signer_signature_with_pss_padding_verifies_offline()
    {
        var result = Scenarios.Verifier().Verify("pss.exe", Scenarios.Get("signed-pss"), new CsrssForensics.Pe.Tests.Support.StrictAnomalySink());

        Assert.True(result.Embedded.SignatureValid);
        Assert.True(result.Embedded.ChainTrusted);
    }

    [Fact]
    public void Pss_signature_agrees_with_openssl_cms_and_a_flipped_bit_fails_both()
    {
        TestPkiSet pki = TestPki.Default;
        byte[] unsignedPe = TestAuthenticode.UnsignedPe("pss-referee");
        byte[] good = TestAuthenticode.SignPe(unsignedPe, pki.Leaf, [pki.Root], HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        byte[] bad = (byte[])good.Clone();
        bad[^1] ^= 0x01; // SignedCms ends with the signer's signature value

        foreach ((byte[] signature, bool expected) in new[] { (good, true), (bad, false) })
        {
            using var temp = new TempFolder();
            string file = temp.Write("pss.p7", signature);
            (int exitCode, string output) = OpenSsl.Run("cms", "-verify", "-inform", "DER", "-in", file, "-noverify", "-out", Path.Combine(temp.Path, "content.bin"));
            var ours = Scenarios.Verifier().Verify("pss.exe", TestAuthenticode.SignedPe(unsignedPe, signature), new AnomalyList());

            Assert.True((exitCode == 0) == expected, $"openssl cms: exit {exitCode}\n{output}");
            Assert.Equal(expected, ours.Embedded.SignatureValid);
        }
    }

    /// <summary>RSASSA-PSS-params with every field written out (RFC 4055 section 3.1).</summary>
    private static byte[] Parameters(string hash, string mgfHash, int salt, int trailer)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
            {
                WriteAlgorithm(writer, hash);
            }

            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, true)))
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.2.840.113549.1.1.8");
                WriteAlgorithm(writer, mgfHash);
            }

            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2, true)))
            {
                writer.WriteInteger(salt);
            }

            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 3, true)))
            {
                writer.WriteInteger(trailer);
            }
        }

        return writer.Encode();
    }

    private static void WriteAlgorithm(AsnWriter writer, string oid)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            writer.WriteNull();
        }
    }
}
