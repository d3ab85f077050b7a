using CsrssForensics.Reporting.Text;

namespace CsrssForensics.Fleet.Summary;

/// <summary>
/// Bundle text made safe for the summary with the single-bundle report's own helpers: hidden and layout-changing
/// characters are shown as <c>&lt;U+XXXX&gt;</c> (<see cref="VisibleText"/>), Markdown is escaped by
/// <see cref="MarkdownText"/>, times and numbers are formatted by <see cref="ReportText"/>; long values are cut.
/// </summary>
public static class FleetText
{
    /// <summary>The longest bundle string shown in a summary cell.</summary>
    public const int MaxCellLength = 400;

    /// <summary>The visible form of <paramref name="value"/>, cut at <see cref="MaxCellLength"/> characters.</summary>
    public static string Visible(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        // Cut before making visible, so a huge hostile value costs no more than the cell shows; never inside a pair.
        var cut = value.Length > MaxCellLength;
        var length = cut && char.IsHighSurrogate(value[MaxCellLength - 1]) ? MaxCellLength - 1 : Math.Min(value.Length, MaxCellLength);
        var visible = VisibleText.Make(value[..length]);
        return cut ? visible + "…" : visible;
    }

    /// <summary>
    /// The visible form escaped for Markdown by the single-bundle report's rules (<see cref="MarkdownText"/>), cut at
    /// <see cref="MaxCellLength"/> characters; an empty value shows as the report's dash.
    /// </summary>
    public static string Markdown(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length <= MaxCellLength)
        {
            return MarkdownText.Escape(value);
        }

        var length = char.IsHighSurrogate(value[MaxCellLength - 1]) ? MaxCellLength - 1 : MaxCellLength;
        return MarkdownText.Escape(value[..length]) + "…";
    }

    /// <summary>UTC ISO-8601 with 'Z' as in the reports, or an empty string.</summary>
    public static string Time(DateTimeOffset? value) => ReportText.Utc(value) ?? string.Empty;

    /// <summary>A number in the invariant culture.</summary>
    public static string Number(int value) => ReportText.Number(value);
}
