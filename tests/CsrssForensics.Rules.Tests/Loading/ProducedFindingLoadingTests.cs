using System.Text.Json.Nodes;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Rules.Tests.Loading;

public sealed class ProducedFindingLoadingTests
{
    private static JsonObject Embedded() => JsonNode.Parse(RuleSet.ReadEmbedded())!.AsObject();

    private static JsonObject FindingEntry(JsonObject document, string code) =>
        document["findings"]!.AsArray().Single(f => (string?)f!["code"] == code)!.AsObject();

    private static RuleSetException LoadFails(JsonObject document) =>
        Assert.Throws<RuleSetException>(() => RuleSet.Load(document.ToJsonString()));

    [Fact]
    public void Produce_takes_severity_and_wording_from_the_variant_and_fills_parameters()
    {
        var rules = RuleSet.LoadEmbedded();

        var finding = rules.Produce("LNC-TASK-USERPATH", "ownAppData", [new EvidenceRef("tasks/x.xml")],
            ("task", @"\OneDrive"), ("target", @"C:\Users\a\AppData\Local\od.exe"), ("where", "AppData"), ("user", "a"));

        Assert.Equal(AnomalySeverity.Low, finding.Severity);
        Assert.Equal("Task starts a file in a user-writable folder", finding.Title);
        Assert.Equal(@"Task '\OneDrive' starts C:\Users\a\AppData\Local\od.exe (AppData). It runs as a, from that user's own AppData, as per-user installs do.", finding.Detail);
    }

    [Fact]
    public void A_missing_value_takes_the_fallback_the_wording_gives()
    {
        var finding = RuleSet.LoadEmbedded().Produce("LNC-IFEO-DEBUGGER", null, [], ("image", null), ("command", "evil.exe"));

        Assert.Equal(AnomalySeverity.Medium, finding.Severity);
        Assert.Equal("Whenever the image starts, Windows runs 'evil.exe' instead.", finding.Detail);
    }

    [Fact]
    public void An_unknown_code_or_variant_is_a_bug_that_names_itself()
    {
        var rules = RuleSet.LoadEmbedded();

        Assert.Contains("LNC-NO-SUCH", Assert.Throws<InvalidOperationException>(() => rules.Produce("LNC-NO-SUCH", null, [])).Message, StringComparison.Ordinal);
        Assert.Contains("noSuchVariant", Assert.Throws<InvalidOperationException>(() => rules.Produce("LNC-TASK-HIDDEN", "noSuchVariant", [])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_produced_finding_with_a_fact_placeholder_is_rejected()
    {
        var document = Embedded();
        FindingEntry(document, "LNC-TASK-HIDDEN")["detail"] = "Task {subject.path} is hidden.";

        Assert.Contains(LoadFails(document).Errors, e => e.Contains("{subject.path}", StringComparison.Ordinal));
    }

    [Fact]
    public void A_produced_finding_with_a_condition_breaks_the_schema()
    {
        var document = Embedded();
        FindingEntry(document, "LNC-TASK-HIDDEN")["when"] = JsonNode.Parse("""{ "fact": "name.lookAlike", "op": "true" }""");

        Assert.NotEmpty(LoadFails(document).Errors);
    }

    [Fact]
    public void A_tree_finding_with_variants_breaks_the_schema()
    {
        var document = Embedded();
        FindingEntry(document, "CORE-PATH-OUTSIDE")["variants"] = JsonNode.Parse("""{ "other": { "severity": "Low" } }""");

        Assert.NotEmpty(LoadFails(document).Errors);
    }

    [Fact]
    public void A_leaf_cannot_name_a_produced_finding()
    {
        var document = Embedded();
        var leaf = document["trees"]!.AsArray().SelectMany(t => t!["nodes"]!.AsArray())
            .First(n => n!["findings"] is JsonArray)!.AsObject();
        leaf["findings"]!.AsArray().Add("LNC-TASK-HIDDEN");

        Assert.Contains(LoadFails(document).Errors, e => e.Contains("LNC-TASK-HIDDEN", StringComparison.Ordinal));
    }

    [Fact]
    public void Core_table_flags_carry_what_the_code_used_to_list()
    {
        var rules = RuleSet.LoadEmbedded();

        // The names ReportComposer and SystemNames held before the table had flags.
        Assert.Equal(
            ["csrss.exe", "lsass.exe", "services.exe", "smss.exe", "wininit.exe", "winlogon.exe"],
            rules.CoreProcesses.Where(c => c.Critical).Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["System", "csrss.exe", "lsaiso.exe", "lsass.exe", "lsm.exe", "services.exe", "smss.exe", "wininit.exe", "winlogon.exe"],
            rules.CoreProcesses.Where(c => c.StartedOnlyByWindows).Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal<string>(["ntoskrnl.exe"], rules.FindCoreProcess("System")!.OtherImageNames);
    }
}
