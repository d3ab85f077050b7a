using System.Security.Cryptography;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Pe.Authenticode;
using CsrssForensics.Pe.Tests.Authenticode.Support;
using CsrssForensics.Pe.Tests.Support;

namespace CsrssForensics.Pe.Tests.Authenticode;

public sealed class CatalogTests
{
    private const string Member2 = "1.3.6.1.4.1.311.12.1.3";
    private const string Member1 = "1.3.6.1.4.1.311.12.1.2";

    private static byte[] V2Catalog(byte[] pe)
    {
        byte[] sha256 = TestAuthenticode.ImageHash(pe, HashAlgorithmName.SHA256);
        byte[] sha1 = TestAuthenticode.ImageHash(pe, HashAlgorithmName.SHA1);
        byte[] list = TestAuthenticode.TrustList(
            Member2,
            new TestAuthenticode.Member(sha256, TestAuthenticode.IndirectData(sha256, TestAuthenticode.Sha256Oid), Hint: @"amd64_test\csrss.exe"),
            new TestAuthenticode.Member(sha1));
        return TestAuthenticode.SignCatalog(list, TestPki.Default.Leaf, [TestPki.Default.Root]);
    }

    [Fact]
    public void Unsigned_pe_listed_in_a_v2_catalog_is_signed_through_the_catalog()
    {
        byte[] pe = Scenarios.Get("unsigned");
        var index = CatalogIndex.Build([("test.cat", V2Catalog(pe))], new StrictAnomalySink());

        var result = Scenarios.Verifier(catalogs: index).Verify("csrss.exe", pe, new StrictAnomalySink());

        Assert.Equal(1, index.Count);
        Assert.Equal(SignatureStatus.SignedOther, result.Verdict);
        Assert.Equal(SignatureSource.OfflineCatalog, result.DecidedBy);
        Assert.Equal((true, "test.cat", @"amd64_test\csrss.exe", "idc-sha256", true), (result.Catalog.Matched, result.Catalog.File, result.Catalog.MemberName, result.Catalog.MatchedBy, result.Catalog.CatalogSigned));
        // The same PE is also listed by its SHA-1 tag alone (a second member, as in Windows v2 catalogs).
        Assert.Equal<CatalogHit>(
            [new("test.cat", "idc-sha256", @"amd64_test\csrss.exe"), new("test.cat", "tag-sha1", null), new("test.cat", "tag-sha256", @"amd64_test\csrss.exe")],
            result.Catalog.Hits);
        Assert.True(result.Catalog.Signature!.ChainTrusted);
        Assert.Equal("test.cat", result.ToSignatureEvidence(null).CatalogFile);
    }

    [Fact]
    public void Tag_only_sha1_member_matches_by_the_sha1_image_hash()
    {
        byte[] pe = Scenarios.Get("unsigned");
        byte[] sha1 = TestAuthenticode.ImageHash(pe, HashAlgorithmName.SHA1);
        byte[] catalog = TestAuthenticode.SignCatalog(TestAuthenticode.TrustList(Member2, new TestAuthenticode.Member(sha1)), TestPki.Default.Leaf, [TestPki.Default.Root]);

        var result = Scenarios.Verifier(catalogs: CatalogIndex.Build([("sha1.cat", catalog)], new StrictAnomalySink())).Verify("a.exe", pe, new StrictAnomalySink());

        Assert.True(result.Catalog.Matched);
        Assert.Equal("tag-sha1", result.Catalog.MatchedBy);
    }

    [Fact]
    public void Flat_file_in_a_v1_catalog_matches_by_its_plain_sha1_and_utf16_tag()
    {
        byte[] inf = "[Version]\r\nSignature=\"$Windows NT$\"\r\nClass=System\r\n"u8.ToArray();
        byte[] sha1 = CryptographicOperations.HashData(HashAlgorithmName.SHA1, inf);
        byte[] idcCatalog = TestAuthenticode.SignCatalog(
            TestAuthenticode.TrustList(Member1, new TestAuthenticode.Member(TestAuthenticode.Utf16HexTag(sha1), TestAuthenticode.IndirectData(sha1, TestAuthenticode.Sha1Oid, TestAuthenticode.SpcFlatFileData), File: "driver.inf")),
            TestPki.Default.Leaf, [TestPki.Default.Root]);
        byte[] tagCatalog = TestAuthenticode.SignCatalog(
            TestAuthenticode.TrustList(Member1, new TestAuthenticode.Member(TestAuthenticode.Utf16HexTag(sha1), File: "driver.inf")),
            TestPki.Default.Leaf, [TestPki.Default.Root]);

        var viaIdc = Scenarios.Verifier(catalogs: CatalogIndex.Build([("v1.cat", idcCatalog)], new StrictAnomalySink())).Verify("driver.inf", inf, new StrictAnomalySink());
        var viaTag = Scenarios.Verifier(catalogs: CatalogIndex.Build([("tag.cat", tagCatalog)], new StrictAnomalySink())).Verify("driver.inf", inf, new StrictAnomalySink());

        Assert.Equal(("driver.inf", SignatureStatus.SignedOther), (viaIdc.Catalog.MemberName, viaIdc.Verdict));
        Assert.Contains(viaIdc.Catalog.MatchedBy, new[] { "idc-sha1", "tag-utf16-sha1" });
        Assert.Equal("tag-utf16-sha1", viaTag.Catalog.MatchedBy);
    }

