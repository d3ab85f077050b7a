using System.Security.Cryptography;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Pe.Authenticode;
using CsrssForensics.Pe.Tests.Authenticode.Support;
using CsrssForensics.Pe.Tests.Support;

namespace CsrssForensics.Pe.Tests.Authenticode;

public sealed class EmbeddedSignatureTests
{
    [Theory]
    [InlineData("signed-sha256", "SHA256")]
    [InlineData("signed-sha1", "SHA1")]
    [InlineData("signed-pss", "SHA256")]
    public void Signature_by_a_trusted_test_root_is_signed_other(string name, string algorithm)
    {
        var result = Scenarios.Verifier().Verify(name, Scenarios.Get(name), new StrictAnomalySink());

        Assert.Equal(SignatureStatus.SignedOther, result.Verdict);
        Assert.Equal(SignatureSource.OfflineEmbedded, result.DecidedBy);
        Assert.True(result.Embedded.DigestMatches);
        Assert.True(result.Embedded.SignatureValid);
        Assert.True(result.Embedded.ChainTrusted);
        Assert.False(result.Embedded.MicrosoftRoot);
        Assert.Equal(TestPki.Default.Leaf.Subject, result.Embedded.SignerSubject);
        Assert.Equal(TestPki.Default.Root.Subject, result.Embedded.RootSubject);
        Assert.Equal(algorithm, Assert.Single(result.Embedded.Signatures).DigestAlgorithm);
        Assert.True(result.ToSignatureEvidence(null).ChainTrusted);
    }

    [Fact]
    public void Same_signature_without_the_test_root_is_intact_but_untrusted()
    {
        var sink = new AnomalyList();
        var verifier = new AuthenticodeVerifier(TrustAnchors.PinnedMicrosoftOnly(), CatalogIndex.Empty, TestPki.CollectionTime);

        var result = verifier.Verify("s.exe", Scenarios.Get("signed-sha256"), sink);

        Assert.Equal(SignatureStatus.SignedOther, result.Verdict);
        Assert.False(result.Embedded.ChainTrusted);
        Assert.False(result.ToSignatureEvidence(null).ChainTrusted);
        Assert.Contains(sink.Items, a => a.Code == "SIG0015");
    }

    [Fact]
    public void One_byte_tampered_copy_is_invalid()
    {
        var sink = new AnomalyList();

        var result = Scenarios.Verifier().Verify("t.exe", Scenarios.Get("tampered"), sink);

        Assert.Equal(SignatureStatus.Invalid, result.Verdict);
        Assert.False(result.Embedded.DigestMatches);
        Assert.True(result.Embedded.SignatureValid);
        Assert.Contains(sink.Items, a => a.Code == "SIG0011");
    }

    [Fact]
    public void Microsoft_named_leaf_under_an_attacker_root_is_never_microsoft_signed()
    {
        byte[] pe = Scenarios.Get("forged-microsoft");

        var trustedAttacker = Scenarios.Verifier(Scenarios.TestAnchors(withAttackerRoot: true)).Verify("f.exe", pe, new StrictAnomalySink());
        var pinnedOnly = new AuthenticodeVerifier(TrustAnchors.PinnedMicrosoftOnly(), CatalogIndex.Empty, TestPki.CollectionTime).Verify("f.exe", pe, new AnomalyList());

        Assert.StartsWith("CN=Microsoft Windows,", trustedAttacker.Embedded.SignerSubject, StringComparison.Ordinal);
        Assert.Equal(SignatureStatus.SignedOther, trustedAttacker.Verdict);
        Assert.True(trustedAttacker.Embedded.ChainTrusted);
        Assert.False(trustedAttacker.Embedded.MicrosoftRoot);
        Assert.Equal(SignatureStatus.SignedOther, pinnedOnly.Verdict);
        Assert.False(pinnedOnly.Embedded.ChainTrusted);
    }

