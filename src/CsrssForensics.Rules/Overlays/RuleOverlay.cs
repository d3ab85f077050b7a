using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsrssForensics.Rules.Loading;
using Json.Schema;

namespace CsrssForensics.Rules.Overlays;

/// <summary>
/// Applies <c>--rules-overlay</c> files, in order, to a rules document at the JSON level: each overlay is checked for
/// syntax and against <c>schemas/rules-overlay.schema.json</c>, then its adds, overrides and disables are applied by
/// ID. The merged document is then loaded like any rules document (schema and links); <see cref="Locate"/> turns
/// that loader's errors back into <c>file:line:column</c> of the overlay that wrote the item.
/// </summary>
internal sealed partial class RuleOverlay
{
    private const string OverlaySchemaFile = "schemas/rules-overlay.schema.json";

    private static readonly Lazy<JsonSchema> _schema = new(BuildSchema);

    private readonly JsonObject _root;
    private readonly Dictionary<string, ItemOrigin> _origins = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _disabled = new(StringComparer.Ordinal);
    private readonly List<string> _errors = [];

    private RuleOverlay(JsonObject root, string baseLabel)
    {
        _root = root;
        var origin = new ItemOrigin(baseLabel, null, null, null, null);
        foreach (var key in ItemKeys(root))
        {
            _origins[key] = origin;
        }
    }

    /// <summary>The merged rules document.</summary>
    public JsonObject Document => _root;

    /// <summary>Origin of every item, keyed as <see cref="ItemKeys"/> names them.</summary>
    public IReadOnlyDictionary<string, ItemOrigin> Origins => _origins;

    /// <summary>Finding codes disabled by an overlay, with the overlay's label.</summary>
    public IReadOnlyDictionary<string, string> Disabled => _disabled;

    /// <summary>Applies <paramref name="overlays"/> to <paramref name="baseJson"/> (already a valid rules document).</summary>
    /// <exception cref="RuleSetException">An overlay is not JSON, breaks the overlay schema or names an ID wrongly; every problem is listed.</exception>
    public static RuleOverlay Apply(string baseJson, string baseLabel, IReadOnlyList<RulesFile> overlays)
    {
        ArgumentNullException.ThrowIfNull(overlays);
        var merger = new RuleOverlay(JsonNode.Parse(baseJson)!.AsObject(), baseLabel);
        foreach (var file in overlays)
        {
            merger.ApplyFile(file);
        }

        if (merger._errors.Count > 0)
        {
            throw new RuleSetException(merger._errors);
        }

        return merger;
    }

    /// <summary>Keys of the items in force: <c>finding:CODE</c>, <c>node:ID</c>, <c>core:name</c>, <c>parameter:NAME</c>, <c>known:name</c>.</summary>
    public static IEnumerable<string> ItemKeys(JsonObject root)
    {
        foreach (var finding in Array(root, "findings"))
        {
            yield return "finding:" + Text(finding, "code");
        }

        foreach (var tree in Array(root, "trees"))
        {
            foreach (var node in Array(tree, "nodes"))
            {
                yield return "node:" + Text(node, "id");
            }
        }

        foreach (var core in Array(root, "coreProcesses"))
        {
            yield return CoreKey(Text(core, "name"));
        }

        foreach (var (name, _) in root["parameters"]?.AsObject() ?? [])
        {
            yield return "parameter:" + name;
        }

        foreach (var name in Array(root["knownWindowsNames"], "names"))
        {
            yield return KnownKey(name?.GetValue<string>() ?? string.Empty);
        }
    }

