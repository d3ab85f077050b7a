using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CsrssForensics.Rules.Overlays;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Rules.Tests.Overlays;

public sealed class RuleOverlayTests
{
    private static readonly string _examplePath = TestEnvironment.PathOf("docs", "examples", "miner-in-temp.overlay.json");

    private static RulesFile File(string name, string json) => new(name, Encoding.UTF8.GetBytes(json));

    private static RulesFile Example() => new(Path.GetFileName(_examplePath), System.IO.File.ReadAllBytes(_examplePath));

    private static JsonObject Embedded() => JsonNode.Parse(RuleSet.ReadEmbedded())!.AsObject();

    // A leaf that names a finding, and that finding's code, taken from the data so the test follows the rules as they change.
    private static (string LeafId, string Code) LeafWithFinding() =>
        Embedded()["trees"]!.AsArray().SelectMany(t => t!["nodes"]!.AsArray())
            .Where(n => n!["findings"] is JsonArray { Count: > 0 })
            .Select(n => ((string)n!["id"]!, (string)n["findings"]![0]!))
            .First();

    private static RuleSetException Fails(params RulesFile[] overlays) =>
        Assert.Throws<RuleSetException>(() => RuleSet.Compose(null, overlays));

    [Fact]
    public void Example_overlay_adds_its_finding_and_parameter_and_says_where_they_came_from()
    {
        var rules = RuleSet.Compose(null, [Example()]);

        var finding = Assert.Single(rules.Catalog.Find("USR-MINER-TEMP"));
        Assert.Equal(RuleKinds.Finding, finding.Kind);
        Assert.Equal("High", finding.Severity);
        Assert.Equal("overlay miner-in-temp.overlay.json", finding.Source);
        Assert.Contains("\"process.cpuPercent\"", finding.Json, StringComparison.Ordinal);
        Assert.Equal("overlay miner-in-temp.overlay.json", Assert.Single(rules.Catalog.Find("minerCpuPercent")).Source);
        Assert.Equal("built-in", Assert.Single(rules.Catalog.Find("csrss.exe")).Source);
    }