    [Fact]
    public void Expired_leaf_without_timestamp_is_not_trusted_at_collection_time()
    {
        var sink = new AnomalyList();

        var result = Scenarios.Verifier().Verify("e.exe", Scenarios.Get("expired-no-timestamp"), sink);

        Assert.True(result.Embedded.SignatureValid);
        Assert.False(result.Embedded.ChainTrusted);
        Assert.Null(result.Embedded.TimestampUtc);
        Assert.Contains("NotTimeValid", Assert.Single(result.Embedded.Signatures).Problems);
    }

    [Theory]
    [InlineData("expired-rfc3161", "rfc3161")]
    [InlineData("expired-countersignature", "countersignature")]
    public void Expired_leaf_is_trusted_when_a_valid_timestamp_shows_it_signed_while_valid(string name, string kind)
    {
        var result = Scenarios.Verifier().Verify(name, Scenarios.Get(name), new StrictAnomalySink());

        SignatureCheck signature = Assert.Single(result.Embedded.Signatures);
        Assert.Equal(kind, signature.TimestampKind);
        Assert.True(signature.TimestampValid);
        Assert.Equal(TestPki.Epoch.AddMonths(3), result.Embedded.TimestampUtc);
        Assert.Equal(TestPki.Epoch.AddMonths(3), signature.VerificationTimeUtc);
        Assert.True(result.Embedded.ChainTrusted);
        Assert.Equal(SignatureStatus.SignedOther, result.Verdict);
    }

    [Fact]
    public void Timestamp_copied_from_another_signature_does_not_count()
    {
        TestPkiSet pki = TestPki.Default;
        byte[] unsigned = Scenarios.Get("unsigned");
        byte[] stampedOther = TestAuthenticode.AddRfc3161Timestamp(
            TestAuthenticode.SignPe(unsigned, pki.Leaf, [pki.Root], HashAlgorithmName.SHA256), pki.Tsa, [pki.Root], TestPki.Epoch.AddMonths(3));
        var donor = new System.Security.Cryptography.Pkcs.SignedCms();
        donor.Decode(stampedOther);
        var token = donor.SignerInfos[0].UnsignedAttributes[0].Values[0];
        var target = new System.Security.Cryptography.Pkcs.SignedCms();
        target.Decode(TestAuthenticode.SignPe(unsigned, pki.ExpiredLeaf, [pki.Root], HashAlgorithmName.SHA256));
        target.SignerInfos[0].AddUnsignedAttribute(token);
        var sink = new AnomalyList();

        var result = Scenarios.Verifier().Verify("x.exe", TestAuthenticode.SignedPe(unsigned, target.Encode()), sink);

        Assert.Contains(sink.Items, a => a.Code == "SIG0014" && a.Message.Contains("messageImprint", StringComparison.Ordinal));
        Assert.Null(result.Embedded.TimestampUtc);
        Assert.False(result.Embedded.ChainTrusted);
    }

    [Fact]
    public void Nested_signatures_are_all_verified()
    {
        var result = Scenarios.Verifier().Verify("n.exe", Scenarios.Get("nested-sha1-sha256"), new StrictAnomalySink());

        Assert.Equal(1, result.Embedded.NestedCount);
        Assert.Collection(
            result.Embedded.Signatures,
            primary => Assert.Equal(("SHA1", 0, true), (primary.DigestAlgorithm, primary.Depth, primary.Intact)),
            nested => Assert.Equal(("SHA256", 1, true), (nested.DigestAlgorithm, nested.Depth, nested.Intact)));
    }

