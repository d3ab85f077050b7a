using System.Globalization;
using System.Text;

namespace CsrssForensics.Reporting.Text;

/// <summary>
/// Makes invisible and layout-changing characters visible as <c>&lt;U+XXXX&gt;</c>: control characters (line breaks
/// included), bidi overrides and isolates such as U+202E, zero-width characters, line/paragraph separators, Unicode
/// tags and lone surrogates. Bundle strings are written by the attacker, who can use them to hide a path's real
/// extension ("exe.txt" shown reversed) or to break a table row.
/// </summary>
internal static class VisibleText
{
    /// <summary>Returns <paramref name="value"/> with every such character replaced by its visible form.</summary>
    public static string Make(string value)
    {
        if (!NeedsWork(value))
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
            else if (char.IsSurrogate(c) || IsHiddenBmp(c))
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

    private static bool NeedsWork(string value)
    {
        foreach (var c in value)
        {
            if (char.IsSurrogate(c) || IsHiddenBmp(c))
            {
                return true;
            }
        }

        return false;
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
