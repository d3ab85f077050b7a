using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using CsrssForensics.Core.Evidence;
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

            CheckReasonCodes(trees.Values);
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
