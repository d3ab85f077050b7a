using System.Globalization;
using System.Text;

namespace CsrssForensics.Reporting.Text;

/// <summary>
/// Lists the foreign letters of words that mix Latin with another script, so a responder can tell Cyrillic
/// <c>сsrss.exe</c> from <c>csrss.exe</c> on screen: <c>сsrss.exe (mixed scripts: "сsrss.exe" U+0441 Cyrillic at 1)</c>.
/// A word is a run between white space, path separators and punctuation; positions count UTF-16 units from 1. A word
/// written wholly in one script (a Russian folder name) is not flagged: only the mix is the imitation trick. Latin
/// letters outside ASCII (é, ß) are Latin and not flagged either.
/// </summary>
internal static class MixedScript
{
    // Bounds that keep the note readable and its cost linear, whatever the attacker wrote.
    private const int MaxWords = 4;
    private const int MaxLettersPerWord = 8;

    /// <summary>The note to show after <paramref name="value"/> (not yet made visible), or null when no word mixes scripts.</summary>
    public static string? Annotate(string value)
    {
        StringBuilder? note = null;
        var words = 0;
        var start = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            if (i < value.Length && !IsWordBreak(value[i]))
            {
                continue;
            }

            if (i > start && Describe(value, start, i) is { } word)
            {
                note ??= new StringBuilder("(mixed scripts: ");
                if (words == MaxWords)
                {
                    note.Append("; …");
                    break;
                }

                note.Append(words == 0 ? string.Empty : "; ").Append(word);
                words++;
            }

            start = i + 1;
        }

        return note?.Append(')').ToString();
    }

    private static bool IsWordBreak(char c) =>
        char.IsWhiteSpace(c) || c is '\\' or '/' or ',' or ';' or ':' or '(' or ')' or '[' or ']' or '"' or '\'' or '<' or '>' or '|' or '=';

    private static string? Describe(string value, int start, int end)
    {
        var hasAsciiLetter = false;
        var foreign = new List<(int Position, int CodePoint, string Script)>();
        var index = start;
        while (index < end)
        {
            _ = Rune.DecodeFromUtf16(value.AsSpan(index, end - index), out var rune, out var consumed);
            consumed = Math.Max(consumed, 1);
            if (rune.IsAscii && char.IsAsciiLetter((char)rune.Value))
            {
                hasAsciiLetter = true;
            }
            else if (!rune.IsAscii && IsLetterLike(rune) && ScriptOf(rune.Value) is { } script)
            {
                foreign.Add((index - start + 1, rune.Value, script));
            }

            index += consumed;
        }

        if (!hasAsciiLetter || foreign.Count == 0)
        {
            return null;
        }

        var builder = new StringBuilder();
        builder.Append('"').Append(value, start, end - start).Append('"');
        for (var i = 0; i < foreign.Count && i < MaxLettersPerWord; i++)
        {
            var (position, codePoint, script) = foreign[i];
            builder.Append(i == 0 ? " " : ", ")
                .Append("U+").Append(codePoint.ToString("X4", CultureInfo.InvariantCulture))
                .Append(' ').Append(script)
                .Append(" at ").Append(position.ToString(CultureInfo.InvariantCulture));
        }

        if (foreign.Count > MaxLettersPerWord)
        {
            builder.Append(", …");
        }

        return builder.ToString();
    }

    private static bool IsLetterLike(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        return Rune.IsLetter(rune) || category is UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.DecimalDigitNumber;
    }

    // Fixed ranges rather than a Unicode script database, so the output does not change with the runtime. Latin
    // (Latin-1 to Latin Extended-B, IPA, Latin Extended Additional) returns null: accented Latin is not a mix.
    private static string? ScriptOf(int codePoint) => codePoint switch
    {
        <= 0x024F => null,
        >= 0x1E00 and <= 0x1EFF => null,
        >= 0x0250 and <= 0x02AF => "IPA",
        >= 0x0370 and <= 0x03FF => "Greek",
        >= 0x1F00 and <= 0x1FFF => "Greek",
        >= 0x0400 and <= 0x052F => "Cyrillic",
        >= 0x1C80 and <= 0x1C8F => "Cyrillic",
        >= 0x2DE0 and <= 0x2DFF => "Cyrillic",
        >= 0xA640 and <= 0xA69F => "Cyrillic",
        >= 0x0530 and <= 0x058F => "Armenian",
        >= 0x13A0 and <= 0x13FF => "Cherokee",
        >= 0x1D00 and <= 0x1DBF => "phonetic",
        >= 0x2100 and <= 0x218F => "letterlike symbol",
        >= 0xFF00 and <= 0xFFEF => "fullwidth",
        >= 0x1D400 and <= 0x1D7FF => "mathematical",
        _ => "non-Latin",
    };
}