    [Fact]
    public void Nested_signature_over_another_file_makes_the_file_invalid()
    {
        TestPkiSet pki = TestPki.Default;
        byte[] unsigned = Scenarios.Get("unsigned");
        byte[] other = TestAuthenticode.UnsignedPe("other-file");
        byte[] primary = TestAuthenticode.SignPe(unsigned, pki.Leaf, [pki.Root], HashAlgorithmName.SHA1);
        byte[] foreign = TestAuthenticode.SignPe(other, pki.Leaf, [pki.Root], HashAlgorithmName.SHA256);
        var sink = new AnomalyList();

        var result = Scenarios.Verifier().Verify("n.exe", TestAuthenticode.SignedPe(unsigned, TestAuthenticode.AddNested(primary, foreign)), sink);

        Assert.False(result.Embedded.DigestMatches);
        Assert.Equal(SignatureStatus.Invalid, result.Verdict);
        Assert.Contains(sink.Items, a => a.Code == "SIG0011" && a.Evidence.Detail == "nested signature level 1");
    }

    [Theory]
    [InlineData(SigFixtures.SystemBuffers)]
    [InlineData(SigFixtures.SystemAppContext)]
    public void Runtime_dll_signed_by_microsoft_verifies_with_pinned_roots_only(string fixture)
    {
        var verifier = new AuthenticodeVerifier(TrustAnchors.PinnedMicrosoftOnly(), CatalogIndex.Empty, TestPki.CollectionTime);

        var result = verifier.Verify(fixture, SigFixtures.Read(fixture), new StrictAnomalySink());

        Assert.Equal(SignatureStatus.MicrosoftSigned, result.Verdict);
        Assert.Equal("CN=.NET, O=Microsoft Corporation, L=Redmond, S=Washington, C=US", result.Embedded.SignerSubject);
        Assert.Equal("847DF6A78497943F27FC72EB93F9A637320A02B561D0A91B09E87A7807ED7C61", result.Embedded.RootSha256Thumbprint);
        Assert.NotNull(result.Embedded.TimestampUtc);
        SignatureEvidence evidence = result.ToSignatureEvidence("Valid");
        Assert.Equal(SignatureStatus.MicrosoftSigned, evidence.Status);
        Assert.Equal(SignatureSource.OfflineEmbedded, evidence.Source);
        Assert.Equal("Valid", evidence.HostStatus);
        Assert.Equal(result.AuthenticodeSha256, evidence.AuthenticodeSha256);
    }

    [Fact]
    public void Runtime_dll_with_one_flipped_byte_is_invalid()
    {
        byte[] bytes = SigFixtures.Read(SigFixtures.SystemBuffers);
        bytes[0x400] ^= 0x20;
        var verifier = new AuthenticodeVerifier(TrustAnchors.PinnedMicrosoftOnly(), CatalogIndex.Empty, TestPki.CollectionTime);

        var result = verifier.Verify("flipped.dll", bytes, new AnomalyList());

        Assert.Equal(SignatureStatus.Invalid, result.Verdict);
    }

    [Fact]
    public void Many_files_with_the_same_signer_build_the_chain_once()
    {
        var verifier = Scenarios.Verifier();
        byte[] signed = Scenarios.Get("signed-sha256");

        for (int i = 0; i < 25; i++)
        {
            Assert.Equal(SignatureStatus.SignedOther, verifier.Verify($"f{i}.exe", signed, new StrictAnomalySink()).Verdict);
        }

        Assert.Equal(1, verifier.Statistics.ChainBuilds);
    }

    [Fact]
    public void Threads_verifying_the_same_signer_at_once_still_build_the_chain_once()
    {
        var verifier = Scenarios.Verifier();
        byte[] signed = Scenarios.Get("signed-sha256");
        var verdicts = new System.Collections.Concurrent.ConcurrentBag<SignatureStatus>();

        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            verdicts.Add(verifier.Verify($"f{i}.exe", signed, new AnomalyList()).Verdict));

