using System.Collections.Immutable;
using System.Globalization;

namespace CsrssForensics.Rules.Facts;

/// <summary>The type of a fact; <see cref="Unknown"/> marks a value the evidence did not give.</summary>
internal enum FactKind
{
    Unknown,
    Boolean,
    Number,
    Text,
    List,
}

/// <summary>One fact value. Unknown is a value of its own: rules treat missing evidence differently from "no".</summary>
internal sealed record FactValue(FactKind Kind, bool Boolean, double Number, string? Text, ImmutableArray<string> List)
{
    public static FactValue Unknown { get; } = new(FactKind.Unknown, false, 0, null, []);

    public static FactValue True { get; } = new(FactKind.Boolean, true, 0, null, []);

    public static FactValue False { get; } = new(FactKind.Boolean, false, 0, null, []);

    public bool IsKnown => Kind != FactKind.Unknown;

    public static FactValue Of(bool? value) => value is bool b ? (b ? True : False) : Unknown;

    public static FactValue Of(double? value) => value is double d && double.IsFinite(d) ? new(FactKind.Number, false, d, null, []) : Unknown;

    public static FactValue Of(string? value) => value is null ? Unknown : new(FactKind.Text, false, 0, value, []);

    public static FactValue Of(IEnumerable<string> values) => new(FactKind.List, false, 0, null, [.. values]);

    /// <summary>The stable text shown in reports and decision paths.</summary>
    public string Display => Kind switch
    {
        FactKind.Boolean => Boolean ? "true" : "false",
        FactKind.Number => Number.ToString("0.##", CultureInfo.InvariantCulture),
        FactKind.Text => Text ?? string.Empty,
        FactKind.List => List.IsDefaultOrEmpty ? "(none)" : string.Join(", ", List),
        _ => "unknown",
    };
}
