using CsrssForensics.Core.Evidence;
using CsrssForensics.Pe.Tests.Authenticode.Support;

namespace CsrssForensics.Pe.Tests.Authenticode;

public sealed class CertificateTableTests
{
    [Fact]
    public void Second_entry_of_another_type_is_reported_and_makes_the_table_invalid()
    {
        var sink = new AnomalyList();

        var result = Scenarios.Verifier().Verify("multi.exe", Scenarios.Get("multi-entry"), sink);

        // The first signature is still read and verified; the extra, unhashed entry is what makes the file invalid.
        Assert.Contains(sink.Items, a => a.Code == "SIG0008");
        Assert.True(result.Embedded.DigestMatches);
        Assert.True(result.Embedded.SignatureValid);
        Assert.False(result.Embedded.TableWellFormed);
        Assert.Equal("invalid", result.VerdictText);
    }

    [Fact]
    public void Entry_longer_than_the_table_is_a_truncated_entry_and_invalid()
    {
        var sink = new AnomalyList();

        var result = Scenarios.Verifier().Verify("truncated.exe", Scenarios.Get("truncated-entry"), sink);

        var anomaly = Assert.Single(sink.Items, a => a.Code == "SIG0005");
        Assert.NotNull(anomaly.Evidence.Offset);
        Assert.True(result.Embedded.Present);
        Assert.Equal("invalid", result.VerdictText);
    }

    [Fact]
    public void Entry_with_dwLength_below_8_stops_the_reader()
    {
        byte[] unsigned = Scenarios.Get("unsigned");
        byte[] table = new byte[16];
        table[0] = 4;
        var sink = new AnomalyList();

        var result = Scenarios.Verifier().Verify("short.exe", TestAuthenticode.Embed(unsigned, table), sink);

        Assert.Contains(sink.Items, a => a.Code == "SIG0004");
        Assert.Equal("invalid", result.VerdictText);
    }

    [Fact]
    public void Trailing_bytes_after_the_last_entry_are_reported()
    {
        byte[] unsigned = Scenarios.Get("unsigned");
        byte[] signedData = TestAuthenticode.SignPe(unsigned, TestPki.Default.Leaf, [TestPki.Default.Root], System.Security.Cryptography.HashAlgorithmName.SHA256);
        byte[] table = [.. TestAuthenticode.WinCertificate(signedData), 0xAA, 0xBB, 0xCC, 0xDD];
        var sink = new AnomalyList();

        var result = Scenarios.Verifier().Verify("trailing.exe", TestAuthenticode.Embed(unsigned, table), sink);

        Assert.Contains(sink.Items, a => a.Code == "SIG0007");
        Assert.True(result.Embedded.DigestMatches);
        Assert.Equal("invalid", result.VerdictText);
    }

    [Fact]
    public void Non_zero_padding_after_an_entry_is_hidden_data()
    {
        byte[] unsigned = Scenarios.Get("unsigned");
        byte[] signedData = TestAuthenticode.SignPe(unsigned, TestPki.Default.Leaf, [TestPki.Default.Root], System.Security.Cryptography.HashAlgorithmName.SHA256);
        byte[] table = TestAuthenticode.WinCertificate(signedData);
        Assert.NotEqual(0, (8 + signedData.Length) % 8);
        table[^1] = 0x5A;
        var sink = new AnomalyList();

        var result = Scenarios.Verifier().Verify("padding.exe", TestAuthenticode.Embed(unsigned, table), sink);

        Assert.Contains(sink.Items, a => a.Code == "SIG0007");
        Assert.Equal("invalid", result.VerdictText);
    }

    [Fact]
    public void Table_not_at_end_of_file_is_ignored_and_reported()
    {
        var sink = new AnomalyList();

        var result = Scenarios.Verifier().Verify("eof.exe", Scenarios.Get("table-not-at-eof"), sink);

        Assert.Contains(sink.Items, a => a.Code == "SIG0003" && a.Severity == AnomalySeverity.High);
        Assert.True(result.Embedded.Present);
        Assert.Empty(result.Embedded.Signatures);
        Assert.Equal("invalid", result.VerdictText);
    }

    [Fact]
    public void Table_declared_past_end_of_file_is_reported()
    {
        byte[] unsigned = Scenarios.Get("unsigned");
        byte[] pe = TestAuthenticode.Embed(unsigned, new byte[8], declaredSize: 4096);
        var sink = new AnomalyList();

        var result = Scenarios.Verifier().Verify("past.exe", pe, sink);

        Assert.Contains(sink.Items, a => a.Code == "SIG0001");
        Assert.Equal("invalid", result.VerdictText);
    }

    [Fact]
    public void Garbage_in_a_pkcs_entry_is_undecodable_and_invalid()
    {
        byte[] pe = TestAuthenticode.SignedPe(Scenarios.Get("unsigned"), [0x30, 0x03, 0x02, 0x01, 0x01]);
        var sink = new AnomalyList();

        var result = Scenarios.Verifier().Verify("garbage.exe", pe, sink);

        Assert.Contains(sink.Items, a => a.Code == "SIG0010");
        Assert.Equal("invalid", result.VerdictText);
    }
}
