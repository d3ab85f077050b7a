using CsrssForensics.Rules.Diagrams;
using CsrssForensics.Rules.Overlays;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Rules.Tests.Diagrams;

public sealed class DecisionTreeDiagramTests
{
    private static readonly string _docs = TestEnvironment.PathOf("docs");

    [Fact]
    public void Committed_diagrams_are_the_ones_the_rules_data_generates()
    {
        var diagrams = RuleSet.LoadEmbedded().DecisionTreeDiagrams();

        Assert.NotEmpty(diagrams);
        foreach (var diagram in diagrams)
        {
            var path = Path.Combine(_docs, diagram.FileName);
            var committed = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
            Assert.True(
                committed == diagram.Mermaid,
                $"docs/{diagram.FileName} is {(committed is null ? "missing" : "not current")}; regenerate it with: {DecisionTreeDiagram.RegenerateCommand}");
        }
    }

    [Fact]
    public void No_diagram_is_left_for_a_tree_that_no_longer_exists()
    {
        var expected = RuleSet.LoadEmbedded().DecisionTreeDiagrams().Select(d => d.FileName).ToHashSet(StringComparer.Ordinal);

        var stale = Directory.GetFiles(_docs, "decision-tree.*.mmd").Select(Path.GetFileName).Where(f => !expected.Contains(f!)).ToList();

        Assert.True(stale.Count == 0, $"docs/ holds diagrams of trees that no longer exist: {string.Join(", ", stale)}; delete them and run: {DecisionTreeDiagram.RegenerateCommand}");
    }

    [Fact]
    public void Every_node_of_every_tree_is_drawn_with_its_links()
    {
        var rules = RuleSet.LoadEmbedded();
        var nodes = rules.Catalog.Entries.Where(e => e.Kind is RuleKinds.Question or RuleKinds.Verdict).ToList();

        var text = string.Concat(rules.DecisionTreeDiagrams().Select(d => d.Mermaid));

        Assert.All(nodes, n => Assert.Contains($"\n  {n.Id.Replace('-', '_')}", text, StringComparison.Ordinal));
        Assert.Contains(" -->|\"yes\"| ", text, StringComparison.Ordinal);
        Assert.Contains(":::fake", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_text_cannot_break_out_of_its_quotes()
    {
        var hostile = RuleSet.Compose(null, [Question("Is it \"quoted\"] --> X[<script>#1?")]);

        var drawn = hostile.DecisionTreeDiagrams().Single(d => d.Mermaid.Contains("OOS_001", StringComparison.Ordinal)).Mermaid;

        Assert.Contains("Is it #quot;quoted#quot;] --#gt; X[#lt;script#gt;#35;1?", drawn, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", drawn, StringComparison.Ordinal);
    }

    // The out-of-scope tree as one yes/no question over a leaf pair, with the question text given.
    private static RulesFile Question(string question) => new("h.json", System.Text.Encoding.UTF8.GetBytes($$"""
        { "overlaySchemaVersion": 1, "name": "h", "description": "d",
          "nodes": {
            "override": [ { "id": "OOS-001", "question": {{System.Text.Json.JsonSerializer.Serialize(question)}}, "condition": { "fact": "name.exact", "op": "true" }, "yes": "OOS-002", "no": "OOS-002", "references": ["DESIGN"] } ],
            "add": [ { "tree": "out-of-scope", "node": { "id": "OOS-002", "verdict": "inconclusive", "reason": "r", "reasonCode": "REASON-USER-R", "findings": [], "references": ["DESIGN"] } } ]
          } }
        """));
}
