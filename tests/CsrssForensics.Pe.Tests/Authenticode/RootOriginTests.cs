using System.Text;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Pe.Authenticode;
using CsrssForensics.Pe.Tests.Authenticode.Support;
using CsrssForensics.Pe.Tests.Support;

namespace CsrssForensics.Pe.Tests.Authenticode;

/// <summary>
/// Every trust anchor remembers where it came from, and a signature says whether its root is one the suspect host could
/// have planted (its own exported stores) or one it cannot forge (pinned, or supplied by the analyst).
/// </summary>
public sealed class RootOriginTests
{
    // DigiCert Trusted Root G4 and Microsoft Root Certificate Authority 2011 (see the PROVENANCE files).
    private const string DigiCertTrustedRootG4 = "552F7BDCF1A7AF9E6CE672017F4F12ABF77240C78E761AC203D1D9D20AC89988";
    private const string MicrosoftRoot2011 = "847DF6A78497943F27FC72EB93F9A637320A02B561D0A91B09E87A7807ED7C61";

    private static (string, byte[]) Pem(string name, params System.Security.Cryptography.X509Certificates.X509Certificate2[] certificates) =>
        (name, Encoding.ASCII.GetBytes(TestPki.ToPem(certificates)));

    private static string TestRootSha256 => TrustAnchors.Thumbprint256(TestPki.Default.Root);

    [Fact]
    public void Every_pinned_Microsoft_root_has_the_pinned_Microsoft_origin()
    {
        var anchors = TrustAnchors.PinnedMicrosoftOnly();

        Assert.Equal(7, anchors.RootOrigins.Count);
        Assert.All(anchors.RootOrigins.Values, origin => Assert.Equal(RootOrigin.PinnedMicrosoft, origin));
        Assert.Equal(RootOrigin.PinnedMicrosoft, anchors.OriginOf(MicrosoftRoot2011));
    }

    [Fact]
    public void A_root_from_the_bundles_stores_is_host_store()
    {
        var anchors = TrustAnchors.FromSources([Pem("certstores/LocalMachine-Root.pem", TestPki.Default.Root)], [], new StrictAnomalySink());

        Assert.Equal(RootOrigin.HostStore, anchors.OriginOf(TestRootSha256));
        Assert.Equal(8, anchors.Count);
    }

    [Fact]
    public void A_root_the_analyst_supplies_is_analyst()
    {
        var anchors = TrustAnchors.FromSources([], [Pem("roots.pem", TestPki.Default.Root)], new StrictAnomalySink());

        Assert.Equal(RootOrigin.Analyst, anchors.OriginOf(TestRootSha256));
    }

    [Fact]
    public void FromPem_names_the_callers_own_roots_as_analyst()
    {
        var anchors = TrustAnchors.FromPem([Pem("roots.pem", TestPki.Default.Root)], new StrictAnomalySink());

        Assert.Equal(RootOrigin.Analyst, anchors.OriginOf(TestRootSha256));
    }

    [Fact]
    public void A_root_in_both_the_host_store_and_the_analysts_roots_keeps_the_stronger_origin_and_is_counted_once()
    {
        var anchors = TrustAnchors.FromSources(
            [Pem("certstores/LocalMachine-Root.pem", TestPki.Default.Root)],
            [Pem("roots.pem", TestPki.Default.Root)],
            new StrictAnomalySink());

        Assert.Equal(RootOrigin.Analyst, anchors.OriginOf(TestRootSha256));
        Assert.Equal(8, anchors.Count);
    }

    [Fact]
    public void An_intermediate_in_the_host_store_is_no_anchor()
    {
        var anchors = TrustAnchors.FromSources([Pem("certstores/CA.pem", TestPki.Default.Leaf)], [], new StrictAnomalySink());

        Assert.Equal(RootOrigin.None, anchors.OriginOf(TrustAnchors.Thumbprint256(TestPki.Default.Leaf)));
        Assert.Equal(7, anchors.Count);
    }

