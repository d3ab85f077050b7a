using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CsrssForensics.Rules.Overlays;

/// <summary>Every rule in force with the file it came from: what <c>rules list</c> and <c>rules show</c> print.</summary>
public sealed class RuleCatalog
{
    // Output goes to a terminal (through the sanitizer) or a file, never into HTML: readable quotes and non-ASCII.
    private static readonly JsonSerializerOptions _indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private RuleCatalog(IReadOnlyList<RuleEntry> entries) => Entries = entries;

    /// <summary>The rules in force: core rows, findings, then each tree's nodes, parameters, known names (document order), then disabled findings.</summary>
    public IReadOnlyList<RuleEntry> Entries { get; }

    /// <summary>The entries whose id is <paramref name="id"/> (core-process and known names case-insensitively).</summary>
    public IReadOnlyList<RuleEntry> Find(string id) =>
        [.. Entries.Where(e => string.Equals(e.Id, id, e.Kind is RuleKinds.CoreProcess or RuleKinds.KnownName ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)
            || string.Equals(e.ReasonCode, id, StringComparison.Ordinal))];

    internal static RuleCatalog Build(JsonObject root, Func<string, string> sourceOf, IReadOnlyDictionary<string, string> disabled)
    {
        var entries = new List<RuleEntry>();
        foreach (var core in RuleOverlay.Array(root, "coreProcesses"))
        {
            var name = RuleOverlay.Text(core, "name");
            entries.Add(new RuleEntry(name, RuleKinds.CoreProcess, "-", sourceOf(RuleOverlay.CoreKey(name)), Json(core)));
        }

        foreach (var finding in RuleOverlay.Array(root, "findings"))
        {
            var code = RuleOverlay.Text(finding, "code");
            entries.Add(new RuleEntry(code, RuleKinds.Finding, RuleOverlay.Text(finding, "severity"), sourceOf("finding:" + code), Json(finding)));
        }

        foreach (var node in RuleOverlay.Array(root, "trees").SelectMany(t => RuleOverlay.Array(t, "nodes")))
        {
            var id = RuleOverlay.Text(node, "id");
            var verdict = RuleOverlay.Text(node, "verdict");
            entries.Add(new RuleEntry(id, verdict.Length > 0 ? RuleKinds.Verdict : RuleKinds.Question, verdict.Length > 0 ? verdict : "-", sourceOf("node:" + id), Json(node))
            {
                ReasonCode = verdict.Length > 0 ? RuleOverlay.Text(node, "reasonCode") : null,
            });
        }

        foreach (var (name, value) in root["parameters"]?.AsObject() ?? [])
        {
            entries.Add(new RuleEntry(name, RuleKinds.Parameter, "-", sourceOf("parameter:" + name), Json(value)));
        }

        foreach (var name in RuleOverlay.Array(root["knownWindowsNames"], "names").Select(n => n?.GetValue<string>() ?? string.Empty))
        {
            entries.Add(new RuleEntry(name, RuleKinds.KnownName, "-", sourceOf(RuleOverlay.KnownKey(name)), Json(JsonValue.Create(name))));
        }

        foreach (var (code, by) in disabled.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            entries.Add(new RuleEntry(code, RuleKinds.Disabled, "-", "disabled by " + by, "null"));
        }

        return new RuleCatalog(entries);
    }

    private static string Json(JsonNode? node) => node?.ToJsonString(_indented).Replace("\r\n", "\n", StringComparison.Ordinal) ?? "null";
}