        Assert.All(verdicts, static v => Assert.Equal(SignatureStatus.SignedOther, v));
        Assert.Equal(64, verdicts.Count);
        Assert.Equal(1, verifier.Statistics.ChainBuilds);
    }

    [Fact]
    public void Statistics_count_what_one_timestamped_runtime_dll_costs()
    {
        var verifier = new AuthenticodeVerifier(TrustAnchors.PinnedMicrosoftOnly(), CatalogIndex.Empty, TestPki.CollectionTime);

        var result = verifier.Verify("System.Buffers.dll", SigFixtures.Read(SigFixtures.SystemBuffers), new AnomalyList());
        VerificationStatistics stats = verifier.Statistics;

        Assert.Equal(SignatureStatus.MicrosoftSigned, result.Verdict);
        int signatures = result.Embedded.Signatures.Length;
        int timestamps = result.Embedded.Signatures.Count(static s => s.TimestampValid);
        Assert.True(timestamps > 0, "the runtime DLL fixture carries a timestamp");
        Assert.Equal(signatures + timestamps, stats.SignatureChecks);
        Assert.Equal(signatures + timestamps, stats.ChainBuilds);
        Assert.True(stats.HashTime > TimeSpan.Zero && stats.SignatureCheckTime > TimeSpan.Zero && stats.ChainBuildTime > TimeSpan.Zero);
        Assert.True(stats.CertificatesDecoded >= 2, $"signer and TSA certificates decoded: {stats.CertificatesDecoded}");
    }

    [Fact]
    public void A_byte_identical_copy_reuses_the_outcome_and_reports_its_anomalies_under_its_own_name()
    {
        var verifier = new AuthenticodeVerifier(TrustAnchors.PinnedMicrosoftOnly(), CatalogIndex.Empty, TestPki.CollectionTime);
        byte[] forged = Scenarios.Get("forged-microsoft");
        var firstSink = new AnomalyList();
        var copySink = new AnomalyList();

        var first = verifier.Verify("a/first.exe", forged, firstSink);
        var copy = verifier.Verify("b/copy.exe", (byte[])forged.Clone(), copySink);

        Assert.Equal(1, verifier.Statistics.IdenticalFilesReused);
        Assert.Equal(first.Verdict, copy.Verdict);
        Assert.Equal(first.Embedded, copy.Embedded);
        Assert.Equal(first.AuthenticodeSha1, copy.AuthenticodeSha1);
        Assert.NotEmpty(firstSink.Items);
        Assert.Equal(firstSink.Items.Select(static a => (a.Code, a.Message)), copySink.Items.Select(static a => (a.Code, a.Message)));
        Assert.All(copySink.Items, static a => Assert.Equal("b/copy.exe", a.Evidence.BundleFile));
    }

    [Fact]
    public void A_file_differing_only_outside_the_image_hash_is_not_taken_for_a_copy()
    {
        var verifier = Scenarios.Verifier();
        byte[] signed = Scenarios.Get("signed-sha256");
        byte[] otherCheckSum = (byte[])signed.Clone();
        int checkSum = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(signed.AsSpan(0x3C)) + 24 + 64; // PE signature + COFF header, then the optional header's CheckSum
        otherCheckSum[checkSum] ^= 0xFF;

        var first = verifier.Verify("signed.exe", signed, new StrictAnomalySink());
        var second = verifier.Verify("checksum.exe", otherCheckSum, new StrictAnomalySink());

        Assert.Equal(first.AuthenticodeSha256, second.AuthenticodeSha256);
        Assert.Equal(0, verifier.Statistics.IdenticalFilesReused);
        Assert.Equal(SignatureStatus.SignedOther, second.Verdict);
    }

    [Fact]
    public void A_copy_of_a_nested_sha1_file_reports_the_same_hashes_as_the_first()
    {
        var verifier = Scenarios.Verifier();
        byte[] nested = Scenarios.Get("nested-sha1-sha256");

        var first = verifier.Verify("one.exe", nested, new AnomalyList());
        var copy = verifier.Verify("two.exe", nested, new AnomalyList());

        Assert.NotNull(first.AuthenticodeSha1);
        Assert.Equal(first.AuthenticodeSha1, copy.AuthenticodeSha1);
        Assert.Equal(1, verifier.Statistics.IdenticalFilesReused);
    }
}
