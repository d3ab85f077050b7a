using System.Globalization;
using System.Text;
using CsrssForensics.Reporting.Text;

namespace CsrssForensics.Fleet.Summary;

/// <summary>
/// Bundle text made safe for the summary: hidden and layout-changing characters are shown as <c>&lt;U+XXXX&gt;</c> by
/// the same rules as the single-bundle report (<see cref="VisibleText"/>), so a host name cannot hide or reorder what a
/// reader sees; long values are cut.
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

    /// <summary>The visible form, escaped for a Markdown table cell (every ASCII punctuation a parser could act on).</summary>
    public static string Markdown(string? value)
    {
        var visible = Visible(value);
        var text = new StringBuilder(visible.Length + 16);
        foreach (char c in visible)
        {
            if ("\\`*_{}[]()#+-.!|<>&~\"'=:".Contains(c, StringComparison.Ordinal))
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.ToString();
    }

    /// <summary>UTC ISO-8601 with 'Z', or an empty string.</summary>
    public static string Time(DateTimeOffset? value) =>
        value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>A number in the invariant culture.</summary>
    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
