using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Rules.Facts;
using CsrssForensics.Rules.Model;

namespace CsrssForensics.Rules.Loading;

/// <summary>Everything a rules document defines, checked and ready to evaluate.</summary>
internal sealed record RuleDefinition(
    string Version,
    ImmutableArray<CoreProcessRule> CoreProcesses,
    ImmutableArray<string> KnownWindowsNames,
    FrozenDictionary<string, DecisionTree> Trees,
    string OutOfScopeTree,
    ImmutableArray<FindingRule> Findings,
    FrozenDictionary<string, FactValue> Parameters,
    FrozenDictionary<string, string> Sources);

/// <summary>
/// Reads a rules document: JSON syntax, then the schema, then what the schema cannot say (node links, cycles,
/// fact types, parameter types, finding codes, source keys). Every problem is collected before throwing.
/// </summary>
internal static partial class RuleSetLoader
{
    /// <param name="checkSchema">
    /// False only for the rules shipped in the assembly: a test checks them against the schema at build time
    /// (RuleSetLoadingTests), so every run need not pay for it again. A user's --rules file is always checked.
    /// </param>
    public static RuleDefinition Load(string json, bool checkSchema = true)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException exception)
        {
            var line = exception.LineNumber is long l ? (l + 1).ToString(CultureInfo.InvariantCulture) : "?";
            var position = exception.BytePositionInLine is long p ? (p + 1).ToString(CultureInfo.InvariantCulture) : "?";
            throw new RuleSetException([$"JSON syntax error at line {line}, position {position}: {exception.Message}"]);
        }

        using (document)
        {
            var schemaErrors = checkSchema ? SchemaValidator.Validate(document.RootElement) : [];
            if (schemaErrors.Count > 0)
            {
                throw new RuleSetException(schemaErrors);
            }

            var errors = new List<string>();
            var definition = new Reader(errors).Read(document.RootElement);
            if (errors.Count > 0)
            {
                throw new RuleSetException([.. errors.Distinct(StringComparer.Ordinal)]);
            }

            return definition;
        }
    }

    private sealed partial class Reader(List<string> errors)
    {
        private readonly List<string> _errors = errors;
        private FrozenDictionary<string, string> _sources = FrozenDictionary<string, string>.Empty;
        private FrozenDictionary<string, FactValue> _parameters = FrozenDictionary<string, FactValue>.Empty;

        public RuleDefinition Read(JsonElement root)
        {
            _sources = root.GetProperty("sources").EnumerateObject()
                .ToFrozenDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
            _parameters = ReadParameters(root.GetProperty("parameters"));
            var known = root.GetProperty("knownWindowsNames");
            CheckReferences(known, "/knownWindowsNames");
            var knownNames = Strings(known.GetProperty("names"));

            var findings = ReadFindings(root.GetProperty("findings"));
            // A leaf can name only what the evaluator can word: produced findings need the code's parameters.
            var codes = findings.Where(f => f.Producer == FindingProducer.Tree).Select(f => f.Code).ToHashSet(StringComparer.Ordinal);

            var trees = new Dictionary<string, DecisionTree>(StringComparer.Ordinal);
            var allNodeIds = new Dictionary<string, string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var tree in root.GetProperty("trees").EnumerateArray())
            {
                var built = ReadTree(tree, $"/trees/{index}", codes, allNodeIds);
                if (!trees.TryAdd(built.Id, built))
                {
                    _errors.Add($"/trees/{index}/id: tree id '{built.Id}' is used twice");
                }

                index++;
            }

            var cores = ReadCoreProcesses(root.GetProperty("coreProcesses"), trees, codes);
            var outOfScope = root.GetProperty("outOfScopeTree").GetString() ?? string.Empty;
            if (!trees.ContainsKey(outOfScope))
            {
                _errors.Add($"/outOfScopeTree: tree '{outOfScope}' does not exist");
            }

            CheckTreeText(root.GetProperty("trees"), outOfScope);

            return new RuleDefinition(
                root.GetProperty("version").GetString() ?? string.Empty,
                cores,
                knownNames,
                trees.ToFrozenDictionary(StringComparer.Ordinal),
                outOfScope,
                findings,
                _parameters,
                _sources);
        }

        private FrozenDictionary<string, FactValue> ReadParameters(JsonElement element)
        {
            var result = new Dictionary<string, FactValue>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                CheckReferences(property.Value, $"/parameters/{property.Name}");
                var value = property.Value.GetProperty("value");
                result[property.Name] = value.ValueKind switch
                {
                    JsonValueKind.Number => FactValue.Of(value.GetDouble()),
                    JsonValueKind.String => FactValue.Of(value.GetString()),
                    JsonValueKind.True => FactValue.True,
                    JsonValueKind.False => FactValue.False,
                    _ => FactValue.Of(Strings(value)),
                };
            }

            return result.ToFrozenDictionary(StringComparer.Ordinal);
        }

        private ImmutableArray<FindingRule> ReadFindings(JsonElement element)
        {
            var result = ImmutableArray.CreateBuilder<FindingRule>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                var at = $"/findings/{index++}";
                var code = item.GetProperty("code").GetString() ?? string.Empty;
                if (!seen.Add(code))
                {
                    _errors.Add($"{at}/code: finding code '{code}' is defined twice");
                }

                CheckReferences(item, at);
                var detail = item.GetProperty("detail").GetString() ?? string.Empty;
                var producer = ProducedFindings.ReadProducer(item);
                var title = item.GetProperty("title").GetString() ?? string.Empty;
                if (producer == FindingProducer.Tree)
                {
                    // Produced findings name their producer's parameters instead; ProducedFindings checks those.
                    CheckPlaceholders(title, at + "/title", rowAvailable: true);
                    CheckPlaceholders(detail, at + "/detail", rowAvailable: true);
                }

                var when = item.TryGetProperty("when", out var condition) ? ReadCondition(condition, at + "/when") : null;
                var severity = Enum.Parse<AnomalySeverity>(item.GetProperty("severity").GetString() ?? "Info");
                result.Add(new FindingRule(
                    code,
                    severity,
                    title,
                    detail,
                    when,
                    item.TryGetProperty("evidence", out var evidence)
                        ? [.. Strings(evidence).Select(e => Enum.Parse<FindingEvidence>(e, ignoreCase: true))]
                        : [],
                    Strings(item.GetProperty("references")))
                {
                    Producer = producer,
                    Variants = ProducedFindings.ReadVariants(item, at, severity, title, detail, producer, _errors),
                    UserExtension = item.TryGetProperty("userExtension", out var extension) && extension.ValueKind == JsonValueKind.True,
                });
            }

            return result.ToImmutable();
        }

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

                return new LeafNode(id, Enum.Parse<Verdict>(verdict.GetString() ?? "inconclusive", ignoreCase: true), element.GetProperty("reason").GetString() ?? string.Empty, findings, references);
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

        private void CheckReferences(JsonElement element, string at)
        {
            if (!element.TryGetProperty("references", out var references))
            {
                return;
            }

            foreach (var key in Strings(references).Where(k => !_sources.ContainsKey(k)))
            {
                _errors.Add($"{at}/references: source key '{key}' is not defined in /sources");
            }
        }

        private static FactValue Literal(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.Number => FactValue.Of(element.GetDouble()),
            JsonValueKind.True => FactValue.True,
            JsonValueKind.False => FactValue.False,
            _ => FactValue.Of(element.GetString()),
        };

        private static ImmutableArray<string> Strings(JsonElement element) =>
            [.. element.EnumerateArray().Select(e => e.GetString() ?? string.Empty)];

        private static FactOperator ParseOperator(string text) => Enum.Parse<FactOperator>(text, ignoreCase: true);

        private static string Name(FactOperator op) => op switch
        {
            FactOperator.NotIn => "notIn",
            _ => op.ToString().ToLowerInvariant(),
        };
    }
}
