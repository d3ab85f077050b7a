using System.Text.Json.Nodes;
using CsrssForensics.Core.Verdicts;
using static CsrssForensics.Rules.Tests.Evaluation.Contexts;

namespace CsrssForensics.Rules.Tests.Loading;

/// <summary>Every leaf reason has a stable code: present, unique, and carried on the outcome with its values.</summary>
public sealed class ReasonCodeTests
{
    private static readonly RuleSet _embedded = RuleSet.LoadEmbedded();

    // The leaves of the shipped rules, read from the data itself so a leaf added later is checked too.
    private static List<JsonObject> Leaves(JsonNode document) =>
        [.. document["trees"]!.AsArray().SelectMany(t => t!["nodes"]!.AsArray()).Select(n => n!.AsObject()).Where(n => n.ContainsKey("verdict"))];

    [Fact]
    public void Every_leaf_of_the_shipped_rules_has_a_reason_code_and_no_two_share_one()
    {
        var leaves = Leaves(JsonNode.Parse(RuleSet.ReadEmbedded())!);

        Assert.NotEmpty(leaves);
        Assert.All(leaves, l => Assert.Matches("^REASON(-[A-Z0-9]+)+$", (string?)l["reasonCode"] ?? string.Empty));
        var codes = leaves.Select(l => (string)l["reasonCode"]!).ToList();
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(codes.Order(StringComparer.Ordinal), _embedded.LeafReasons.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_rules_file_whose_leaves_share_a_reason_code_is_refused_with_both_leaves_named()
    {
        // Given the shipped rules with CORE-073 reusing CORE-066's code
        var document = JsonNode.Parse(RuleSet.ReadEmbedded())!;
        var leaves = Leaves(document);
        var first = leaves.Single(l => (string?)l["id"] == "CORE-066");
        leaves.Single(l => (string?)l["id"] == "CORE-073")["reasonCode"] = (string?)first["reasonCode"];

        // When / Then
        var error = Assert.Throws<RuleSetException>(() => RuleSet.Load(document.ToJsonString()));
        Assert.Contains(error.Errors, e => e.Contains("REASON-USER-FOLDER-FAKE", StringComparison.Ordinal)
            && e.Contains("CORE-066", StringComparison.Ordinal) && e.Contains("CORE-073", StringComparison.Ordinal));
    }

    [Fact]
    public void A_rules_file_with_a_leaf_without_a_reason_code_is_refused_by_the_schema()
    {
        var document = JsonNode.Parse(RuleSet.ReadEmbedded())!;
        Leaves(document).Single(l => (string?)l["id"] == "CORE-050").Remove("reasonCode");

        var error = Assert.Throws<RuleSetException>(() => RuleSet.Load(document.ToJsonString()));
        Assert.Contains(error.Errors, e => e.Contains("reasonCode", StringComparison.Ordinal));
    }

    [Fact]
    public void The_outcome_carries_the_leaf_reason_code_and_the_values_its_placeholders_took()
    {
        // Given a csrss.exe copy in AppData, not signed: the user-folder fake leaf, whose reason names the process
        var outcome = _embedded.Evaluate(ProcessAt("csrss.exe", @"C:\Users\a\AppData\Roaming\csrss.exe", SignatureStatus.NotSigned));

        // Then the reason line is the leaf's code with the text and values it was filled with
        var line = Assert.IsType<Core.Report.ReportLine>(outcome.ReasonLine);
        Assert.Equal("CORE-066", outcome.Ids()[^1]);
        Assert.Equal("REASON-USER-FOLDER-FAKE", line.Code);
        Assert.Equal(outcome.Reason, line.Text);
        Assert.Contains(line.Params, p => p.Name == "core.name" && p.Value == "csrss.exe");
        var template = _embedded.LeafReasons["REASON-USER-FOLDER-FAKE"];
        Assert.Equal(line.Text, FindingTemplate.Fill(template, name =>
            line.Params.FirstOrDefault(p => p.Name == name) is { } found ? (true, found.Value) : (false, null)));
    }

    [Fact]
    public void An_overlay_that_overrides_a_leaf_sets_the_reason_code_the_outcome_carries()
    {
        // Given an overlay that rewords the genuine leaf under a site code
        var genuine = Leaves(JsonNode.Parse(RuleSet.ReadEmbedded())!).Single(l => (string?)l["id"] == "CORE-050");
        genuine["reason"] = "Site policy: {core.name} is the genuine one.";
        genuine["reasonCode"] = "REASON-SITE-GENUINE";
        var overlay = new CsrssForensics.Rules.Overlays.RulesFile("site.json", System.Text.Encoding.UTF8.GetBytes(
            $$"""{ "overlaySchemaVersion": 1, "name": "site", "description": "d", "nodes": { "override": [ {{genuine.ToJsonString()}} ] } }"""));

        // When the genuine csrss.exe is judged with it
        var outcome = RuleSet.Compose(null, [overlay]).Evaluate(GenuineCsrss());

        // Then
        var line = Assert.IsType<Core.Report.ReportLine>(outcome.ReasonLine);
        Assert.Equal("REASON-SITE-GENUINE", line.Code);
        Assert.Equal("Site policy: csrss.exe is the genuine one.", line.Text);
        Assert.Equal(line.Text, outcome.Reason);
    }
}
