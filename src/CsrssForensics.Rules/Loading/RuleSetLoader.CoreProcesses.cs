using System.Collections.Immutable;
using System.Text.Json;
using CsrssForensics.Rules.Model;

namespace CsrssForensics.Rules.Loading;

/// <summary>The core-process table: one row per Windows process name, with its folders, parents, accounts and tree.</summary>
internal static partial class RuleSetLoader
{
    private sealed partial class Reader
    {
        private ImmutableArray<CoreProcessRule> ReadCoreProcesses(JsonElement element, Dictionary<string, DecisionTree> trees, HashSet<string> codes)
        {
            var result = ImmutableArray.CreateBuilder<CoreProcessRule>();
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                var at = $"/coreProcesses/{index++}";
                var name = item.GetProperty("name").GetString() ?? string.Empty;
                if (!names.Add(name))
                {
                    _errors.Add($"{at}/name: core process '{name}' is listed twice");
                }

                var tree = item.GetProperty("tree").GetString() ?? string.Empty;
                if (!trees.ContainsKey(tree))
                {
                    _errors.Add($"{at}/tree: tree '{tree}' does not exist");
                }

                CheckReferences(item, at);
                var parent = item.GetProperty("parent");
                var hasChildren = item.TryGetProperty("allowedChildren", out var children);
                result.Add(new CoreProcessRule(
                    name,
                    item.GetProperty("displayName").GetString() ?? string.Empty,
                    tree,
                    Strings(item.GetProperty("folders")),
                    Enum.Parse<LivingParentPolicy>(parent.GetProperty("living").GetString() ?? "optional", ignoreCase: true),
                    Strings(parent.GetProperty("allowed")),
                    Enum.Parse<InstancePolicy>(item.GetProperty("instances").GetString() ?? "many", ignoreCase: true),
                    Strings(item.GetProperty("accounts")),
                    Enum.Parse<SessionPolicy>(item.GetProperty("session").GetString() ?? "any", ignoreCase: true),
                    Enum.Parse<CommandLineShape>(item.GetProperty("commandLine").GetProperty("shape").GetString() ?? "any", ignoreCase: true),
                    hasChildren,
                    hasChildren ? Strings(children) : [],
                    item.TryGetProperty("normalLaunchers", out var launchers) ? Strings(launchers) : [],
                    item.GetProperty("lookAlike").GetBoolean(),
                    item.TryGetProperty("maxSizeBytes", out var size) ? size.GetInt64() : null,
                    item.GetProperty("description").GetString() ?? string.Empty,
                    Strings(item.GetProperty("references")))
                {
                    Critical = item.TryGetProperty("critical", out var critical) && critical.ValueKind == JsonValueKind.True,
                    StartedOnlyByWindows = item.TryGetProperty("startedOnlyByWindows", out var only) && only.ValueKind == JsonValueKind.True,
                    OtherImageNames = item.TryGetProperty("otherImageNames", out var other) ? Strings(other) : [],
                    OwnFindings = ReadOwnFindings(item, at, trees.GetValueOrDefault(tree), codes),
                });
            }

            return result.ToImmutable();
        }
    }
}
