using System.Collections.Frozen;
using CsrssForensics.Rules.Facts;
using CsrssForensics.Rules.Loading;
using CsrssForensics.Rules.Model;
using CsrssForensics.Rules.Text;

namespace CsrssForensics.Rules.Tests.Data;

/// <summary>
/// Keeps the shipped rules honest now that one tree judges every core process: each row walks every branch to a
/// leaf, no node is dead, and every placeholder and finding code a row meets is one that row can fill.
/// </summary>
public sealed class DecisionTreeHonestyTests
{
    private static readonly RuleDefinition _rules = RuleSetLoader.Load(RuleSet.ReadEmbedded());

    public static TheoryData<string> RowNames() => [.. _rules.CoreProcesses.Select(c => c.Name)];

    [Fact]
    public void One_tree_judges_every_core_process_and_no_other_tree_is_left_over()
    {
        var used = _rules.CoreProcesses.Select(c => c.Tree).Distinct(StringComparer.Ordinal).ToList();

        Assert.Equal<string>(["core"], used);
        Assert.Equal<string>(["core", _rules.OutOfScopeTree], [.. _rules.Trees.Keys.Order(StringComparer.Ordinal)]);
    }

    [Theory]
    [MemberData(nameof(RowNames))]
    public void Every_branch_reaches_a_leaf_whose_text_and_findings_the_row_can_fill(string name)
    {
        var row = _rules.CoreProcesses.Single(c => c.Name == name);
        var tree = _rules.Trees[row.Tree];
        var rowText = Placeholders.ForRow(row);
        var catalog = _rules.Findings.Select(f => f.Code).ToHashSet(StringComparer.Ordinal);
        var leaves = 0;

        // Depth-first over every branch (yes, no, unknown, every switch case and the default), path by path.
        var pending = new Stack<(string Id, int Depth)>([(tree.Root, 0)]);
        while (pending.Count > 0)
        {
            var (id, depth) = pending.Pop();
            Assert.True(depth <= tree.Nodes.Count, $"{name}: the branch through '{id}' does not end within {tree.Nodes.Count} steps");
            Assert.True(tree.Nodes.TryGetValue(id, out var node), $"{name}: '{id}' is linked but does not exist");
            switch (node)
            {
                case DecisionNode decision:
                    AssertFilled(name, decision.Id, decision.Question, rowText);
                    foreach (var next in new[] { decision.Yes, decision.No, decision.Unknown }.OfType<string>())
                    {
                        pending.Push((next, depth + 1));
                    }

                    break;
                case SwitchNode choice:
                    AssertFilled(name, choice.Id, choice.Question, rowText);
                    foreach (var next in choice.Cases.Values.Append(choice.Default))
                    {
                        pending.Push((next, depth + 1));
                    }

                    break;
                case LeafNode leaf:
                    leaves++;
                    AssertFilled(name, leaf.Id, leaf.Reason, rowText);
                    Assert.All(leaf.Findings, code => Assert.Contains(row.FindingCode(code), catalog));
                    break;
            }
        }

        Assert.True(leaves > 0);
    }

    [Fact]
    public void Every_node_of_every_tree_is_reachable_from_its_root()
    {
        foreach (var tree in _rules.Trees.Values)
        {
            var reached = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>([tree.Root]);
            while (pending.Count > 0)
            {
                var id = pending.Pop();
                if (reached.Add(id))
                {
                    Targets(tree.Nodes[id]).ToList().ForEach(pending.Push);
                }
            }

            Assert.Equal<string>([.. tree.Nodes.Keys.Order(StringComparer.Ordinal)], [.. reached.Order(StringComparer.Ordinal)]);
        }
    }

    [Fact]
    public void Every_placeholder_in_the_rules_is_a_fact_or_a_field_every_row_provides()
    {
        var texts = _rules.Trees[_rules.CoreProcesses[0].Tree].Nodes.Values.Select(Text)
            .Concat(_rules.Findings.Where(f => f.Producer == FindingProducer.Tree).SelectMany(f => new[] { f.Title, f.Detail }));
        var names = texts.SelectMany(Placeholders.Names).Distinct(StringComparer.Ordinal).ToList();

        Assert.Contains(Placeholders.CoreFolders, names);
        foreach (var row in _rules.CoreProcesses)
        {
            var provided = Placeholders.ForRow(row);
            Assert.All(names, n => Assert.True(FactNames.Types.ContainsKey(n) || provided.ContainsKey(n), $"{row.Name} does not provide {{{n}}}"));
        }
    }

    [Fact]
    public void The_out_of_scope_tree_uses_no_row_field_because_its_subjects_have_no_row()
    {
        var names = _rules.Trees[_rules.OutOfScopeTree].Nodes.Values.Select(Text).SelectMany(Placeholders.Names);

        Assert.DoesNotContain(names, Placeholders.RowNames.Contains);
    }

    [Fact]
    public void Csrss_reports_its_own_command_line_finding_and_no_other_row_replaces_one()
    {
        var replacing = _rules.CoreProcesses.Where(c => !c.OwnFindings.IsEmpty).ToList();

        var csrss = Assert.Single(replacing);
        Assert.Equal("csrss.exe", csrss.Name);
        Assert.Equal("CSR-CMDLINE-MISMATCH", csrss.FindingCode("CORE-CMDLINE-SHAPE"));
    }

    // Every name in braces must be a fact (filled per subject) or a field this row provides, and no field may be blank.
    private static void AssertFilled(string row, string id, string template, FrozenDictionary<string, string> rowText)
    {
        foreach (var name in Placeholders.Names(template))
        {
            Assert.True(FactNames.Types.ContainsKey(name) || rowText.ContainsKey(name), $"{row}: {id} uses {{{name}}}, which the row does not provide");
            Assert.False(rowText.TryGetValue(name, out var value) && string.IsNullOrWhiteSpace(value), $"{row}: {{{name}}} is blank in {id}");
        }
    }

    private static string Text(Node node) => node switch
    {
        DecisionNode d => d.Question,
        SwitchNode s => s.Question,
        LeafNode l => l.Reason,
        _ => string.Empty,
    };

    private static IEnumerable<string> Targets(Node node) => node switch
    {
        DecisionNode d => new[] { d.Yes, d.No, d.Unknown }.OfType<string>(),
        SwitchNode s => s.Cases.Values.Append(s.Default),
        _ => [],
    };
}
