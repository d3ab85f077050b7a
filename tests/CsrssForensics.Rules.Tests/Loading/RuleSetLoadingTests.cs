using System.Text.Json;
using System.Text.Json.Nodes;
using CsrssForensics.Rules.Facts;

namespace CsrssForensics.Rules.Tests.Loading;

public sealed class RuleSetLoadingTests
{
    private static JsonObject Embedded() => JsonNode.Parse(RuleSet.ReadEmbedded())!.AsObject();

    private static JsonObject Node(JsonObject document, string tree, string id) =>
        document["trees"]!.AsArray().Single(t => (string?)t!["id"] == tree)!["nodes"]!.AsArray()
            .Single(n => (string?)n!["id"] == id)!.AsObject();

    private static RuleSetException LoadFails(JsonObject document) =>
        Assert.Throws<RuleSetException>(() => RuleSet.Load(document.ToJsonString()));

    [Fact]
    public void Embedded_rules_load_and_describe_every_core_process_of_the_brief()
    {
        var rules = RuleSet.LoadEmbedded();

        string[] expected =
        [
            "System", "smss.exe", "csrss.exe", "wininit.exe", "winlogon.exe", "services.exe", "lsass.exe", "lsaiso.exe", "svchost.exe",
            "taskhostw.exe", "RuntimeBroker.exe", "explorer.exe", "userinit.exe", "LogonUI.exe", "dwm.exe", "fontdrvhost.exe",
            "conhost.exe", "spoolsv.exe", "sihost.exe", "dllhost.exe", "WmiPrvSE.exe",
        ];
        Assert.All(expected, name => Assert.NotNull(rules.FindCoreProcess(name)));
        Assert.All(rules.CoreProcesses, c => Assert.NotEmpty(c.References));
        Assert.False(string.IsNullOrWhiteSpace(rules.Version));
    }

    [Fact]
    public void Csrss_row_holds_the_expected_values()
    {
        var csrss = RuleSet.LoadEmbedded().FindCoreProcess("CSRSS")!;

        Assert.Equal<string>(["System32"], csrss.Folders);
        Assert.Equal(LivingParentPolicy.None, csrss.LivingParent);
        Assert.Equal<string>(["smss.exe"], csrss.AllowedParents);
        Assert.Equal(InstancePolicy.OnePerSession, csrss.Instances);
        Assert.Equal(CommandLineShape.SubSystemsWindows, csrss.CommandLine);
        Assert.True(csrss.ChildrenChecked);
        Assert.Contains("conhost.exe", csrss.AllowedChildren);
        Assert.Equal("core", csrss.Tree);
        Assert.Equal("CSR-CMDLINE-MISMATCH", csrss.FindingCode("CORE-CMDLINE-SHAPE"));
        Assert.Equal("CORE-LAUNCHER", csrss.FindingCode("CORE-LAUNCHER"));
        Assert.Equal<string>([@"D:\Win\System32"], csrss.ExpectedFolders(@"D:\Win"));
    }

    [Fact]
    public void Embedded_rules_match_the_schema_which_the_analyzer_no_longer_checks_on_every_run()
    {
        using var document = JsonDocument.Parse(RuleSet.ReadEmbedded());

        var errors = Rules.Loading.SchemaValidator.Validate(document.RootElement);

        Assert.Empty(errors);
    }

    [Fact]
    public void A_user_rules_file_is_still_checked_against_the_schema()
    {
        var document = Embedded();
        document["unexpectedTopLevelProperty"] = 1;

        var error = LoadFails(document);

        Assert.Contains(error.Errors, e => e.Contains("unexpectedTopLevelProperty", StringComparison.Ordinal));
    }

    [Fact]
    public void Embedded_document_round_trips_through_Load()
    {
        var rules = RuleSet.Load(RuleSet.ReadEmbedded());

        Assert.Equal(RuleSet.LoadEmbedded().Version, rules.Version);
        Assert.Equal(RuleSet.LoadEmbedded().CoreProcesses.Count, rules.CoreProcesses.Count);
    }