    /// <summary>Rewrites the merged document's loader errors to the overlay line that wrote the offending item.</summary>
    public List<string> Locate(IReadOnlyList<string> errors)
    {
        var byPointer = new Dictionary<string, ItemOrigin>(StringComparer.Ordinal);
        var index = 0;
        foreach (var finding in Array(_root, "findings"))
        {
            byPointer[$"/findings/{index++}"] = _origins["finding:" + Text(finding, "code")];
        }

        var treeIndex = 0;
        foreach (var tree in Array(_root, "trees"))
        {
            var nodeIndex = 0;
            foreach (var node in Array(tree, "nodes"))
            {
                byPointer[$"/trees/{treeIndex}/nodes/{nodeIndex++}"] = _origins["node:" + Text(node, "id")];
            }

            treeIndex++;
        }

        index = 0;
        foreach (var core in Array(_root, "coreProcesses"))
        {
            byPointer[$"/coreProcesses/{index++}"] = _origins[CoreKey(Text(core, "name"))];
        }

        foreach (var (name, _) in _root["parameters"]?.AsObject() ?? [])
        {
            byPointer["/parameters/" + JsonPositions.Escape(name)] = _origins["parameter:" + name];
        }

        return [.. errors.Select(error => LocateOne(error, byPointer))];
    }

    private string LocateOne(string error, Dictionary<string, ItemOrigin> byPointer)
    {
        var colon = error.IndexOf(": ", StringComparison.Ordinal);
        var location = colon < 0 ? string.Empty : error[..colon];
        var message = colon < 0 ? error : error[(colon + 2)..];
        for (var prefix = location; prefix.Length > 0; prefix = prefix[..Math.Max(0, prefix.LastIndexOf('/'))])
        {
            if (byPointer.TryGetValue(prefix, out var origin) && origin.File is not null)
            {
                return $"{ItemOrigin.Where(origin.File, origin.Positions!, origin.Pointer + location[prefix.Length..])}: {message}";
            }
        }

        // Link and reachability errors name the tree, not the node: blame the overlay node the message quotes.
        foreach (var (key, origin) in _origins)
        {
            if (origin.File is not null && key.StartsWith("node:", StringComparison.Ordinal) && error.Contains($"'{key[5..]}'", StringComparison.Ordinal))
            {
                return $"{ItemOrigin.Where(origin.File, origin.Positions!, origin.Pointer!)}: {error}";
            }
        }

        return "after the overlays were applied: " + error;
    }

    private void ApplyFile(RulesFile file)
    {
        var label = "overlay " + file.Name;
        var text = file.Text();
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException error)
        {
            _errors.Add(FormattableString.Invariant($"{file.Name}:{(error.LineNumber ?? 0) + 1}:{(error.BytePositionInLine ?? 0) + 1}: JSON syntax error: {error.Message}"));
            return;
        }

        var positions = JsonPositions.Of(file.Utf8Json);
        using (parsed)
        {
            var schemaErrors = SchemaValidator.Validate(_schema.Value, parsed.RootElement, OverlaySchemaFile);
            if (schemaErrors.Count > 0)
            {
                _errors.AddRange(schemaErrors.Select(e => LocateInFile(file.Name, positions, e)));
                return;
            }
        }

        new Step(this, label, file.Name, positions).Apply(JsonNode.Parse(text)!.AsObject());
    }

    // Schema errors read "location: message"; "(root)" is the whole document.
    private static string LocateInFile(string file, JsonPositions positions, string error)
    {
        var colon = error.IndexOf(": ", StringComparison.Ordinal);
        var location = colon < 0 ? string.Empty : error[..colon];
        var pointer = location == "(root)" ? string.Empty : location;
        return $"{ItemOrigin.Where(file, positions, pointer)}: {(colon < 0 ? error : error[(colon + 2)..])}";
    }

    internal static string CoreKey(string name) => "core:" + name.ToLowerInvariant();

    internal static string KnownKey(string name) => "known:" + name.ToLowerInvariant();

    internal static IEnumerable<JsonNode?> Array(JsonNode? parent, string property) =>
        parent?[property] as JsonArray ?? [];

    internal static string Text(JsonNode? node, string property) =>
        node?[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : string.Empty;

    private static JsonSchema BuildSchema()
    {
        // The overlay schema refers to the rules schema's definitions, so both go into one private registry.
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        JsonSchema.FromText(SchemaValidator.SchemaText(), options);
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("rules-overlay.schema.json")
            ?? throw new InvalidOperationException("The embedded resource rules-overlay.schema.json is missing from the build.");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromText(reader.ReadToEnd(), options);
    }
}
