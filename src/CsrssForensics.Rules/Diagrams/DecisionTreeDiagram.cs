using System.Text;
using CsrssForensics.Rules.Model;

namespace CsrssForensics.Rules.Diagrams;

/// <summary>A decision tree drawn as a Mermaid flowchart.</summary>
/// <param name="TreeId">The tree's id in the rules data.</param>
/// <param name="FileName">Where the docs keep it: <c>decision-tree.&lt;tree id&gt;.mmd</c>.</param>
/// <param name="Mermaid">The flowchart text ('\n' line endings, ending with one).</param>
public sealed record TreeDiagram(string TreeId, string FileName, string Mermaid);

/// <summary>
/// Renders a decision tree as Mermaid, node by node in document order, so the diagram is a pure function of the
/// rules data and a test can tell when the committed file is stale.
/// </summary>
internal static class DecisionTreeDiagram
{
    /// <summary>The command that regenerates the files in docs/ (quoted in the header and in the test's failure message).</summary>
    public const string RegenerateCommand = "dotnet run --project src/CsrssForensics.Cli -c Release -- rules graph --out docs";

    public static TreeDiagram Render(DecisionTree tree)
    {
        var text = new StringBuilder();
        text.Append("%% Generated from the rules data by `").Append(RegenerateCommand).Append("`; do not edit.\n");
        text.Append("%% Tree '").Append(tree.Id).Append("': ").Append(Comment(tree.Description)).Append('\n');
        text.Append("flowchart TD\n");
        foreach (var node in tree.Nodes.Values.OrderBy(n => NodeOrder(tree, n)).ThenBy(n => n.Id, StringComparer.Ordinal))
        {
            switch (node)
            {
                case DecisionNode decision:
                    Line(text, $"{Key(decision.Id)}{{\"{Label(decision.Id + ": " + decision.Question)}\"}}");
                    Edge(text, decision.Id, "yes", decision.Yes);
                    Edge(text, decision.Id, decision.Unknown is null ? "no / unknown" : "no", decision.No);
                    if (decision.Unknown is not null)
                    {
                        Edge(text, decision.Id, "unknown", decision.Unknown);
                    }

                    break;
                case SwitchNode choice:
                    Line(text, $"{Key(choice.Id)}{{{{\"{Label(choice.Id + ": " + choice.Question)}\"}}}}");
                    foreach (var group in choice.Cases.OrderBy(c => c.Key, StringComparer.Ordinal).GroupBy(c => c.Value, StringComparer.Ordinal))
                    {
                        Edge(text, choice.Id, string.Join(" / ", group.Select(c => c.Key)), group.Key);
                    }

                    Edge(text, choice.Id, "other", choice.Default);
                    break;
                case LeafNode leaf:
                    var verdict = leaf.Verdict.ToString().ToLowerInvariant();
                    var findings = leaf.Findings.IsDefaultOrEmpty ? string.Empty : "<br/>" + string.Join(", ", leaf.Findings);
                    Line(text, $"{Key(leaf.Id)}([\"{Label(leaf.Id)}: <b>{verdict}</b>{Label(findings, keepBreaks: true)}\"]):::{verdict}");
                    break;
            }
        }

        text.Append("  classDef legitimate fill:#d8f0d8,stroke:#2e7d32\n");
        text.Append("  classDef suspicious fill:#fff3cd,stroke:#b8860b\n");
        text.Append("  classDef fake fill:#f8d7da,stroke:#b71c1c\n");
        text.Append("  classDef inconclusive fill:#e2e3e5,stroke:#555555\n");
        return new TreeDiagram(tree.Id, $"decision-tree.{tree.Id}.mmd", text.ToString());
    }

    // The frozen dictionary keeps no document order: the root first, then by id, so the text is stable.
    private static int NodeOrder(DecisionTree tree, Node node) => node.Id == tree.Root ? 0 : 1;

    private static void Line(StringBuilder text, string line) => text.Append("  ").Append(line).Append('\n');

    private static void Edge(StringBuilder text, string from, string label, string to) =>
        Line(text, $"{Key(from)} -->|\"{Label(label)}\"| {Key(to)}");

    // Mermaid ids: letters, digits and underscores are safe everywhere (a hyphen can read as an arrow).
    private static string Key(string id) => id.Replace('-', '_');

    // Inside a quoted label, '"' ends the label and '#', '<', '>' start entities or HTML: write them as entity codes.
    private static string Label(string text, bool keepBreaks = false)
    {
        var escaped = text
            .Replace("#", "#35;", StringComparison.Ordinal)
            .Replace("\"", "#quot;", StringComparison.Ordinal)
            .Replace("<", "#lt;", StringComparison.Ordinal)
            .Replace(">", "#gt;", StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal)
            .Replace("\r", " ", StringComparison.Ordinal);
        return keepBreaks ? escaped.Replace("#lt;br/#gt;", "<br/>", StringComparison.Ordinal) : escaped;
    }

    private static string Comment(string text) => text.Replace('\n', ' ').Replace('\r', ' ');
}
