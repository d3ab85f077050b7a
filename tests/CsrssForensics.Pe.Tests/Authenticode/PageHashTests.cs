using System.Security.Cryptography;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Pe.Authenticode;
using CsrssForensics.Pe.Tests.Authenticode.Support;

namespace CsrssForensics.Pe.Tests.Authenticode;

/// <summary>Page hashes (SpcPeImageData's page hash link): osslsigncode -ph makes them, and both sides must agree.</summary>
public sealed class PageHashTests
{
    private const string Sha256PageHashes = "1.3.6.1.4.1.311.2.3.2";

    [Theory]
    [InlineData("sha256")]
    [InlineData("sha1")]
    public void Page_hashes_written_by_osslsigncode_match_ours(string algorithm)
    {
        using var temp = new TempFolder();
        TestPkiSet pki = TestPki.Default;
        string input = temp.Write("in.exe", TestAuthenticode.UnsignedPe("page-hashes"));
        string output = Path.Combine(temp.Path, "out.exe");
        string log = OsslSignCode.Run(["sign", "-ph", "-h", algorithm, "-certs", temp.Write("l.pem", TestPki.ToPem(pki.Leaf)), "-key", temp.Write("l.key", TestPki.KeyPem(pki.Leaf)), "-in", input, "-out", output]);
        Assert.True(File.Exists(output), log);

        var sink = new AnomalyList();
        FileVerification ours = Scenarios.Verifier().Verify("out.exe", File.ReadAllBytes(output), sink);

        SignatureCheck signature = Assert.Single(ours.Embedded.Signatures);
        Assert.True(signature.PageHashesMatch, string.Join("; ", sink.Items.Select(static a => a.Message)));
        Assert.Equal(SignatureStatus.SignedOther, ours.Verdict);
        Assert.DoesNotContain(sink.Items, static a => a.Code == "SIG0023");
    }

    [Fact]
    public void A_signed_page_table_that_does_not_match_the_file_fails_here_and_in_osslsigncode()
    {
        byte[] unsigned = TestAuthenticode.UnsignedPe("page-mismatch");
        byte[] table = ExpectedTable(unsigned);
        byte[] wrong = (byte[])table.Clone();
        wrong[4 + 36 + 4] ^= 0x01; // a byte of the second entry's hash (first section page)

        (FileVerification good, string goodReferee) = SignWithTable(unsigned, table);
        (FileVerification bad, string badReferee) = SignWithTable(unsigned, wrong);

        Assert.True(Assert.Single(good.Embedded.Signatures).PageHashesMatch);
        Assert.Equal(SignatureStatus.SignedOther, good.Verdict);
        Assert.Contains("Succeeded", goodReferee, StringComparison.Ordinal);
        Assert.False(Assert.Single(bad.Embedded.Signatures).PageHashesMatch);
        Assert.Equal(SignatureStatus.Invalid, bad.Verdict);
        Assert.DoesNotContain("\nSucceeded", badReferee, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_that_is_not_whole_entries_is_a_named_anomaly_not_an_exception()
    {
        byte[] unsigned = TestAuthenticode.UnsignedPe("page-ragged");
        byte[] ragged = ExpectedTable(unsigned)[..^3];
        var sink = new AnomalyList();

        FileVerification result = Scenarios.Verifier().Verify("ragged.exe", Signed(unsigned, ragged), sink);

        Assert.Equal(SignatureStatus.Invalid, result.Verdict);
        Assert.Contains(sink.Items, static a => a.Code == "SIG0023" && a.Message.Contains("whole number", StringComparison.Ordinal));
    }

    [Fact]
    public void A_signer_asking_for_one_hash_per_byte_gets_a_mismatch_without_the_work()
    {
        byte[] unsigned = TestAuthenticode.UnsignedPe("page-tiny");
        byte[] table = ExpectedTable(unsigned);
        int optional = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(unsigned.AsSpan(0x3C)) + 24;
        byte[] tiny = (byte[])unsigned.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(tiny.AsSpan(optional + 32), 1); // SectionAlignment = 1 byte "pages"
        var sink = new AnomalyList();

        FileVerification result = Scenarios.Verifier().Verify("tiny.exe", Signed(tiny, table), sink);

        Assert.Equal(SignatureStatus.Invalid, result.Verdict);
        Assert.Contains(sink.Items, static a => a.Code == "SIG0023" && a.Message.Contains("do not describe pages", StringComparison.Ordinal));
    }

    /// <summary>The production table for this file; osslsigncode agreeing with it is what the tests above check.</summary>
    private static byte[] ExpectedTable(byte[] unsigned)
    {
        var file = new FileContent.InMemory(unsigned);
        Assert.True(AuthenticodeLayout.TryRead(file, "t", new AnomalyList(), out AuthenticodeLayout layout));
        return PageHasher.Compute(file, layout, HashAlgorithmName.SHA256, int.MaxValue, out string? problem) ?? throw new InvalidOperationException(problem);
    }

    private static byte[] Signed(byte[] unsigned, byte[] table)
    {
        TestPkiSet pki = TestPki.Default;
        byte[] indirect = TestAuthenticode.IndirectData(TestAuthenticode.ImageHash(unsigned, HashAlgorithmName.SHA256), TestAuthenticode.Sha256Oid, pageHashes: (Sha256PageHashes, table));
        byte[] signature = TestAuthenticode.Sign(TestAuthenticode.SpcIndirectData, indirect, pki.Leaf, [pki.Root], HashAlgorithmName.SHA256);
        return TestAuthenticode.SignedPe(unsigned, signature);
    }

    private static (FileVerification Ours, string Referee) SignWithTable(byte[] unsigned, byte[] table)
    {
        using var temp = new TempFolder();
        byte[] signed = Signed(unsigned, table);
        string file = temp.Write("signed.exe", signed);
        FileVerification ours = Scenarios.Verifier().Verify("signed.exe", signed, new AnomalyList());
        return (ours, OsslSignCode.Verify(file, temp.Write("root.pem", TestPki.ToPem(TestPki.Default.Root))).Output);
    }
}
