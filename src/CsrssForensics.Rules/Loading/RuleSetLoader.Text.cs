using System.Collections.Immutable;
using System.Text.Json;
using CsrssForensics.Rules.Model;
using CsrssForensics.Rules.Text;

namespace CsrssForensics.Rules.Loading;

/// <summary>The checks on rule text and on a row's own finding codes, kept beside the structural checks.</summary>
internal static partial class RuleSetLoader
{
    private sealed partial class Reader
    {
        // Questions and reasons are filled like finding details; a placeholder nobody provides is a load error, not
        // a "{core.folder}" printed in a report. The out-of-scope tree judges subjects without a table row.
        private void CheckTreeText(JsonElement trees, string outOfScope)
        {
            var treeIndex = 0;
            foreach (var tree in trees.EnumerateArray())
            {
                var rowAvailable = !string.Equals(tree.GetProperty("id").GetString(), outOfScope, StringComparison.Ordinal);
                var nodeIndex = 0;
                foreach (var node in tree.GetProperty("nodes").EnumerateArray())
                {
                    var at = $"/trees/{treeIndex}/nodes/{nodeIndex++}";
                    foreach (var field in (string[])["question", "reason"])
                    {
                        if (node.TryGetProperty(field, out var text) && text.ValueKind == JsonValueKind.String)
                        {
                            CheckPlaceholders(text.GetString() ?? string.Empty, $"{at}/{field}", rowAvailable);
                        }
                    }
                }

                treeIndex++;
            }
        }

        private void CheckPlaceholders(string text, string at, bool rowAvailable)
        {
            foreach (var name in Placeholders.Names(text))
            {
                if (Placeholders.Problem(name, rowAvailable) is { } problem)
                {
                    _errors.Add($"{at}: {problem}");
                }
            }
        }

        // A row's own finding replaces a code its tree names: both must be in the catalog, and the tree must name the
        // replaced code on some leaf, or the entry would silently do nothing.
        private ImmutableSortedDictionary<string, string> ReadOwnFindings(JsonElement row, string at, DecisionTree? tree, HashSet<string> codes)
        {
            var result = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            if (!row.TryGetProperty("ownFindings", out var own))
            {
                return result.ToImmutable();
            }

            var named = tree is null
                ? []
                : tree.Nodes.Values.OfType<LeafNode>().SelectMany(l => l.Findings).ToHashSet(StringComparer.Ordinal);
            foreach (var property in own.EnumerateObject())
            {
                var replacement = property.Value.GetString() ?? string.Empty;
                var where = $"{at}/ownFindings/{property.Name}";
                if (!codes.Contains(property.Name))
                {
                    _errors.Add($"{where}: finding code '{property.Name}' is not in the findings catalog");
                }
                else if (tree is not null && !named.Contains(property.Name))
                {
                    _errors.Add($"{where}: no leaf of tree '{tree.Id}' names finding '{property.Name}', so replacing it does nothing");
                }

                if (!codes.Contains(replacement))
                {
                    _errors.Add($"{where}: finding code '{replacement}' is not in the findings catalog");
                }

                result[property.Name] = replacement;
            }

            return result.ToImmutable();
        }
    }
}
