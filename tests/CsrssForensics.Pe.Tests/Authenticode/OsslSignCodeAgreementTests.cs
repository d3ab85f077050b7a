using System.Security.Cryptography;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Pe.Authenticode;
using CsrssForensics.Pe.Tests.Authenticode.Support;
using CsrssForensics.Pe.Tests.Support;

namespace CsrssForensics.Pe.Tests.Authenticode;

/// <summary>osslsigncode 2.9 is the referee: same digest, same yes/no on every fixture PE.</summary>
public sealed class OsslSignCodeAgreementTests
{
    public static TheoryData<string> ScenarioNames() => Scenarios.Names();

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public void Generated_fixture_digest_and_verdict_agree_with_osslsigncode(string name)
    {
        using var temp = new TempFolder();
        byte[] bytes = Scenarios.Get(name);
        string file = temp.Write(name + ".exe", bytes);
        string roots = temp.Write("roots.pem", TestPki.ToPem(TestPki.Default.Root, TestPki.Default.AttackerRoot));
        var ours = Scenarios.Verifier(Scenarios.TestAnchors(withAttackerRoot: true)).Verify(name, bytes, new AnomalyList());

        var referee = OsslSignCode.Verify(file, roots);

        bool oursSucceeds = ours.Verdict is SignatureStatus.MicrosoftSigned or SignatureStatus.SignedOther && ours.Embedded.ChainTrusted;
        Assert.True(oursSucceeds == referee.Succeeded, $"ours: {ours.VerdictText} trusted={ours.Embedded.ChainTrusted}; osslsigncode:\n{referee.Output}");
        if (referee.CalculatedDigest is not null)
        {
            SignatureCheck primary = ours.Embedded.Signatures[0];
            string expected = primary.DigestAlgorithm == "SHA1" ? ours.AuthenticodeSha1! : ours.AuthenticodeSha256!;
            Assert.Equal(referee.CalculatedDigest, expected, ignoreCase: true);
        }
        else
        {
            if (referee.Output.Contains("Corrupted attribute certificate table", StringComparison.Ordinal))
            {
                // osslsigncode refuses tables with extra entries before hashing; we read them and call the file invalid.
                Assert.False(ours.Embedded.TableWellFormed);
                return;
            }

            // osslsigncode prints no digest for an unsigned or unusable table: sign a copy with it and compare.
            Assert.True(referee.NoSignature, referee.Output);
            Assert.Equal(SigningReferee(temp, bytes), ours.AuthenticodeSha256);
        }
    }

    [Theory]
    [InlineData(SigFixtures.SystemBuffers)]
    [InlineData(SigFixtures.SystemAppContext)]
    public void Committed_runtime_dll_agrees_with_osslsigncode_on_pinned_roots(string fixture)
    {
        using var temp = new TempFolder();
        string roots = temp.Write("ms.pem", ReadEmbeddedRoots());
        byte[] bytes = SigFixtures.Read(fixture);
        var ours = new AuthenticodeVerifier(TrustAnchors.PinnedMicrosoftOnly(), CatalogIndex.Empty, TestPki.CollectionTime).Verify(fixture, bytes, new StrictAnomalySink());

        var referee = OsslSignCode.Verify(SigFixtures.PathOf(fixture), roots);

        Assert.True(referee.Succeeded, referee.Output);
        Assert.Equal(SignatureStatus.MicrosoftSigned, ours.Verdict);
        Assert.Equal(referee.CalculatedDigest, ours.AuthenticodeSha256, ignoreCase: true);
    }

