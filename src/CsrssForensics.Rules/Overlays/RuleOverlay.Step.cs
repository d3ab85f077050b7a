using System.Text.Json.Nodes;

namespace CsrssForensics.Rules.Overlays;

/// <content>The operations of one overlay file, in a fixed order: sources, parameters, findings, nodes, core rows, names.</content>
internal sealed partial class RuleOverlay
{
    /// <summary>One overlay file being applied: its adds, overrides and disables, each checked against what exists.</summary>
    private sealed class Step(RuleOverlay merger, string label, string file, JsonPositions positions)
    {
        private readonly RuleOverlay _merger = merger;
        private readonly string _label = label;
        private readonly string _file = file;
        private readonly JsonPositions _positions = positions;

        public void Apply(JsonObject overlay)
        {
            foreach (var (key, value) in overlay["sources"]?.AsObject() ?? [])
            {
                _merger._root["sources"]!.AsObject()[key] = value!.DeepClone();
            }

            foreach (var (name, value) in overlay["parameters"]?.AsObject() ?? [])
            {
                var parameters = _merger._root["parameters"]!.AsObject();
                var replaced = parameters.ContainsKey(name);
                parameters[name] = value!.DeepClone();
                Record("parameter:" + name, "/parameters/" + JsonPositions.Escape(name), replaced);
            }

            ApplyFindings(overlay["findings"]);
            ApplyNodes(overlay["nodes"]);
            ApplyCoreProcesses(overlay["coreProcesses"]);
            ApplyKnownNames(overlay["knownWindowsNames"]);
        }

        private void ApplyFindings(JsonNode? section)
        {
            var findings = _merger._root["findings"]!.AsArray();
            var index = 0;
            foreach (var code in Array(section, "disable").Select(c => c!.GetValue<string>()))
            {
                var at = $"/findings/disable/{index++}";
                var position = IndexOf(findings, "code", code, StringComparison.Ordinal);
                if (position < 0)
                {
                    Error(at, $"finding '{code}' cannot be disabled: it is not in the rules in force{DisabledNote(code)}");
                    continue;
                }

                // The analysis code emits launcher and host-context findings itself and needs their wording; taking
                // one out would stop every analysis, so the overlay lowers its severity instead.
                if (findings[position]?["producer"]?.GetValue<string>() is { } producer && !producer.Equals("tree", StringComparison.OrdinalIgnoreCase))
                {
                    Error(at, $"finding '{code}' is produced by the {producer} checks and cannot be disabled; override its severity (e.g. \"Info\") instead");
                    continue;
                }

                findings.RemoveAt(position);
                _merger._origins.Remove("finding:" + code);
                _merger._disabled[code] = _label;
                // A verdict node that names the finding would otherwise point at a code that no longer exists.
                foreach (var node in Array(_merger._root, "trees").SelectMany(t => Array(t, "nodes")))
                {
                    if (node?["findings"] is JsonArray named)
                    {
                        foreach (var item in named.Where(n => n?.GetValue<string>() == code).ToList())
                        {
                            named.Remove(item);
                        }
                    }
                }
            }

            AddOrReplace(findings, Array(section, "add"), "/findings/add", "code", "finding:", add: true);
            AddOrReplace(findings, Array(section, "override"), "/findings/override", "code", "finding:", add: false);
        }

        private void ApplyNodes(JsonNode? section)
        {
            var trees = Array(_merger._root, "trees").ToList();
            var index = 0;
            foreach (var item in Array(section, "add"))
            {
                var at = $"/nodes/add/{index++}";
                var treeId = Text(item, "tree");
                var id = Text(item?["node"], "id");
                var tree = trees.FirstOrDefault(t => Text(t, "id") == treeId);
                if (tree is null)
                {
                    Error(at + "/tree", $"tree '{treeId}' does not exist (trees: {string.Join(", ", trees.Select(t => Text(t, "id")))})");
                }
                else if (_merger._origins.ContainsKey("node:" + id))
                {
                    Error(at + "/node/id", $"node '{id}' already exists; use nodes.override to replace it");
                }
                else
                {
                    tree["nodes"]!.AsArray().Add(item!["node"]!.DeepClone());
                    Record("node:" + id, at + "/node", replaced: false);
                }
            }

            index = 0;
            foreach (var item in Array(section, "override"))
            {
                var at = $"/nodes/override/{index++}";
                var id = Text(item, "id");
                var holder = trees.Select(t => t!["nodes"]!.AsArray()).FirstOrDefault(nodes => IndexOf(nodes, "id", id, StringComparison.Ordinal) >= 0);
                if (holder is null)
                {
                    Error(at + "/id", $"node '{id}' cannot be overridden: no tree holds it; use nodes.add for a new node");
                    continue;
                }

                holder[IndexOf(holder, "id", id, StringComparison.Ordinal)] = item!.DeepClone();
                Record("node:" + id, at, replaced: true);
            }
        }