    [Theory]
    [InlineData(RootOrigin.HostStore)]
    [InlineData(RootOrigin.Analyst)]
    public void A_root_whose_SHA256_is_in_the_pinned_public_table_is_pinned_public_whoever_supplied_it(RootOrigin supplied)
    {
        Assert.Equal(RootOrigin.PinnedPublic, TrustAnchors.ClassifyRoot(DigiCertTrustedRootG4, supplied));
    }

    [Fact]
    public void A_pinned_Microsoft_thumbprint_from_the_host_store_stays_pinned_Microsoft()
    {
        Assert.Equal(RootOrigin.PinnedMicrosoft, TrustAnchors.ClassifyRoot(MicrosoftRoot2011, RootOrigin.HostStore));
    }

    [Fact]
    public void Any_other_root_keeps_the_origin_of_its_file()
    {
        Assert.Equal(RootOrigin.HostStore, TrustAnchors.ClassifyRoot(TestRootSha256, RootOrigin.HostStore));
        Assert.Equal(RootOrigin.Analyst, TrustAnchors.ClassifyRoot(TestRootSha256, RootOrigin.Analyst));
    }

    [Fact]
    public void The_pinned_public_table_holds_upper_case_SHA256_thumbprints_and_no_Microsoft_root()
    {
        Assert.NotEmpty(PinnedPublicRoots.Sha256Thumbprints);
        Assert.All(PinnedPublicRoots.Sha256Thumbprints, t =>
        {
            Assert.Equal(64, t.Length);
            Assert.Matches("^[0-9A-F]{64}$", t);
            Assert.False(TrustAnchors.IsPinnedMicrosoftRoot(t));
        });
    }

    [Fact]
    public void A_leaf_chaining_to_a_host_store_root_is_trusted_but_its_publisher_is_not_known()
    {
        var anchors = TrustAnchors.FromSources([Pem("certstores/LocalMachine-Root.pem", TestPki.Default.Root)], [], new StrictAnomalySink());

        var result = Scenarios.Verifier(anchors).Verify("s.exe", Scenarios.Get("signed-sha256"), new StrictAnomalySink());
        var evidence = result.ToSignatureEvidence(null);

        Assert.Equal(RootOrigin.HostStore, Assert.Single(result.Embedded.Signatures).RootOrigin);
        Assert.True(evidence.ChainTrusted);
        Assert.Equal(RootOrigin.HostStore, evidence.RootOrigin);
        Assert.False(evidence.PublisherKnown);
    }

    [Fact]
    public void The_same_leaf_with_the_root_passed_by_the_analyst_has_a_known_publisher()
    {
        var anchors = TrustAnchors.FromSources([], [Pem("roots.pem", TestPki.Default.Root)], new StrictAnomalySink());

        var result = Scenarios.Verifier(anchors).Verify("s.exe", Scenarios.Get("signed-sha256"), new StrictAnomalySink());
        var evidence = result.ToSignatureEvidence(null);

        Assert.Equal(RootOrigin.Analyst, Assert.Single(result.Embedded.Signatures).RootOrigin);
        Assert.Equal(RootOrigin.Analyst, evidence.RootOrigin);
        Assert.True(evidence.PublisherKnown);
    }

    [Fact]
    public void An_untrusted_chain_has_no_root_origin()
    {
        var result = new AuthenticodeVerifier(TrustAnchors.PinnedMicrosoftOnly(), CatalogIndex.Empty, TestPki.CollectionTime)
            .Verify("s.exe", Scenarios.Get("signed-sha256"), new AnomalyList());
        var evidence = result.ToSignatureEvidence(null);

        Assert.Equal(RootOrigin.None, Assert.Single(result.Embedded.Signatures).RootOrigin);
        Assert.Equal(RootOrigin.None, evidence.RootOrigin);
        Assert.False(evidence.PublisherKnown);
    }
}
