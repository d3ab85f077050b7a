using System.Globalization;
using System.Text;

namespace CsrssForensics.Fleet.Summary;

/// <summary>
/// Bundle text made safe for the summary: invisible and control characters (C0, DEL, C1, Unicode format characters such
/// as bidi overrides and zero-width spaces, line and paragraph separators, lone surrogates) are shown as
/// <c>&lt;U+XXXX&gt;</c>, so a host name cannot hide or reorder what a reader sees.
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

        var text = new StringBuilder(Math.Min(value.Length, MaxCellLength) + 8);
        for (int i = 0; i < value.Length && text.Length < MaxCellLength; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[++i]);
                continue;
            }

            var category = char.GetUnicodeCategory(c);
            if (char.IsControl(c) || char.IsSurrogate(c) || category is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                text.Append("<U+").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)).Append('>');
            }
            else
            {
                text.Append(c);
            }
        }

        return text.Length >= MaxCellLength && value.Length > MaxCellLength ? text.Append('…').ToString() : text.ToString();
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
