using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;
using static CsrssForensics.Rules.Tests.Evaluation.Contexts;

namespace CsrssForensics.Rules.Tests.Evaluation;

/// <summary>
/// A vendor's program whose name is two edits from a core name (Zoom's CptHost.exe near conhost.exe) is not a fake;
/// real masquerades (tricks, one-edit names, forged Microsoft subjects, untrusted chains) still are. A publisher is only
/// known when the chain ends in a root the host cannot forge; a root from the host's own store gives inconclusive.
/// Nodes CORE-107..115.
/// </summary>
public sealed class VendorResemblanceTests
{
    private const string ZoomFolder = @"C:\Users\jdoe\AppData\Roaming\Zoom\bin\";
    private const string Zoom = "CN=\"Zoom Video Communications, Inc.\", O=\"Zoom Video Communications, Inc.\", C=US";

    private readonly RuleSet _rules = RuleSet.LoadEmbedded();

    private static SubjectContext Signed(
        string name,
        SignatureSource source,
        bool? chainTrusted,
        string signer = Zoom,
        string folder = ZoomFolder,
        RootOrigin origin = RootOrigin.PinnedPublic)
    {
        var context = ProcessAt(name, folder + name, SignatureStatus.SignedOther, user: @"CORP\jdoe");
        return context with
        {
            Signature = new SignatureEvidence(SignatureStatus.SignedOther, source, signer, null, null, null, null, null, null, null,
                source == SignatureSource.HostReported ? "Valid" : null, [], [new EvidenceRef("files.csv", Row: 7)])
            {
                ChainTrusted = chainTrusted,
                RootOrigin = chainTrusted == true ? origin : RootOrigin.None,
            },
        };
    }

    private static void AssertNoAlarm(SubjectVerdictOutcome outcome) =>
        Assert.DoesNotContain(outcome.Findings, f => f.Severity is AnomalySeverity.Medium or AnomalySeverity.High);

    [Theory]
    [InlineData(SignatureSource.OfflineEmbedded, RootOrigin.PinnedPublic)]
    [InlineData(SignatureSource.OfflineCatalog, RootOrigin.PinnedPublic)]
    [InlineData(SignatureSource.OfflineEmbedded, RootOrigin.Analyst)]
    [InlineData(SignatureSource.OfflineEmbedded, RootOrigin.PinnedMicrosoft)]
    public void A_two_edit_name_signed_by_a_known_publisher_verified_offline_is_legitimate(SignatureSource source, RootOrigin origin)
    {
        var outcome = _rules.Evaluate(Signed("CptHost.exe", source, chainTrusted: true, origin: origin));

        Assert.Equal(Verdict.Legitimate, outcome.Verdict);
        Assert.Equal<string>(["CORE-001", "CORE-100", "CORE-107", "CORE-108", "CORE-114", "CORE-109"], outcome.Ids());
        Assert.Equal<string>(["CORE-NAME-RESEMBLES"], outcome.Codes());
        AssertNoAlarm(outcome);
    }

    [Theory]
    [InlineData(SignatureSource.OfflineEmbedded)]
    [InlineData(SignatureSource.OfflineCatalog)]
    public void A_two_edit_name_whose_root_only_the_hosts_own_store_trusts_is_inconclusive_never_legitimate_nor_fake(SignatureSource source)
    {
        var outcome = _rules.Evaluate(Signed("CptHost.exe", source, chainTrusted: true, origin: RootOrigin.HostStore));

        Assert.Equal(Verdict.Inconclusive, outcome.Verdict);
        Assert.Equal<string>(["CORE-001", "CORE-100", "CORE-107", "CORE-108", "CORE-114", "CORE-115"], outcome.Ids());
        Assert.Equal<string>(["CORE-NAME-RESEMBLES", "CORE-SIG-HOST-ROOT"], outcome.Codes());
        Assert.Contains("--roots", outcome.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("CORE-NAME-LOOKALIKE", outcome.Codes());
    }

    [Fact]
    public void The_host_root_finding_names_the_signer()
    {
        var outcome = _rules.Evaluate(Signed("CptHost.exe", SignatureSource.OfflineEmbedded, chainTrusted: true, origin: RootOrigin.HostStore));

        var finding = Assert.Single(outcome.Findings, f => f.Code == "CORE-SIG-HOST-ROOT");
        Assert.Contains("Zoom Video Communications", finding.Detail, StringComparison.Ordinal);
        Assert.Equal(AnomalySeverity.Medium, finding.Severity);
    }

    [Fact]
    public void The_same_file_on_the_hosts_word_only_is_inconclusive_never_fake_nor_legitimate()
    {
        var outcome = _rules.Evaluate(Signed("CptHost.exe", SignatureSource.HostReported, chainTrusted: null));

        Assert.Equal(Verdict.Inconclusive, outcome.Verdict);
        Assert.Equal("CORE-113", outcome.Ids()[^1]);
        AssertNoAlarm(outcome);
    }

    [Fact]
    public void An_intact_signature_whose_chain_reaches_no_trusted_root_proves_no_publisher_and_stays_fake()
    {
        var outcome = _rules.Evaluate(Signed("CptHost.exe", SignatureSource.OfflineEmbedded, chainTrusted: false));

        Assert.Equal(Verdict.Fake, outcome.Verdict);
        Assert.Contains("CORE-NAME-LOOKALIKE", outcome.Codes());
    }

    [Theory]
    [InlineData("csrsss.exe")]
    [InlineData("svch0st.exe")]
    [InlineData("l\u0455ass.exe")]
    [InlineData("c\u0441rss.exe")]
    [InlineData("conhost .exe")]
    public void Tricks_and_one_edit_names_stay_fake_whoever_signed_them(string name)
    {
        var outcome = _rules.Evaluate(Signed(name, SignatureSource.OfflineEmbedded, chainTrusted: true, signer: "CN=Evil Ltd"));

        Assert.Equal(Verdict.Fake, outcome.Verdict);
        Assert.DoesNotContain("CORE-109", outcome.Ids());
    }

    [Fact]
    public void A_forged_Microsoft_subject_on_a_two_edit_name_stays_fake_even_with_a_chain_to_a_host_root()
    {
        var outcome = _rules.Evaluate(Signed("CptHost.exe", SignatureSource.OfflineEmbedded, chainTrusted: true,
            signer: "CN=Microsoft Windows, O=Microsoft Corporation", origin: RootOrigin.HostStore));

        Assert.Equal(Verdict.Fake, outcome.Verdict);
        Assert.Contains("CORE-NAME-LOOKALIKE", outcome.Codes());
    }

    [Fact]
    public void An_exact_core_name_outside_System32_signed_by_another_publisher_stays_fake()
    {
        var outcome = _rules.Evaluate(Signed("conhost.exe", SignatureSource.OfflineEmbedded, chainTrusted: true));

        Assert.Equal(Verdict.Fake, outcome.Verdict);
    }

    [Fact]
    public void An_unsigned_two_edit_name_stays_fake()
    {
        var outcome = _rules.Evaluate(ProcessAt("CptHost.exe", ZoomFolder + "CptHost.exe", SignatureStatus.NotSigned, user: @"CORP\jdoe"));

        Assert.Equal(Verdict.Fake, outcome.Verdict);
    }
}
