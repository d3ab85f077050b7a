using System.Collections.Frozen;
using System.Text.Json;

namespace CsrssForensics.Reporting.Events;

/// <summary>
/// MITRE ATT&amp;CK technique ids per finding code, launcher kind and verdict, read from the embedded
/// <c>attack-techniques.json</c> (data, so a mapping is reviewed as a table rather than found in code). A code with no
/// row maps to nothing: an event never claims a technique the table does not name.
/// </summary>
internal sealed class AttackTechniques
{
    private const string ResourceName = "CsrssForensics.Reporting.attack-techniques.json";

    private AttackTechniques(
        string framework,
        FrozenDictionary<string, string> names,
        FrozenDictionary<string, string[]> findings,
        FrozenDictionary<string, string[]> launchers,
        FrozenDictionary<string, string[]> verdicts)
    {
        Framework = framework;
        Names = names;
        Findings = findings;
        Launchers = launchers;
        Verdicts = verdicts;
    }

    /// <summary>The table shipped in the assembly, read once.</summary>
    public static AttackTechniques Embedded { get; } = Load();

    /// <summary>The value of ECS <c>threat.framework</c>.</summary>
    public string Framework { get; }

    /// <summary>Technique id to its ATT&amp;CK name.</summary>
    public FrozenDictionary<string, string> Names { get; }

    /// <summary>Finding code to technique ids.</summary>
    public FrozenDictionary<string, string[]> Findings { get; }

    /// <summary>Launcher kind (scheduled-task, run-key...) to technique ids.</summary>
    public FrozenDictionary<string, string[]> Launchers { get; }

    /// <summary>Verdict name (camelCase) to technique ids.</summary>
    public FrozenDictionary<string, string[]> Verdicts { get; }

    /// <summary>The ids of the given groups, once each, ordinal order.</summary>
    public static IReadOnlyList<string> Union(params IEnumerable<string>[] groups) =>
        [.. groups.SelectMany(g => g).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>The ids for one key of a table, or none.</summary>
    public static IEnumerable<string> For(FrozenDictionary<string, string[]> table, string key) =>
        table.TryGetValue(key, out var ids) ? ids : [];

    private static AttackTechniques Load()
    {
        using var stream = typeof(AttackTechniques).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        return new AttackTechniques(
            root.GetProperty("framework").GetString()!,
            root.GetProperty("techniques").EnumerateObject().ToFrozenDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal),
            Table(root, "findings"),
            Table(root, "launchers"),
            Table(root, "verdicts"));
    }

    private static FrozenDictionary<string, string[]> Table(JsonElement root, string name) =>
        root.GetProperty(name).EnumerateObject().ToFrozenDictionary(
            p => p.Name,
            p => p.Value.EnumerateArray().Select(id => id.GetString()!).ToArray(),
            StringComparer.Ordinal);
}
