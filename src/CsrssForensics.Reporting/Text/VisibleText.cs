using System.Buffers;
using System.Globalization;
using System.Text;

namespace CsrssForensics.Reporting.Text;

/// <summary>
/// Makes invisible and layout-changing characters visible as <c>&lt;U+XXXX&gt;</c>: control characters (line breaks
/// included), bidi overrides and isolates such as U+202E, zero-width characters, line/paragraph separators, Unicode
/// tags and lone surrogates. Bundle strings are written by the attacker, who can use them to hide a path's real
/// extension ("exe.txt" shown reversed) or to break a table row. Spaces a reader cannot see (at either end, beside a
/// path separator, doubled, or before punctuation: <c>csrss.exe&lt;U+0020&gt;</c>) get the same form, and names that
/// mix Latin with other scripts get their foreign letters listed (see <see cref="MixedScript"/>). The form
/// <c>&lt;U+XXXX&gt;</c> cannot be part of a real Windows file name: <c>&lt;</c> and <c>&gt;</c> are not allowed there.
/// </summary>
internal static class VisibleText
{
    private static readonly SearchValues<char> _printableAscii = SearchValues.Create(
        [.. Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c)]);

    private static readonly char[] _spaceOrDot = [' ', '.'];

    /// <summary>Returns <paramref name="value"/> with every such character replaced by its visible form.</summary>
    public static string Make(string value) => Render(value, markSegmentDots: false);

    /// <summary>
    /// The visible form of a value that is one path or file name: as <see cref="Make"/>, and a dot ending a path
    /// segment is shown as <c>&lt;U+002E&gt;</c> too, because in <c>csrss.exe.</c> the last dot reads as punctuation.
    /// </summary>
    public static string Path(string value) => Render(value, markSegmentDots: true);

    private static string Render(string value, bool markSegmentDots)
    {
        if (!value.AsSpan().ContainsAnyExcept(_printableAscii))
        {
            // Most values: printable ASCII has no hidden character and no second script, so only a space or a
            // segment-ending dot can need marking.
            return AsciiNeedsWork(value, markSegmentDots) ? Characters(value, markSegmentDots) : value;
        }

        var visible = Characters(value, markSegmentDots);

        // The note quotes the word, which may itself hold hidden characters: it is made visible the same way.
        return MixedScript.Annotate(value) is { } note ? visible + " " + Characters(note, markSegmentDots: false) : visible;
    }

    private static string Characters(string value, bool markSegmentDots)
    {
        if (!NeedsWork(value, markSegmentDots))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 16);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                var codePoint = char.ConvertToUtf32(c, value[i + 1]);
                if (IsHiddenSupplementary(codePoint))
                {
                    AppendCodePoint(builder, codePoint);
                }
                else
                {
                    builder.Append(c).Append(value[i + 1]);
                }

                i++;
            }
            else if (IsHidden(value, i, markSegmentDots))
            {
                // A lone surrogate is invalid UTF-16; showing it keeps the output valid UTF-8.
                AppendCodePoint(builder, c);
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool AsciiNeedsWork(string value, bool markSegmentDots)
    {
        for (var i = value.IndexOfAny(_spaceOrDot); i >= 0; i = value.IndexOfAny(_spaceOrDot, i + 1))
        {
            if (IsUnseenSpace(value, i) || (markSegmentDots && IsSegmentEndDot(value, i)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool NeedsWork(string value, bool markSegmentDots)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (IsHidden(value, i, markSegmentDots))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsHidden(string value, int index, bool markSegmentDots)
    {
        var c = value[index];
        return char.IsSurrogate(c) || IsHiddenBmp(c) || IsUnseenSpace(value, index) || (markSegmentDots && IsSegmentEndDot(value, index));
    }

    // A space nobody can see on screen or tell from the sentence around it: at either end of the value, after a path
    // separator or ending a folder name (C:\Windows \System32), followed by another space (HTML collapses the pair)
    // or by punctuation ("csrss.exe , and", "csrss .exe"). The report's own sentences never put a space there.
    private static bool IsUnseenSpace(string value, int index)
    {
        if (value[index] != ' ')
        {
            return false;
        }

        if (index == 0 || index == value.Length - 1)
        {
            return true;
        }

        var previous = value[index - 1];
        var next = value[index + 1];
        return previous is '\\' or '/'
            || next is ' ' or '.' or ',' or ';' or ':' or ')'
            || (next == '\\' && WordBeforeIsPath(value, index));
    }

    // "C:\Windows \System32" (a folder name ending in a space) but not "scheduled task \Microsoft\..." (a word, then
    // a rooted task path). Switches ("cmd.exe /c") are why '/' does not count here.
    private static bool WordBeforeIsPath(string value, int space)
    {
        for (var i = space - 1; i >= 0 && value[i] != ' '; i--)
        {
            if (value[i] is '\\' or ':')
            {
                return true;
            }
        }

        return false;
    }

    // A dot that ends a segment of a path (csrss.exe., C:\Windows.\System32); "." and ".." segments are navigation.
    private static bool IsSegmentEndDot(string value, int index)
    {
        if (value[index] != '.' || (index + 1 < value.Length && value[index + 1] is not ('\\' or '/')))
        {
            return false;
        }

        var start = value.LastIndexOfAny(['\\', '/'], index) + 1;
        var segment = value.AsSpan(start, index + 1 - start);
        return !segment.SequenceEqual(".") && !segment.SequenceEqual("..");
    }

    private static void AppendCodePoint(StringBuilder builder, int codePoint) =>
        builder.Append("<U+").Append(codePoint.ToString("X4", CultureInfo.InvariantCulture)).Append('>');

    // A fixed list instead of CharUnicodeInfo categories: the output must not change with the runtime's Unicode
    // version, and these are the characters known to hide or reorder text.
    private static bool IsHiddenBmp(char c) => c switch
    {
        < '\u0020' => true,                          // C0 controls, including TAB, CR, LF
        >= '\u007F' and <= '\u009F' => true,         // DEL and C1 controls (NEL U+0085 included)
        '\u00AD' => true,                            // soft hyphen
        '\u034F' => true,                            // combining grapheme joiner
        '\u061C' => true,                            // Arabic letter mark (bidi)
        '\u115F' or '\u1160' or '\u3164' or '\uFFA0' => true, // Hangul fillers render as blanks
        '\u180E' => true,                            // Mongolian vowel separator
        >= '\u200B' and <= '\u200F' => true,         // zero-width space/joiners, LRM, RLM
        >= '\u2028' and <= '\u202E' => true,         // line/paragraph separators, bidi embeddings and overrides
        >= '\u2060' and <= '\u206F' => true,         // word joiner, invisible operators, bidi isolates
        '\uFEFF' => true,                            // zero-width no-break space / BOM
        >= '\uFFF9' and <= '\uFFFB' => true,         // interlinear annotation controls
        _ => false,
    };

    private static bool IsHiddenSupplementary(int codePoint) =>
        codePoint is (>= 0xE0000 and <= 0xE007F) // tag characters
            or (>= 0x1D173 and <= 0x1D17A) // musical symbol format controls
            or (>= 0xF0000); // private use planes 15 and 16, which fonts render unpredictably
}
