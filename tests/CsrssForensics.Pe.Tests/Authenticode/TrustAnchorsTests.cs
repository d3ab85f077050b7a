using System.Text;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Pe.Authenticode;
using CsrssForensics.Pe.Tests.Authenticode.Support;

namespace CsrssForensics.Pe.Tests.Authenticode;

public sealed class TrustAnchorsTests
{
    [Fact]
    public void Pinned_set_holds_the_seven_microsoft_roots()
    {
        Assert.Equal(7, TrustAnchors.PinnedMicrosoftOnly().Count);
    }

    [Fact]
    public void Pem_roots_are_added_to_the_pinned_ones_and_bad_blocks_are_reported()
    {
        string pem = TestPki.ToPem(TestPki.Default.Root, TestPki.Default.Leaf) + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        var sink = new AnomalyList();

        var anchors = TrustAnchors.FromPem([("LocalMachine-Root.pem", Encoding.ASCII.GetBytes(pem))], sink);

        Assert.Equal(8, anchors.Count);
        var anomaly = Assert.Single(sink.Items);
        Assert.Equal("SIG0020", anomaly.Code);
        Assert.Equal("LocalMachine-Root.pem", anomaly.Evidence.BundleFile);
    }
}
