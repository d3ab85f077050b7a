namespace CsrssForensics.Rules.Overlays;

/// <summary>Where one rule item came from, and where in that file it is written (for line-precise errors).</summary>
/// <param name="Label"><c>built-in</c>, <c>rules FILE</c> or <c>overlay FILE</c>.</param>
/// <param name="Replaced">The label of the item this one replaced, when an overlay overrode it.</param>
/// <param name="File">The file name when the item was written in an overlay, else null.</param>
/// <param name="Positions">Line/column map of that overlay file.</param>
/// <param name="Pointer">JSON Pointer of the item inside that overlay file.</param>
internal sealed record ItemOrigin(string Label, string? Replaced, string? File, JsonPositions? Positions, string? Pointer)
{
    /// <summary>What <c>rules list</c> prints in its source column.</summary>
    public string Display => Replaced is null ? Label : $"{Label} (replaces {Replaced})";

    /// <summary><c>file:line:column: pointer</c> of <paramref name="pointer"/> inside <paramref name="file"/>.</summary>
    public static string Where(string file, JsonPositions positions, string pointer)
    {
        var (line, column) = positions.Find(pointer);
        return FormattableString.Invariant($"{file}:{line}:{column}: {(pointer.Length == 0 ? "(root)" : pointer)}");
    }
}
