using System.Globalization;
using System.Text;

namespace CsrssForensics.Cli;

/// <summary>
/// The one filter for text that reaches the terminal from a bundle, a certificate or a user path. Attacker-written
/// strings could otherwise clear lines (ESC[2K), hide text (ESC[8m), set the window title (OSC), return the cursor
/// (CR), reorder what is shown (bidi controls) or hide a character inside a name (zero-width): every such code point
/// is shown as <c>&lt;U+XXXX&gt;</c>.
/// </summary>
internal static class TerminalText
{
    /// <summary>
    /// <paramref name="text"/> with control characters (C0, DEL, C1), format characters (category Cf: bidi controls,
    /// zero-width characters, soft hyphen, BOM), line and paragraph separators and lone surrogates escaped.
    /// </summary>
    public static string Printable(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                // A pair is one code point; it may itself be invisible (tag characters U+E0000.., musical formatting).
                var codePoint = char.ConvertToUtf32(c, text[i + 1]);
                if (IsHidden(CharUnicodeInfo.GetUnicodeCategory(codePoint)))
                {
                    builder ??= new StringBuilder(text, 0, i, text.Length + 16);
                    Escape(builder, codePoint);
                }
                else
                {
                    builder?.Append(c).Append(text[i + 1]);
                }

                i++;
                continue;
            }

            if (IsHidden(CharUnicodeInfo.GetUnicodeCategory(c)))
            {
                builder ??= new StringBuilder(text, 0, i, text.Length + 16);
                Escape(builder, c);
            }
            else
            {
                builder?.Append(c);
            }
        }

        return builder?.ToString() ?? text;
    }

    // A lone surrogate reports UnicodeCategory.Surrogate; a paired one never reaches here as a char.
    private static bool IsHidden(UnicodeCategory category) => category
        is UnicodeCategory.Control
        or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator
        or UnicodeCategory.ParagraphSeparator
        or UnicodeCategory.Surrogate;

    private static void Escape(StringBuilder builder, int codePoint) =>
        builder.Append("<U+").Append(codePoint.ToString("X4", CultureInfo.InvariantCulture)).Append('>');
}
