using System.Collections.Frozen;
using System.Text.Json;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Rules.Facts;
using CsrssForensics.Rules.Model;

namespace CsrssForensics.Rules.Loading;

/// <summary>Decision trees: reading their nodes and checking links, cycles and reachability.</summary>
internal static partial class RuleSetLoader
{
    private sealed partial class Reader
    {
        private DecisionTree ReadTree(JsonElement element, string at, HashSet<string> codes, Dictionary<string, string> allNodeIds)
        {
            var id = element.GetProperty("id").GetString() ?? string.Empty;
            var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
            var index = 0;
            foreach (var item in element.GetProperty("nodes").EnumerateArray())
            {
                var nodeAt = $"{at}/nodes/{index++}";
                var node = ReadNode(item, nodeAt, codes);
                if (!allNodeIds.TryAdd(node.Id, id))
                {
                    _errors.Add($"{nodeAt}/id: node id '{node.Id}' is already used in tree '{allNodeIds[node.Id]}' (ids must be unique across trees)");
                    continue;
                }

                nodes[node.Id] = node;
            }

            var root = element.GetProperty("root").GetString() ?? string.Empty;
            if (!nodes.ContainsKey(root))
            {
                _errors.Add($"{at}/root: node '{root}' does not exist in tree '{id}'");
            }
            else
            {
                CheckLinks(id, at, root, nodes);
            }

            return new DecisionTree(id, element.GetProperty("description").GetString() ?? string.Empty, root, nodes.ToFrozenDictionary(StringComparer.Ordinal));
        }

        // A reason code names one leaf: report readers and site rules key on it, so two leaves may not share one.
        private void CheckReasonCodes(IEnumerable<DecisionTree> trees)
        {
            var leaves = trees.SelectMany(t => t.Nodes.Values).OfType<LeafNode>().OrderBy(l => l.Id, StringComparer.Ordinal);
            foreach (var shared in leaves.GroupBy(l => l.ReasonCode, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                _errors.Add($"/trees: reason code '{shared.Key}' is used by more than one leaf ({string.Join(", ", shared.Select(l => l.Id))})");
            }
        }

        // Every link must exist, the graph must be acyclic (so evaluation always ends at a leaf) and every node reachable.
        private void CheckLinks(string treeId, string at, string root, Dictionary<string, Node> nodes)
        {
            foreach (var node in nodes.Values)
            {
                foreach (var target in Targets(node))
                {
                    if (!nodes.ContainsKey(target))
                    {
                        _errors.Add($"{at}: node '{node.Id}' links to '{target}', which does not exist in tree '{treeId}'");
                    }
                }
            }

            var state = new Dictionary<string, int>(StringComparer.Ordinal);
            var stack = new Stack<(string Id, IEnumerator<string> Next)>();
            state[root] = 1;
            stack.Push((root, Targets(nodes[root]).GetEnumerator()));
            while (stack.Count > 0)
            {
                var (current, next) = stack.Peek();
                if (!next.MoveNext())
                {
                    state[current] = 2;
                    stack.Pop();
                    continue;
                }

                var target = next.Current;
                if (!nodes.TryGetValue(target, out var targetNode))
                {
                    continue;
                }

                if (state.TryGetValue(target, out var seen))
                {
                    if (seen == 1)
                    {
                        _errors.Add($"{at}: cycle in tree '{treeId}': '{current}' leads back to '{target}'");
                    }

                    continue;
                }

                state[target] = 1;
                stack.Push((target, Targets(targetNode).GetEnumerator()));
            }

            foreach (var id in nodes.Keys.Where(id => !state.ContainsKey(id)).Order(StringComparer.Ordinal))
            {
                _errors.Add($"{at}: node '{id}' cannot be reached from root '{root}' in tree '{treeId}'");
            }
        }

        private static IEnumerable<string> Targets(Node node) => node switch
        {
            DecisionNode d => d.Unknown is null ? [d.Yes, d.No] : [d.Yes, d.No, d.Unknown],
            SwitchNode s => s.Cases.Values.Append(s.Default).Distinct(StringComparer.Ordinal),
            _ => [],
        };

        private Node ReadNode(JsonElement element, string at, HashSet<string> codes)
        {
            var id = element.GetProperty("id").GetString() ?? string.Empty;
            CheckReferences(element, at);
            var references = Strings(element.GetProperty("references"));
            if (element.TryGetProperty("verdict", out var verdict))
            {
                var findings = Strings(element.GetProperty("findings"));
                foreach (var code in findings.Where(c => !codes.Contains(c)))
                {
                    _errors.Add($"{at}/findings: finding code '{code}' is not in the findings catalog");
                }

                return new LeafNode(id, Enum.Parse<Verdict>(verdict.GetString() ?? "inconclusive", ignoreCase: true), element.GetProperty("reason").GetString() ?? string.Empty, findings, references)
                {
                    ReasonCode = element.TryGetProperty("reasonCode", out var reasonCode) ? reasonCode.GetString() ?? string.Empty : string.Empty,
                };
            }

            var question = element.GetProperty("question").GetString() ?? string.Empty;
            if (element.TryGetProperty("switch", out var switchFact))
            {
                var fact = switchFact.GetString() ?? string.Empty;
                if (FactNames.Types.TryGetValue(fact, out var kind) && kind != FactKind.Text)
                {
                    _errors.Add($"{at}/switch: fact '{fact}' is {kind}; a switch needs a text fact");
                }

                var cases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var property in element.GetProperty("cases").EnumerateObject())
                {
                    CheckClosedValue(fact, property.Name, $"{at}/cases/{property.Name}");
                    cases[property.Name] = property.Value.GetString() ?? string.Empty;
                }

                return new SwitchNode(id, question, fact, cases.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase), element.GetProperty("default").GetString() ?? string.Empty, references);
            }

            var condition = ReadCondition(element.GetProperty("condition"), at + "/condition");
            return new DecisionNode(
                id,
                question,
                condition,
                element.GetProperty("yes").GetString() ?? string.Empty,
                element.GetProperty("no").GetString() ?? string.Empty,
                element.TryGetProperty("unknown", out var unknown) ? unknown.GetString() : null,
                references);
        }
    }
}