    [Fact]
    public void Schema_fact_names_are_exactly_the_closed_fact_set()
    {
        var assembly = typeof(RuleSet).Assembly;
        using var stream = assembly.GetManifestResourceStream("rules.schema.json")!;
        using var schema = JsonDocument.Parse(stream);
        var names = schema.RootElement.GetProperty("$defs").GetProperty("factName").GetProperty("enum").EnumerateArray()
            .Select(e => e.GetString()!).Order(StringComparer.Ordinal);

        Assert.Equal(FactNames.Types.Keys.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public void Malformed_json_reports_its_line()
    {
        var exception = Assert.Throws<RuleSetException>(() => RuleSet.Load("{\n  \"version\": \"1\",\n  oops\n}"));

        var error = Assert.Single(exception.Errors);
        Assert.Contains("line 3", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_required_property_is_a_schema_error_with_its_location()
    {
        var document = Embedded();
        document.Remove("version");

        var exception = LoadFails(document);

        Assert.Contains(exception.Errors, e => e.Contains("version", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_fact_name_is_rejected_by_the_schema()
    {
        var document = Embedded();
        Node(document, "core", "CORE-030")["condition"]!["fact"] = "path.isEvil";

        var exception = LoadFails(document);

        var error = Assert.Single(exception.Errors);
        Assert.StartsWith("/trees/0/nodes/12/condition/fact:", error, StringComparison.Ordinal);
        Assert.Contains("\"path.isEvil\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_verdict_is_rejected_by_the_schema()
    {
        var document = Embedded();
        Node(document, "core", "CORE-050")["verdict"] = "probably-fine";

        Assert.NotEmpty(LoadFails(document).Errors);
    }

    [Fact]
    public void Link_to_a_missing_node_is_reported_with_both_ids()
    {
        var document = Embedded();
        Node(document, "core", "CORE-030")["yes"] = "CORE-999";

        var exception = LoadFails(document);

        Assert.Contains(exception.Errors, e => e.Contains("'CORE-030' links to 'CORE-999'", StringComparison.Ordinal));
    }

    [Fact]
    public void Cycle_is_reported()
    {
        var document = Embedded();
        Node(document, "core", "CORE-042")["no"] = "CORE-030";

        var exception = LoadFails(document);

        Assert.Contains(exception.Errors, e => e.Contains("cycle", StringComparison.Ordinal));
    }

    [Fact]
    public void Unreachable_node_is_reported()
    {
        var document = Embedded();
        Node(document, "core", "CORE-046")["yes"] = "CORE-047";

        var exception = LoadFails(document);

        Assert.Contains(exception.Errors, e => e.Contains("'CORE-058' cannot be reached", StringComparison.Ordinal));
    }

    [Fact]
    public void Leaf_naming_an_unknown_finding_code_is_reported()
    {
        var document = Embedded();
        Node(document, "core", "CORE-066")["findings"] = new JsonArray("CORE-NOT-DEFINED");

        var exception = LoadFails(document);

        Assert.Contains(exception.Errors, e => e.Contains("'CORE-NOT-DEFINED' is not in the findings catalog", StringComparison.Ordinal));
    }

    [Fact]
    public void Operator_that_does_not_fit_the_fact_type_is_reported()
    {
        var document = Embedded();
        Node(document, "core", "CORE-030")["condition"] = JsonNode.Parse("""{ "fact": "signature.status", "op": "gt", "value": 3 }""");

        var exception = LoadFails(document);

        Assert.Contains(exception.Errors, e => e.Contains("'gt' needs a number fact", StringComparison.Ordinal));
    }

    [Fact]
    public void Value_outside_a_closed_fact_domain_is_reported()
    {
        var document = Embedded();
        Node(document, "core", "CORE-040")["cases"]!.AsObject().Add("MicrosoftSignedMaybe", "CORE-050");

        var exception = LoadFails(document);

        Assert.Contains(exception.Errors, e => e.Contains("'MicrosoftSignedMaybe' is not a value of 'signature.status'", StringComparison.Ordinal));
    }

    [Fact]
    public void Undefined_parameter_and_undefined_source_key_are_both_reported_at_once()
    {
        var document = Embedded();
        Node(document, "core", "CORE-030")["condition"] = JsonNode.Parse("""{ "fact": "process.cpuPercent", "op": "gte", "param": "noSuchParameter" }""");
        Node(document, "core", "CORE-050")["references"] = new JsonArray("NOPE");

        var exception = LoadFails(document);

        Assert.Contains(exception.Errors, e => e.Contains("parameter 'noSuchParameter'", StringComparison.Ordinal));
        Assert.Contains(exception.Errors, e => e.Contains("source key 'NOPE'", StringComparison.Ordinal));
        Assert.Contains("problem(s)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Core_process_pointing_at_a_missing_tree_is_reported()
    {
        var document = Embedded();
        document["coreProcesses"]![0]!["tree"] = "nowhere";

        var exception = LoadFails(document);

        Assert.Contains(exception.Errors, e => e.Contains("tree 'nowhere' does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void Finding_detail_with_an_unknown_placeholder_is_reported()
    {
        var document = Embedded();
        document["findings"]![0]!["detail"] = "See {process.nothing}.";

        var exception = LoadFails(document);

        Assert.Contains(exception.Errors, e => e.Contains("{process.nothing}", StringComparison.Ordinal));
    }

    [Fact]
    public void Override_can_change_a_parameter_and_the_verdict_follows()
    {
        var document = Embedded();
        document["parameters"]!["highGpuPercent"]!["value"] = 99;
        var rules = RuleSet.Load(document.ToJsonString());
        var context = Evaluation.Contexts.GenuineCsrss();
        context = context with { Process = context.Process! with { GpuPercent = 45 } };

        Assert.Empty(rules.Evaluate(context).Findings);
        Assert.NotEmpty(RuleSet.LoadEmbedded().Evaluate(context).Findings);
    }

    [Fact]
    public void Every_node_and_finding_has_references_that_resolve_to_sources()
    {
        var document = Embedded();
        var sources = document["sources"]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var nodes = document["trees"]!.AsArray().SelectMany(t => t!["nodes"]!.AsArray());

        Assert.All(nodes, n => Assert.All(n!["references"]!.AsArray(), r => Assert.Contains((string)r!, sources)));
        Assert.All(document["findings"]!.AsArray(), f => Assert.NotEmpty(f!["references"]!.AsArray()));
    }
}