    [Fact]
    public void Provenance_names_each_overlay_with_the_SHA256_of_its_bytes()
    {
        var example = Example();

        var provenance = RuleSet.Compose(null, [example]).Provenance!;

        Assert.Null(provenance.Replacement);
        var info = Assert.Single(provenance.Overlays);
        Assert.Equal("miner-in-temp.overlay.json", info.Name);
        Assert.Equal("miner-in-temp", info.OverlayName);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(System.IO.File.ReadAllBytes(_examplePath))), info.Sha256);
        Assert.Null(RuleSet.Compose(null, []).Provenance);
    }

    [Fact]
    public void Override_replaces_a_finding_whole_and_the_source_says_what_it_replaced()
    {
        var code = LeafWithFinding().Code;
        var overlay = File("tune.json", $$"""
            {
              "overlaySchemaVersion": 1, "name": "tune", "description": "Lower a finding.",
              "findings": { "override": [
                { "code": "{{code}}", "severity": "Low", "title": "Tuned", "detail": "Tuned here.", "evidence": ["subject"], "references": ["DESIGN"] }
              ] }
            }
            """);

        var entry = Assert.Single(RuleSet.Compose(null, [overlay]).Catalog.Find(code));

        Assert.Equal("Low", entry.Severity);
        Assert.Equal("overlay tune.json (replaces built-in)", entry.Source);
    }

    [Fact]
    public void Later_overlay_overrides_an_earlier_one()
    {
        var first = File("a.json", """
            { "overlaySchemaVersion": 1, "name": "a", "description": "Add.",
              "findings": { "add": [ { "code": "USR-ONE", "severity": "Low", "title": "One", "detail": "One.", "evidence": [], "references": ["DESIGN"] } ] } }
            """);
        var second = File("b.json", """
            { "overlaySchemaVersion": 1, "name": "b", "description": "Raise.",
              "findings": { "override": [ { "code": "USR-ONE", "severity": "High", "title": "One", "detail": "One.", "evidence": [], "references": ["DESIGN"] } ] } }
            """);

        var entry = Assert.Single(RuleSet.Compose(null, [first, second]).Catalog.Find("USR-ONE"));

        Assert.Equal("High", entry.Severity);
        Assert.Equal("overlay b.json (replaces overlay a.json)", entry.Source);
    }

    [Fact]
    public void Disabling_a_finding_removes_it_from_the_catalog_and_from_the_verdict_nodes_that_name_it()
    {
        var (leafId, code) = LeafWithFinding();
        var overlay = File("quiet.json", $$"""
            { "overlaySchemaVersion": 1, "name": "quiet", "description": "Disable.", "findings": { "disable": ["{{code}}"] } }
            """);

        var catalog = RuleSet.Compose(null, [overlay]).Catalog;

        var disabled = Assert.Single(catalog.Find(code));
        Assert.Equal(RuleKinds.Disabled, disabled.Kind);
        Assert.Equal("disabled by overlay quiet.json", disabled.Source);
        Assert.DoesNotContain($"\"{code}\"", Assert.Single(catalog.Find(leafId)).Json, StringComparison.Ordinal);
    }

    [Fact]
    public void Core_rows_and_known_names_can_be_added()
    {
        var overlay = File("rows.json", """
            { "overlaySchemaVersion": 1, "name": "rows", "description": "A vendor's core helper and a real name.",
              "knownWindowsNames": { "add": ["csrsshelper.exe"] } }
            """);
        var core = Embedded()["coreProcesses"]!.AsArray().First(c => (string?)c!["tree"] == "core")!.DeepClone().AsObject();
        core["name"] = "contosocore.exe";
        var withRow = File("core.json", new JsonObject
        {
            ["overlaySchemaVersion"] = 1, ["name"] = "core", ["description"] = "A row.",
            ["coreProcesses"] = new JsonObject { ["add"] = new JsonArray(core) },
        }.ToJsonString());

        var rules = RuleSet.Compose(null, [overlay, withRow]);

        Assert.NotNull(rules.FindCoreProcess("ContosoCore.exe"));
        Assert.Equal("overlay core.json", Assert.Single(rules.Catalog.Find("contosocore.exe")).Source);
        Assert.Equal("overlay rows.json", Assert.Single(rules.Catalog.Find("csrsshelper.exe")).Source);
    }

    [Fact]
    public void Schema_errors_name_the_file_line_and_column()
    {
        var overlay = File("bad.json", """
            {
              "overlaySchemaVersion": 1,
              "name": "bad",
              "description": "Wrong severity.",
              "findings": {
                "add": [
                  {
                    "code": "USR-BAD",
                    "severity": "Critical",
                    "title": "Bad", "detail": "Bad.", "evidence": [], "references": ["DESIGN"]
                  }
                ]
              }
            }
            """);

        var error = Assert.Single(Fails(overlay).Errors);

        Assert.StartsWith("bad.json:9:9: /findings/add/0/severity: ", error, StringComparison.Ordinal);
        Assert.Contains("\"Critical\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Syntax_errors_name_the_file_line_and_column()
    {
        var overlay = File("broken.json", "{\n  \"name\": \"x\",\n  \"description\" \"no colon\"\n}");

        var error = Assert.Single(Fails(overlay).Errors);

        Assert.StartsWith("broken.json:3:", error, StringComparison.Ordinal);
        Assert.Contains("JSON syntax error", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"findings\": { \"override\": [ { \"code\": \"USR-NONE\", \"severity\": \"Low\", \"title\": \"t\", \"detail\": \"d\", \"evidence\": [], \"references\": [\"DESIGN\"] } ] }", "/findings/override/0/code", "cannot be overridden")]
    [InlineData("\"findings\": { \"disable\": [ \"USR-NONE\" ] }", "/findings/disable/0", "cannot be disabled")]
    [InlineData("\"findings\": { \"disable\": [ \"LNC-TASK-USERPATH\" ] }", "/findings/disable/0", "produced by the launchers checks and cannot be disabled")]
    [InlineData("\"nodes\": { \"override\": [ { \"id\": \"ZZZ-999\", \"verdict\": \"fake\", \"reason\": \"r\", \"reasonCode\": \"REASON-USER-R\", \"findings\": [], \"references\": [\"DESIGN\"] } ] }", "/nodes/override/0/id", "no tree holds it")]
    [InlineData("\"nodes\": { \"add\": [ { \"tree\": \"nosuch\", \"node\": { \"id\": \"ZZZ-999\", \"verdict\": \"fake\", \"reason\": \"r\", \"reasonCode\": \"REASON-USER-R\", \"findings\": [], \"references\": [\"DESIGN\"] } } ] }", "/nodes/add/0/tree", "does not exist")]
    [InlineData("\"knownWindowsNames\": { \"remove\": [ \"nosuch.exe\" ] }", "/knownWindowsNames/remove/0", "cannot be removed")]
    public void Wrong_ids_are_errors_on_the_line_that_names_them(string section, string location, string message)
    {
        var overlay = File("ids.json", "{ \"overlaySchemaVersion\": 1, \"name\": \"ids\", \"description\": \"d\",\n  " + section + "\n}");

        var error = Assert.Single(Fails(overlay).Errors);

        Assert.StartsWith($"ids.json:2:", error, StringComparison.Ordinal);
        Assert.Contains($": {location}: ", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_found_after_the_merge_point_back_into_the_overlay()
    {
        var overlay = File("merge.json", """
            { "overlaySchemaVersion": 1, "name": "merge", "description": "An undefined parameter and source.",
              "findings": { "add": [
                { "code": "USR-PARAM", "severity": "Low", "title": "t", "detail": "d", "evidence": [], "references": ["NO-SUCH-SOURCE"],
                  "when": { "fact": "process.cpuPercent", "op": "gte", "param": "noSuchParameter" } }
              ] } }
            """);

        var errors = Fails(overlay).Errors;

        Assert.Contains(errors, e => e.StartsWith("merge.json:4:", StringComparison.Ordinal) && e.Contains("/findings/add/0/when/param: parameter 'noSuchParameter'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("merge.json:3:", StringComparison.Ordinal) && e.Contains("'NO-SUCH-SOURCE'", StringComparison.Ordinal));
    }

    [Fact]
    public void An_added_node_nothing_links_to_is_reported_at_that_node()
    {
        var overlay = File("orphan.json", """
            { "overlaySchemaVersion": 1, "name": "orphan", "description": "A leaf no question leads to.",
              "nodes": { "add": [
                { "tree": "core", "node": { "id": "USR-001", "verdict": "fake", "reason": "r", "reasonCode": "REASON-USER-R", "findings": [], "references": ["DESIGN"] } }
              ] } }
            """);

        var error = Assert.Single(Fails(overlay).Errors);

        Assert.StartsWith("orphan.json:3:", error, StringComparison.Ordinal);
        Assert.Contains("'USR-001' cannot be reached", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_replacement_rules_file_with_an_error_is_located_in_that_file()
    {
        var document = Embedded();
        document["outOfScopeTree"] = "nosuch";
        var replacement = File("mine.json", document.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

        var error = Assert.Single(Assert.Throws<RuleSetException>(() => RuleSet.Compose(replacement, [])).Errors);

        Assert.Matches(@"^mine\.json:\d+:\d+: /outOfScopeTree: tree 'nosuch' does not exist", error);
    }
}
