using System.Text;

namespace CsrssForensics.Reporting.Text;

/// <summary>
/// Escapes report-model strings for Markdown so that, whatever they contain, they render as the same plain text:
/// no emphasis, code, links, autolinks, raw HTML, entities, headings or table cells. Every string in the report model
/// is treated this way because most of them come from the bundle, which the attacker wrote.
/// </summary>
internal static class MarkdownText
{
    /// <summary>Shown where a value is absent.</summary>
    public const string Missing = "—";

    /// <summary>Escapes <paramref name="value"/>, or returns <see cref="Missing"/> for null or empty.</summary>
    public static string Escape(string? value) =>
        string.IsNullOrEmpty(value) ? Missing : EscapeVisible(VisibleText.Make(value));

    /// <summary>As <see cref="Escape"/> for a value that is one path or file name (<see cref="VisibleText.Path"/>).</summary>
    public static string EscapePath(string? value) =>
        string.IsNullOrEmpty(value) ? Missing : EscapeVisible(VisibleText.Path(value));

    private static string EscapeVisible(string visible)
    {
        var builder = new StringBuilder(visible.Length + 8);
        for (var i = 0; i < visible.Length; i++)
        {
            var c = visible[i];
            switch (c)
            {
                case ' ' when i == 0:
                    // Leading spaces would make an indented code block or shift a list item; the entity is content.
                    builder.Append("&#32;");
                    break;
                case '\\':
                    // CommonMark only treats a backslash before ASCII punctuation as an escape; elsewhere it is a
                    // literal, so Windows paths stay readable. A trailing one could escape the text that follows it.
                    builder.Append(i + 1 == visible.Length || IsAsciiPunctuation(visible[i + 1]) ? "\\\\" : "\\");
                    break;
                // '!' needs a '[' and '~' or '$' need extensions this pipeline does not load, so they stay readable.
                case '`' or '*' or '_' or '[' or ']' or '<' or '>' or '|' or '&' or '#':
                    builder.Append('\\').Append(c);
                    break;
                case ':' when IsSchemeSeparator(visible, i):
                    // Stops viewers with autolink extensions from turning "http://x" into a live link.
                    builder.Append("\\:");
                    break;
                case '-' or '+' or '=' or '~' or '.' or ')' when IsBlockMarkerPosition(visible, i):
                    // At the start of a line these open lists, setext headings, thematic breaks or "~~~" fences.
                    builder.Append('\\').Append(c);
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>Escapes each value and joins them with <paramref name="separator"/> (itself fixed Markdown).</summary>
    public static string JoinEscaped(IEnumerable<string> values, string separator)
    {
        var escaped = values.Select(v => Escape(v)).ToList();
        return escaped.Count == 0 ? Missing : string.Join(separator, escaped);
    }

    private static bool IsAsciiPunctuation(char c) => c is (>= '!' and <= '/') or (>= ':' and <= '@') or (>= '[' and <= '`') or (>= '{' and <= '~');

    private static bool IsSchemeSeparator(string text, int colon) =>
        colon > 0 && char.IsAsciiLetterOrDigit(text[colon - 1])
        && colon + 2 < text.Length && text[colon + 1] == '/' && text[colon + 2] == '/';

    private static bool IsBlockMarkerPosition(string text, int index)
    {
        var c = text[index];
        if (c is '-' or '+' or '=' or '~')
        {
            return index == 0;
        }

        // "1. " or "1)" followed by a space or the end, at the start, opens an ordered list; "1.0" does not.
        if (index == 0 || index > 9 || (index + 1 < text.Length && text[index + 1] != ' '))
        {
            return false;
        }

        for (var i = 0; i < index; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
