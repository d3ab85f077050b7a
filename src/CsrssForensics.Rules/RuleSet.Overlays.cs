using System.Text.Json;
using System.Text.Json.Nodes;
using CsrssForensics.Core.Report;
using CsrssForensics.Rules.Diagrams;
using CsrssForensics.Rules.Loading;
using CsrssForensics.Rules.Overlays;

namespace CsrssForensics.Rules;

/// <content>Rules from several files (a replacement and overlays), where each rule came from, and the tree diagrams.</content>
public sealed partial class RuleSet
{
    private const string BuiltInLabel = "built-in";

    private string? _document;
    private RuleOverlay? _overlay;
    private RuleCatalog? _catalog;

    /// <summary>The <c>--rules</c> and <c>--rules-overlay</c> files this set was made from; null for the built-in rules alone.</summary>
    public RulesProvenance? Provenance { get; private set; }

    /// <summary>Every rule in force with its source, for <c>rules list</c> and <c>rules show</c>.</summary>
    public RuleCatalog Catalog => _catalog ??= BuildCatalog();

    /// <summary>
    /// The built-in rules, or <paramref name="replacement"/> instead of them, with <paramref name="overlays"/> applied in
    /// order. Errors name the file, line and column to fix.
    /// </summary>
    /// <exception cref="RuleSetException">A file is not UTF-8 JSON, breaks its schema, names an ID wrongly or leaves the rules inconsistent.</exception>
    public static RuleSet Compose(RulesFile? replacement, IReadOnlyList<RulesFile> overlays)
    {
        ArgumentNullException.ThrowIfNull(overlays);
        if (replacement is null && overlays.Count == 0)
        {
            return LoadEmbedded();
        }

        var baseJson = replacement is null ? ReadEmbedded() : replacement.Text();
        var baseLabel = replacement is null ? BuiltInLabel : "rules " + replacement.Name;
        if (replacement is not null)
        {
            LoadReplacement(replacement, baseJson);
        }

        var overlay = RuleOverlay.Apply(baseJson, baseLabel, overlays);
        var merged = overlay.Document.ToJsonString();
        RuleDefinition definition;
        try
        {
            definition = RuleSetLoader.Load(merged);
        }
        catch (RuleSetException error)
        {
            throw new RuleSetException(overlay.Locate(error.Errors));
        }

        return new RuleSet(definition)
        {
            _document = merged,
            _overlay = overlay,
            Provenance = new RulesProvenance(
                replacement is null ? null : new RulesFileInfo(replacement.Name, null, replacement.Sha256),
                [.. overlays.Select(o => new RulesFileInfo(o.Name, OverlayName(o), o.Sha256))]),
        };
    }

    /// <summary>One Mermaid flowchart per decision tree, ordered by tree id, generated from the rules in force.</summary>
    public IReadOnlyList<TreeDiagram> DecisionTreeDiagrams() =>
        [.. _definition.Trees.Values.OrderBy(t => t.Id, StringComparer.Ordinal).Select(DecisionTreeDiagram.Render)];

    // A replacement file is checked on its own first, so its errors point into it (file:line:column) and not into a merge.
    private static void LoadReplacement(RulesFile replacement, string json)
    {
        try
        {
            using (JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 }))
            {
            }
        }
        catch (JsonException error)
        {
            throw new RuleSetException(FormattableString.Invariant($"{replacement.Name}:{(error.LineNumber ?? 0) + 1}:{(error.BytePositionInLine ?? 0) + 1}: JSON syntax error: {error.Message}"));
        }

        try
        {
            RuleSetLoader.Load(json);
        }
        catch (RuleSetException error)
        {
            var positions = JsonPositions.Of(replacement.Utf8Json);
            throw new RuleSetException([.. error.Errors.Select(e => e.StartsWith('/') ? $"{ItemOrigin.Where(replacement.Name, positions, e[..e.IndexOf(": ", StringComparison.Ordinal)])}{e[e.IndexOf(": ", StringComparison.Ordinal)..]}" : $"{replacement.Name}: {e}")]);
        }
    }

    private static string? OverlayName(RulesFile overlay) =>
        RuleOverlay.Text(JsonNode.Parse(overlay.Text()), "name") is { Length: > 0 } name ? name : null;

    private RuleCatalog BuildCatalog()
    {
        if (_overlay is not null)
        {
            return RuleCatalog.Build(_overlay.Document, key => _overlay.Origins.TryGetValue(key, out var origin) ? origin.Display : BuiltInLabel, _overlay.Disabled);
        }

        var document = _document ?? ReadEmbedded();
        var label = _document is null || _document == ReadEmbedded() ? BuiltInLabel : "rules document";
        return RuleCatalog.Build(JsonNode.Parse(document)!.AsObject(), _ => label, new Dictionary<string, string>());
    }
}