        private void ApplyCoreProcesses(JsonNode? section)
        {
            var cores = _merger._root["coreProcesses"]!.AsArray();
            AddOrReplace(cores, Array(section, "add"), "/coreProcesses/add", "name", "core:", add: true);
            AddOrReplace(cores, Array(section, "override"), "/coreProcesses/override", "name", "core:", add: false);
        }

        private void ApplyKnownNames(JsonNode? section)
        {
            var names = _merger._root["knownWindowsNames"]!["names"]!.AsArray();
            var index = 0;
            foreach (var name in Array(section, "add").Select(n => n!.GetValue<string>()))
            {
                var at = $"/knownWindowsNames/add/{index++}";
                if (names.Any(n => string.Equals(n!.GetValue<string>(), name, StringComparison.OrdinalIgnoreCase)))
                {
                    Error(at, $"'{name}' is already a known Windows name");
                    continue;
                }

                names.Add((JsonNode?)JsonValue.Create(name));
                Record(KnownKey(name), at, replaced: false);
            }

            index = 0;
            foreach (var name in Array(section, "remove").Select(n => n!.GetValue<string>()))
            {
                var at = $"/knownWindowsNames/remove/{index++}";
                var existing = names.FirstOrDefault(n => string.Equals(n!.GetValue<string>(), name, StringComparison.OrdinalIgnoreCase));
                if (existing is null)
                {
                    Error(at, $"'{name}' is not a known Windows name, so it cannot be removed");
                    continue;
                }

                names.Remove(existing);
                _merger._origins.Remove(KnownKey(name));
            }
        }

        // Core-process names compare case-insensitively (as the loader does); finding codes exactly.
        private void AddOrReplace(JsonArray target, IEnumerable<JsonNode?> items, string at, string idProperty, string keyPrefix, bool add)
        {
            var comparison = keyPrefix == "core:" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            var index = 0;
            foreach (var item in items)
            {
                var itemAt = $"{at}/{index++}";
                var id = Text(item, idProperty);
                var key = keyPrefix == "core:" ? CoreKey(id) : keyPrefix + id;
                var position = IndexOf(target, idProperty, id, comparison);
                if (add && position >= 0)
                {
                    Error(itemAt + "/" + idProperty, $"'{id}' already exists; use override to replace it");
                }
                else if (!add && position < 0)
                {
                    Error(itemAt + "/" + idProperty, $"'{id}' cannot be overridden: it is not in the rules in force{DisabledNote(id)}; use add for a new one");
                }
                else
                {
                    if (add)
                    {
                        target.Add(item!.DeepClone());
                    }
                    else
                    {
                        target[position] = item!.DeepClone();
                    }

                    Record(key, itemAt, replaced: !add);
                }
            }
        }

        private void Record(string key, string pointer, bool replaced)
        {
            var previous = replaced && _merger._origins.TryGetValue(key, out var was) ? was.Label : null;
            _merger._origins[key] = new ItemOrigin(_label, previous, _file, _positions, pointer);
        }

        private string DisabledNote(string code) =>
            _merger._disabled.TryGetValue(code, out var by) ? $" (disabled by {by})" : string.Empty;

        private void Error(string pointer, string message) =>
            _merger._errors.Add($"{ItemOrigin.Where(_file, _positions, pointer)}: {message}");

        private static int IndexOf(JsonArray array, string property, string id, StringComparison comparison)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (string.Equals(Text(array[i], property), id, comparison))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