    [Fact]
    public void Pe_member_hash_does_not_match_a_flat_file_with_the_same_bytes_hash()
    {
        byte[] pe = Scenarios.Get("unsigned");
        byte[] plain = SHA256.HashData(pe);
        byte[] catalog = TestAuthenticode.SignCatalog(
            TestAuthenticode.TrustList(Member2, new TestAuthenticode.Member(new byte[] { 1, 2, 3 }, TestAuthenticode.IndirectData(plain, TestAuthenticode.Sha256Oid, TestAuthenticode.SpcFlatFileData))),
            TestPki.Default.Leaf, [TestPki.Default.Root]);

        var result = Scenarios.Verifier(catalogs: CatalogIndex.Build([("flat.cat", catalog)], new StrictAnomalySink())).Verify("a.exe", pe, new StrictAnomalySink());

        Assert.False(result.Catalog.Matched);
        Assert.Equal(SignatureStatus.NotSigned, result.Verdict);
    }

    [Fact]
    public void Tampered_file_is_not_found_in_the_catalog()
    {
        byte[] pe = Scenarios.Get("unsigned");
        byte[] tampered = (byte[])pe.Clone();
        tampered[0x210] ^= 1;

        var result = Scenarios.Verifier(catalogs: CatalogIndex.Build([("test.cat", V2Catalog(pe))], new StrictAnomalySink())).Verify("csrss.exe", tampered, new StrictAnomalySink());

        Assert.False(result.Catalog.Matched);
        Assert.Equal(SignatureStatus.NotSigned, result.Verdict);
    }

    [Fact]
    public void Unsigned_catalog_membership_proves_nothing()
    {
        byte[] pe = Scenarios.Get("unsigned");
        byte[] sha256 = TestAuthenticode.ImageHash(pe, HashAlgorithmName.SHA256);
        byte[] catalog = TestAuthenticode.UnsignedCatalog(TestAuthenticode.TrustList(Member2, new TestAuthenticode.Member(sha256, TestAuthenticode.IndirectData(sha256, TestAuthenticode.Sha256Oid))));
        var sink = new AnomalyList();

        var result = Scenarios.Verifier(catalogs: CatalogIndex.Build([("unsigned.cat", catalog)], sink)).Verify("a.exe", pe, new StrictAnomalySink());

        Assert.Contains(sink.Items, a => a.Code == "SIG0017");
        Assert.True(result.Catalog.Matched);
        Assert.False(result.Catalog.CatalogSigned);
        Assert.Equal(SignatureStatus.NotSigned, result.Verdict);
    }

    [Fact]
    public void Catalog_signed_under_an_attacker_root_is_not_microsoft()
    {
        byte[] pe = Scenarios.Get("unsigned");
        byte[] sha256 = TestAuthenticode.ImageHash(pe, HashAlgorithmName.SHA256);
        byte[] catalog = TestAuthenticode.SignCatalog(
            TestAuthenticode.TrustList(Member2, new TestAuthenticode.Member(sha256, TestAuthenticode.IndirectData(sha256, TestAuthenticode.Sha256Oid))),
            TestPki.Default.ForgedMicrosoft, [TestPki.Default.AttackerRoot]);

        var result = Scenarios.Verifier(Scenarios.TestAnchors(withAttackerRoot: true), CatalogIndex.Build([("evil.cat", catalog)], new StrictAnomalySink()))
            .Verify("csrss.exe", pe, new StrictAnomalySink());

        Assert.Equal(SignatureStatus.SignedOther, result.Verdict);
        Assert.False(result.Catalog.Signature!.MicrosoftRoot);
    }

    [Fact]
    public void Malformed_catalogs_are_reported_and_left_out()
    {
        var sink = new AnomalyList();

        var index = CatalogIndex.Build([("junk.cat", new byte[] { 0x30, 0x80, 0xFF }), ("empty.cat", Array.Empty<byte>())], sink);

        Assert.Equal(0, index.Count);
        Assert.Equal(2, sink.Items.Count(a => a.Code == "SIG0016"));
    }

    [Fact]
    public void One_index_over_many_catalogs_finds_each_member_in_its_own_catalog()
    {
        var catalogs = new List<(string, ReadOnlyMemory<byte>)>();
        var files = new List<byte[]>();
        for (int i = 0; i < 40; i++)
        {
            byte[] pe = TestAuthenticode.UnsignedPe($"file{i}");
            byte[] sha256 = TestAuthenticode.ImageHash(pe, HashAlgorithmName.SHA256);
            files.Add(pe);
            catalogs.Add(($"c{i:D3}.cat", TestAuthenticode.SignCatalog(
                TestAuthenticode.TrustList(Member2, new TestAuthenticode.Member(sha256, TestAuthenticode.IndirectData(sha256, TestAuthenticode.Sha256Oid))),
                TestPki.Default.Leaf, [TestPki.Default.Root])));
        }

        var index = CatalogIndex.Build(catalogs, new StrictAnomalySink());
        var verifier = Scenarios.Verifier(catalogs: index);

        Assert.Equal(40, index.Count);
        for (int i = 0; i < files.Count; i++)
        {
            Assert.Equal($"c{i:D3}.cat", verifier.Verify($"f{i}", files[i], new StrictAnomalySink()).Catalog.File);
        }

        Assert.Equal(1, verifier.Statistics.ChainBuilds);
    }

    [Fact]
    public void Catalog_given_as_input_verifies_its_own_signature()
    {
        byte[] catalog = V2Catalog(Scenarios.Get("unsigned"));

        var result = Scenarios.Verifier().Verify("test.cat", catalog, new StrictAnomalySink());

        Assert.False(result.IsPe);
        Assert.True(result.Embedded.Present);
        Assert.Equal(SignatureStatus.SignedOther, result.Verdict);
    }
}
