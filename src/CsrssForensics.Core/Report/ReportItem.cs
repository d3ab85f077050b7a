using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace CsrssForensics.Core.Report;

/// <summary>
/// One value a wording-table template names (<c>{path}</c>, <c>{pids}</c>). Values come from the bundle: they are
/// hostile text, escaped by each writer, never by the analysis.
/// </summary>
public sealed record ItemParameter(string Name, string Value);

/// <summary>
/// A report line that is data: a stable code from the wording table (<c>AFTER-REBOOT-TWICE</c>), its ordered named
/// parameters, and the text the wording table renders from them. A line written by hand has no code.
/// </summary>
public sealed record ReportLine(string Text)
{
    /// <summary>The wording-table code the text was rendered from; null for a line written by hand.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Code { get; init; }

    /// <summary>The values the code's template was filled with, in template order.</summary>
    public ImmutableArray<ItemParameter> Params { get; init => field = value.OrEmpty(); } = [];
}
