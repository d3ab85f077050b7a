using System.Security.Cryptography;
using System.Text;
using CsrssForensics.Pe.Authenticode;
using CsrssForensics.Pe.Tests.Authenticode.Support;

namespace CsrssForensics.Pe.Tests.Authenticode;

public sealed class ImitationRootsTests
{
    private static readonly DateTimeOffset _epoch = TestPki.Epoch;

    [Theory]
    [InlineData("Microsoft Root Certificate Authority 2011")]
    [InlineData("Microsoft Corporation")]
    [InlineData("MICROSOFT")]
    [InlineData("Micr0soft Root Authority")]
    [InlineData("M\u00EDcrosoft Root Authority")]
    [InlineData("Micr\u043Esoft Root Authority")]
    [InlineData("\u041C\u0456crosoft")]
    [InlineData("Mircosoft Root CA")]
    [InlineData("Microsft Root CA")]
    [InlineData("Rnicrosoft Root CA")]
    [InlineData("Micro-soft Root CA")]
    [InlineData("Micro.soft")]
    public void Names_that_read_as_Microsoft_are_recognised(string name)
    {
        Assert.True(ImitationRoots.ReadsAsMicrosoft(name));
    }

    [Theory]
    [InlineData("DigiCert Global Root CA")]
    [InlineData("Microtek Root")]
    [InlineData("Soft Micro Root")]
    [InlineData("Microchip Technology")]
    [InlineData("Contoso Root Certificate Authority")]
    [InlineData("")]
    public void Other_names_are_not(string name)
    {
        Assert.False(ImitationRoots.ReadsAsMicrosoft(name));
    }

    [Fact]
    public void Self_signed_root_with_a_Microsoft_name_is_found_with_its_thumbprints_store_and_offset()
    {
        var other = TestPki.CreateRoot("CN=Contoso Root, O=Contoso", _epoch, _epoch.AddYears(10));
        var forged = TestPki.CreateRoot("CN=Microsoft Root Certificate Authority 2011, O=Microsoft Corporation", _epoch, _epoch.AddYears(10));
        var pem = TestPki.ToPem(other) + TestPki.ToPem(forged);

        var found = ImitationRoots.Find([("certstores/LocalMachine-Root.pem", Encoding.ASCII.GetBytes(pem))]);

        var root = Assert.Single(found);
        Assert.Equal(forged.GetCertHashString(HashAlgorithmName.SHA256), root.Sha256Thumbprint);
        Assert.Equal(forged.GetCertHashString(HashAlgorithmName.SHA1), root.Sha1Thumbprint);
        Assert.Equal("certstores/LocalMachine-Root.pem", root.StoreFile);
        Assert.Equal(TestPki.ToPem(other).Length, root.Offset);
        Assert.Contains("Microsoft Root Certificate Authority 2011", root.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Organisation_alone_is_enough_and_an_issued_certificate_is_not_a_root()
    {
        var byOrganisation = TestPki.CreateRoot("CN=Code Signing Root, O=Micros0ft", _epoch, _epoch.AddYears(10));
        var issued = TestPki.CreateLeaf(TestPki.Default.Root, "CN=Microsoft Windows, O=Microsoft Corporation", _epoch, _epoch.AddYears(5), TestPki.CodeSigning);
        var pem = TestPki.ToPem(byOrganisation, issued);

        var found = ImitationRoots.Find([("certstores/LocalMachine-CA.pem", Encoding.ASCII.GetBytes(pem))]);

        Assert.Equal(byOrganisation.GetCertHashString(HashAlgorithmName.SHA256), Assert.Single(found).Sha256Thumbprint);
    }

    [Fact]
    public void Pinned_Microsoft_roots_are_never_reported()
    {
        using var stream = typeof(TrustAnchors).Assembly.GetManifestResourceStream("CsrssForensics.Pe.Authenticode.MicrosoftRoots.pem")!;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);

        var found = ImitationRoots.Find([("certstores/LocalMachine-Root.pem", memory.ToArray())]);

        Assert.Empty(found);
    }

    [Fact]
    public void Garbage_and_empty_store_files_give_nothing_and_do_not_throw()
    {
        var files = new (string, byte[])[]
        {
            ("certstores/LocalMachine-Root.pem", []),
            ("certstores/LocalMachine-AuthRoot.pem", Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")),
            ("certstores/LocalMachine-CA.pem", [0xFF, 0x00, 0x2D, 0x2D]),
        };

        Assert.Empty(ImitationRoots.Find(files));
    }
}
