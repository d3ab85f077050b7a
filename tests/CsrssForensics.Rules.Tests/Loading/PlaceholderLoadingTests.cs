using System.Text.Json.Nodes;

namespace CsrssForensics.Rules.Tests.Loading;

/// <summary>Placeholders and a row's own findings are checked when the rules load, with the JSON path of the text.</summary>
public sealed class PlaceholderLoadingTests
{
    private static JsonObject Embedded() => JsonNode.Parse(RuleSet.ReadEmbedded())!.AsObject();

    private static (JsonObject Node, int Tree, int Index) Node(JsonObject document, string id)
    {
        var trees = document["trees"]!.AsArray();
        for (var t = 0; t < trees.Count; t++)
        {
            var nodes = trees[t]!["nodes"]!.AsArray();
            for (var n = 0; n < nodes.Count; n++)
            {
                if ((string?)nodes[n]!["id"] == id)
                {
                    return (nodes[n]!.AsObject(), t, n);
                }
            }
        }

        throw new InvalidOperationException($"node {id} is not in the embedded rules");
    }

    private static JsonObject Row(JsonObject document, string name) =>
        document["coreProcesses"]!.AsArray().Single(r => (string?)r!["name"] == name)!.AsObject();

    private static IReadOnlyList<string> Errors(JsonObject document) =>
        Assert.Throws<RuleSetException>(() => RuleSet.Load(document.ToJsonString())).Errors;

    [Fact]
    public void Misspelled_placeholder_in_a_question_is_reported_at_that_question()
    {
        var document = Embedded();
        var (node, tree, index) = Node(document, "CORE-030");
        node["question"] = "Is the file in {core.folder}?";

        var error = Assert.Single(Errors(document));

        Assert.StartsWith($"/trees/{tree}/nodes/{index}/question: placeholder {{core.folder}} is neither a fact nor a core-process table field", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_placeholder_in_a_reason_and_in_a_finding_title_are_both_reported()
    {
        var document = Embedded();
        var (node, tree, index) = Node(document, "CORE-050");
        node["reason"] = "Fine, says {analyst.mood}.";
        document["findings"]![0]!["title"] = "About {core.nickname}";

        var errors = Errors(document);

        Assert.Contains(errors, e => e.StartsWith($"/trees/{tree}/nodes/{index}/reason: placeholder {{analyst.mood}}", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("/findings/0/title: placeholder {core.nickname}", StringComparison.Ordinal));
    }

    [Fact]
    public void Row_field_in_the_out_of_scope_tree_is_reported()
    {
        var document = Embedded();
        var (node, tree, index) = Node(document, "OOS-001");
        node["reason"] = "Not in {core.folders}.";

        var error = Assert.Single(Errors(document));

        Assert.StartsWith($"/trees/{tree}/nodes/{index}/reason: placeholder {{core.folders}} is a core-process table field", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Own_finding_that_is_not_in_the_catalog_is_reported()
    {
        var document = Embedded();
        Row(document, "csrss.exe")["ownFindings"] = new JsonObject { ["CORE-CMDLINE-SHAPE"] = "CSR-NOT-DEFINED" };

        var error = Assert.Single(Errors(document));

        Assert.Contains("/ownFindings/CORE-CMDLINE-SHAPE: finding code 'CSR-NOT-DEFINED' is not in the findings catalog", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Own_finding_for_a_code_no_leaf_names_is_reported_as_doing_nothing()
    {
        var document = Embedded();
        Row(document, "csrss.exe")["ownFindings"] = new JsonObject { ["CSR-CMDLINE-MISMATCH"] = "CORE-CMDLINE-SHAPE" };

        var error = Assert.Single(Errors(document));

        Assert.Contains("no leaf of tree 'core' names finding 'CSR-CMDLINE-MISMATCH'", error, StringComparison.Ordinal);
    }
}
