using System.Buffers;
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

    /// <summary><see cref="Missing"/> as one character, for appending.</summary>
    public const char MissingMark = '—';

    // The only characters IsEscaped may change (a space only at the start); text between them is copied as is.
    private static readonly SearchValues<char> _mayNeedEscape = SearchValues.Create("\\`*_[]<>|&#:-+=~.)");

    /// <summary>Escapes <paramref name="value"/>, or returns <see cref="Missing"/> for null or empty.</summary>
    public static string Escape(string? value) =>
        string.IsNullOrEmpty(value) ? Missing : EscapeVisible(VisibleText.Make(value));

    /// <summary>As <see cref="Escape"/> for a value that is one path or file name (<see cref="VisibleText.Path"/>).</summary>
    public static string EscapePath(string? value) =>
        string.IsNullOrEmpty(value) ? Missing : EscapeVisible(VisibleText.Path(value));

    /// <summary>Appends what <see cref="Escape"/> returns, without making it a string first.</summary>
    public static StringBuilder AppendEscaped(StringBuilder builder, string? value) =>
        string.IsNullOrEmpty(value) ? builder.Append(MissingMark) : AppendEscapedVisible(builder, VisibleText.Make(value));

    /// <summary>Appends what <see cref="EscapePath"/> returns, without making it a string first.</summary>
    public static StringBuilder AppendEscapedPath(StringBuilder builder, string? value) =>
        string.IsNullOrEmpty(value) ? builder.Append(MissingMark) : AppendEscapedVisible(builder, VisibleText.Path(value));

    /// <summary>Appends what <see cref="JoinEscaped"/> returns, without making it a string first.</summary>
    public static StringBuilder AppendJoinEscaped(StringBuilder builder, IEnumerable<string> values, string separator)
    {
        var first = true;
        foreach (var value in values)
        {
            if (!first)
            {
                builder.Append(separator);
            }

            AppendEscaped(builder, value);
            first = false;
        }

        return first ? builder.Append(MissingMark) : builder;
    }

    /// <summary>Escapes each value and joins them with <paramref name="separator"/> (itself fixed Markdown).</summary>
    public static string JoinEscaped(IEnumerable<string> values, string separator) =>
        AppendJoinEscaped(new StringBuilder(), values, separator).ToString();

    private static string EscapeVisible(string visible)
    {
        // Most values (names, numbers, plain Windows paths) need no escape and are returned as they are.
        if (!NeedsEscape(visible))
        {
            return visible;
        }

        return AppendEscapedVisible(new StringBuilder(visible.Length + 8), visible).ToString();
    }

    private static bool NeedsEscape(string visible)
    {
        if (visible.Length > 0 && visible[0] == ' ')
        {
            return true;
        }

        for (var i = NextCandidate(visible, 0); i >= 0; i = NextCandidate(visible, i + 1))
        {
            if (IsEscaped(visible, i))
            {
                return true;
            }
        }

        return false;
    }

    private static StringBuilder AppendEscapedVisible(StringBuilder builder, string visible)
    {
        // Copies each run of ordinary characters whole and only looks closer at the few that may need an escape.
        var copied = 0;
        if (visible.Length > 0 && visible[0] == ' ')
        {
            // Leading spaces would make an indented code block or shift a list item; the entity is content.
            builder.Append("&#32;");
            copied = 1;
        }

        for (var i = NextCandidate(visible, copied); i >= 0; i = NextCandidate(visible, i + 1))
        {
            if (IsEscaped(visible, i))
            {
                builder.Append(visible, copied, i - copied).Append('\\');
                copied = i;
            }
        }

        return builder.Append(visible, copied, visible.Length - copied);
    }

    private static int NextCandidate(string visible, int from)
    {
        var found = visible.AsSpan(from).IndexOfAny(_mayNeedEscape);
        return found < 0 ? -1 : from + found;
    }

    // Whether the character at 'i' (not a leading space) gets a backslash before it; every escape here is that one form.
    private static bool IsEscaped(string visible, int i) => visible[i] switch
    {
        // CommonMark only treats a backslash before ASCII punctuation as an escape; elsewhere it is a literal, so
        // Windows paths stay readable. A trailing one could escape the text that follows it.
        '\\' => i + 1 == visible.Length || IsAsciiPunctuation(visible[i + 1]),

        // '!' needs a '[' and '~' or '$' need extensions this pipeline does not load, so they stay readable.
        '`' or '*' or '_' or '[' or ']' or '<' or '>' or '|' or '&' or '#' => true,

        // Stops viewers with autolink extensions from turning "http://x" into a live link.
        ':' => IsSchemeSeparator(visible, i),

        // At the start of a line these open lists, setext headings, thematic breaks or "~~~" fences.
        '-' or '+' or '=' or '~' or '.' or ')' => IsBlockMarkerPosition(visible, i),
        _ => false,
    };

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