    [Fact]
    public void Pe_signed_by_osslsigncode_in_pkcs7_form_verifies_and_digests_agree()
    {
        using var temp = new TempFolder();
        TestPkiSet pki = TestPki.Default;
        string unsignedFile = temp.Write("in.exe", Scenarios.Get("unsigned"));
        string leaf = temp.Write("leaf.pem", TestPki.ToPem(pki.Leaf, pki.Root));
        string key = temp.Write("leaf.key", TestPki.KeyPem(pki.Leaf));
        string tsa = temp.Write("tsa.pem", TestPki.ToPem(pki.Tsa, pki.Root));
        string tsaKey = temp.Write("tsa.key", TestPki.KeyPem(pki.Tsa));
        string signedFile = Path.Combine(temp.Path, "out.exe");
        string nestedFile = Path.Combine(temp.Path, "nested.exe");
        long signingTime = TestPki.Epoch.AddMonths(6).ToUnixTimeSeconds();
        OsslSignCode.Run(["sign", "-certs", leaf, "-key", key, "-h", "sha1", "-TSA-certs", tsa, "-TSA-key", tsaKey, "-TSA-time", $"{signingTime}", "-time", $"{signingTime}", "-in", unsignedFile, "-out", signedFile]);
        OsslSignCode.Run(["sign", "-nest", "-certs", leaf, "-key", key, "-h", "sha256", "-in", signedFile, "-out", nestedFile]);
        string roots = temp.Write("root.pem", TestPki.ToPem(pki.Root));
        Assert.True(File.Exists(nestedFile), "osslsigncode did not write the nested file");

        var ours = Scenarios.Verifier().Verify("nested.exe", File.ReadAllBytes(nestedFile), new StrictAnomalySink());
        var referee = OsslSignCode.Verify(nestedFile, roots);

        Assert.True(referee.Succeeded, referee.Output);
        Assert.Equal(SignatureStatus.SignedOther, ours.Verdict);
        Assert.Equal(1, ours.Embedded.NestedCount);
        Assert.All(ours.Embedded.Signatures, s => Assert.True(s.Intact && s.ChainTrusted));
        Assert.Equal("rfc3161", ours.Embedded.Signatures[0].TimestampKind);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(signingTime), ours.Embedded.Signatures[0].TimestampUtc);
        Assert.Contains(ours.AuthenticodeSha1!, referee.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(ours.AuthenticodeSha256!, referee.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Generated_catalog_membership_agrees_with_osslsigncode()
    {
        using var temp = new TempFolder();
        byte[] pe = Scenarios.Get("unsigned");
        byte[] sha256 = TestAuthenticode.ImageHash(pe, HashAlgorithmName.SHA256);
        byte[] catalog = TestAuthenticode.SignCatalog(
            TestAuthenticode.TrustList("1.3.6.1.4.1.311.12.1.3", new TestAuthenticode.Member(sha256, TestAuthenticode.IndirectData(sha256, TestAuthenticode.Sha256Oid))),
            TestPki.Default.Leaf, [TestPki.Default.Root]);
        string catalogFile = temp.Write("test.cat", catalog);
        string file = temp.Write("member.exe", pe);
        string roots = temp.Write("root.pem", TestPki.ToPem(TestPki.Default.Root));
        var ours = Scenarios.Verifier(catalogs: CatalogIndex.Build([("test.cat", catalog)], new StrictAnomalySink())).Verify("member.exe", pe, new StrictAnomalySink());

        var referee = OsslSignCode.Verify(file, roots, catalogFile);

        Assert.True(referee.Succeeded, referee.Output);
        Assert.Equal(SignatureStatus.SignedOther, ours.Verdict);
        Assert.True(ours.Catalog.Matched);
        Assert.Equal(referee.CalculatedDigest, ours.AuthenticodeSha256, ignoreCase: true);
    }

    /// <summary>The image hash osslsigncode computes for an unsigned (or table-stripped) file: sign a copy, read its digest.</summary>
    private static string SigningReferee(TempFolder temp, byte[] bytes)
    {
        TestPkiSet pki = TestPki.Default;
        string input = temp.Write("referee-in.exe", bytes);
        string output = Path.Combine(temp.Path, "referee-out.exe");
        OsslSignCode.Run(["remove-signature", "-in", input, "-out", input + ".stripped"]);
        string source = File.Exists(input + ".stripped") ? input + ".stripped" : input;
        OsslSignCode.Run(["sign", "-certs", temp.Write("l.pem", TestPki.ToPem(pki.Leaf)), "-key", temp.Write("l.key", TestPki.KeyPem(pki.Leaf)), "-h", "sha256", "-in", source, "-out", output]);
        var verified = OsslSignCode.Verify(output, temp.Write("r.pem", TestPki.ToPem(pki.Root)));
        Assert.True(verified.CalculatedDigest is not null, verified.Output);
        return verified.CalculatedDigest!.ToUpperInvariant();
    }

    private static string ReadEmbeddedRoots()
    {
        using Stream stream = typeof(TrustAnchors).Assembly.GetManifestResourceStream("CsrssForensics.Pe.Authenticode.MicrosoftRoots.pem")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
