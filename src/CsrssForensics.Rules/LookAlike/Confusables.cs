using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace CsrssForensics.Rules.LookAlike;

/// <summary>
/// The small confusables table in <c>Data/confusables.json</c> (Latin prototypes from UTS #39 confusables.txt) plus the
/// rules that need no table: fullwidth forms, combining marks, digits for letters, rn/vv.
/// </summary>
internal sealed class Confusables
{
    private static readonly Lazy<Confusables> _embedded = new(LoadEmbedded);

    private readonly FrozenDictionary<int, string> _map;
    private readonly FrozenDictionary<char, string> _digitLetters;
    private readonly (string From, string To)[] _sequences;

    private Confusables(FrozenDictionary<int, string> map, FrozenDictionary<char, string> digitLetters, (string From, string To)[] sequences)
    {
        _map = map;
        _digitLetters = digitLetters;
        _sequences = sequences;
    }

    /// <summary>The table shipped with the assembly.</summary>
    public static Confusables Embedded => _embedded.Value;

    /// <summary>Number of single-character mappings (for tests and the report's "about" section).</summary>
    public int Count => _map.Count;

    /// <summary>
    /// Maps every non-ASCII look-alike character to its Latin prototype: the table first, then fullwidth forms
    /// (U+FF01..FF5E are ASCII + 0xFEE0), then accents removed (NFD, combining marks dropped).
    /// </summary>
    public string Fold(string text, out bool changed)
    {
        changed = false;
        var builder = new StringBuilder(text.Length);
        var index = 0;
        while (index < text.Length)
        {
            // A lone surrogate decodes as U+FFFD and is kept as such: hostile names must never throw.
            _ = Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var consumed);
            index += Math.Max(consumed, 1);
            if (rune.IsAscii)
            {
                builder.Append((char)rune.Value);
                continue;
            }

            if (_map.TryGetValue(rune.Value, out var prototype))
            {
                builder.Append(prototype);
                changed = true;
                continue;
            }

            if (rune.Value is >= 0xFF01 and <= 0xFF5E)
            {
                builder.Append((char)(rune.Value - 0xFEE0));
                changed = true;
                continue;
            }

            var stripped = StripMarks(rune.ToString());
            if (!string.Equals(stripped, rune.ToString(), StringComparison.Ordinal))
            {
                changed = true;
            }

            builder.Append(stripped);
        }

        return builder.ToString();
    }

    /// <summary>Replaces ASCII sequences that render like one letter (<c>rn</c> as <c>m</c>).</summary>
    public string FoldSequences(string text, out bool changed)
    {
        changed = false;
        foreach (var (from, to) in _sequences)
        {
            if (text.Contains(from, StringComparison.Ordinal))
            {
                text = text.Replace(from, to, StringComparison.Ordinal);
                changed = true;
            }
        }

        return text;
    }

    /// <summary>True when <paramref name="candidate"/> is a digit that stands for the letter <paramref name="real"/>.</summary>
    public bool DigitStandsFor(char candidate, char real) =>
        _digitLetters.TryGetValue(candidate, out var letters) && letters.Contains(real, StringComparison.Ordinal);

    /// <summary>True when the text holds a digit that can stand for a letter.</summary>
    public bool HasLetterDigit(string text)
    {
        foreach (var c in text)
        {
            if (_digitLetters.ContainsKey(c))
            {
                return true;
            }
        }

        return false;
    }

    internal static Confusables Parse(Stream stream)
    {
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        var map = new Dictionary<int, string>();
        foreach (var entry in root.GetProperty("mappings").EnumerateArray())
        {
            var from = entry.GetProperty("from").GetString() ?? string.Empty;
            var to = entry.GetProperty("to").GetString() ?? string.Empty;
            var code = int.Parse(from.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            map[code] = to;
        }

        var digits = new Dictionary<char, string>();
        foreach (var pair in root.GetProperty("digitsForLetters").GetProperty("pairs").EnumerateArray())
        {
            var digit = pair.GetProperty("digit").GetString() ?? string.Empty;
            digits[digit[0]] = pair.GetProperty("letters").GetString() ?? string.Empty;
        }

        var sequences = new List<(string, string)>();
        foreach (var pair in root.GetProperty("asciiSequences").GetProperty("pairs").EnumerateArray())
        {
            sequences.Add((pair.GetProperty("from").GetString() ?? string.Empty, pair.GetProperty("to").GetString() ?? string.Empty));
        }

        return new Confusables(map.ToFrozenDictionary(), digits.ToFrozenDictionary(), [.. sequences]);
    }

    private static Confusables LoadEmbedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("confusables.json")
            ?? throw new InvalidOperationException("The embedded resource confusables.json is missing from the build.");
        return Parse(stream);
    }

    private static string StripMarks(string text)
    {
        string decomposed;
        try
        {
            decomposed = text.Normalize(NormalizationForm.FormD);
        }
        catch (ArgumentException)
        {
            // Ill-formed UTF-16 (a lone surrogate) cannot be normalized; keep it as it is.
            return text;
        }

        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
