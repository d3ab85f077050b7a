using System.Buffers;
using System.Collections.Frozen;
using System.Text;

namespace CsrssForensics.Rules.LookAlike;

/// <summary>
/// The first stage of look-alike matching: the names hidden in a file name (ADS parts, bidi-reordered text) and each
/// one cleaned of the tricks that disguise it (zero-width and Unicode spaces, homoglyphs, trailing dots, padding,
/// double extensions), with the techniques seen recorded as bits.
/// </summary>
internal static class NameCleaning
{
    private static readonly FrozenSet<string> _programExtensions = FrozenSet.ToFrozenSet(
        ["exe", "scr", "com", "pif", "cpl", "bat", "cmd", "vbs", "vbe", "js", "jse", "wsf", "wsh", "ps1", "hta", "msi", "lnk", "jar"],
        StringComparer.Ordinal);

    // Extensions an attacker puts before the real one to make a program look like a document (or like itself).
    private static readonly FrozenSet<string> _decoyExtensions = FrozenSet.ToFrozenSet(
        ["exe", "scr", "com", "pif", "bat", "cmd", "dll", "sys", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "rtf",
         "jpg", "jpeg", "png", "gif", "bmp", "mp3", "mp4", "avi", "mov", "zip", "rar", "7z", "htm", "html", "log", "dat", "csv"],
        StringComparer.Ordinal);

    // The raw name plus the names hidden inside it: each ADS part, and for bidi controls the text before the control and
    // the order a reader sees (right-to-left override reverses what follows it).
    internal static List<(string Text, int Techniques)> Seeds(string name)
    {
        var seeds = new List<(string, int)> { (name, 0) };
        if (name.Contains(':', StringComparison.Ordinal))
        {
            foreach (var part in name.Split(':'))
            {
                if (part.Length > 0 && !part.Equals("$DATA", StringComparison.OrdinalIgnoreCase))
                {
                    seeds.Add((part, Bit(LookAlikeTechnique.AlternateDataStream)));
                }
            }
        }

        var count = seeds.Count;
        for (var i = 0; i < count; i++)
        {
            var (text, techniques) = seeds[i];
            var first = text.AsSpan().IndexOfAny(_bidiControls);
            if (first < 0)
            {
                continue;
            }

            var bidi = techniques | Bit(LookAlikeTechnique.BidiOverride);
            if (first > 0)
            {
                seeds.Add((text[..first], bidi));
            }

            var rlo = text.IndexOf('\u202E', StringComparison.Ordinal);
            if (rlo >= 0)
            {
                var tail = text[(rlo + 1)..].ToCharArray();
                Array.Reverse(tail);
                seeds.Add((text[..rlo] + new string(tail), bidi));
            }
        }

        return seeds;
    }

    private static readonly SearchValues<char> _bidiControls =
        SearchValues.Create("\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C");

    internal static Cleaned? Clean(string text, int techniques, Confusables confusables)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (IsZeroWidth(c))
            {
                techniques |= Bit(LookAlikeTechnique.ZeroWidth);
            }
            else if (_bidiControls.Contains(c))
            {
                techniques |= Bit(LookAlikeTechnique.BidiOverride);
            }
            else if (IsUnicodeSpace(c))
            {
                builder.Append(' ');
                techniques |= Bit(LookAlikeTechnique.UnicodeSpace);
            }
            else
            {
                builder.Append(c);
            }
        }

        var folded = confusables.Fold(builder.ToString(), out var homoglyph);
        if (homoglyph)
        {
            techniques |= Bit(LookAlikeTechnique.Homoglyph);
        }

        // Trims below are case-neutral; the stem is lower-cased at the end, with its cased form kept beside it.
        var trimmed = folded.TrimEnd('.', ' ');
        if (trimmed.Length != folded.Length)
        {
            techniques |= Bit(LookAlikeTechnique.TrailingDotOrSpace);
        }

        var padded = trimmed.TrimStart(' ');
        if (padded.Length != trimmed.Length)
        {
            techniques |= Bit(LookAlikeTechnique.SpaceBeforeExtension);
        }

        var dot = padded.LastIndexOf('.');
        var stem = dot > 0 ? padded[..dot] : padded;
        var extension = dot > 0 ? padded[(dot + 1)..] : string.Empty;
        var extensionTrimmed = extension.Trim(' ');
        if (extensionTrimmed.Length != extension.Length)
        {
            techniques |= Bit(LookAlikeTechnique.SpaceBeforeExtension);
        }

        extensionTrimmed = extensionTrimmed.ToLowerInvariant();
        if (extensionTrimmed.Length > 0 && !_programExtensions.Contains(extensionTrimmed))
        {
            // Not something Windows runs (svchost.exe.mui, services.msc, dwmapi.dll): not a process look-alike.
            return null;
        }

        for (var round = 0; round < 4; round++)
        {
            var padTrimmed = stem.TrimEnd(' ', '_');
            if (padTrimmed.Length != stem.Length)
            {
                techniques |= Bit(LookAlikeTechnique.SpaceBeforeExtension);
                stem = padTrimmed;
            }

            var inner = stem.LastIndexOf('.');
            if (inner <= 0 || !_decoyExtensions.Contains(stem[(inner + 1)..].Trim(' ').ToLowerInvariant()))
            {
                break;
            }

            techniques |= Bit(LookAlikeTechnique.DoubleExtension);
            stem = stem[..inner];
        }

        return stem.Length == 0 ? null : new Cleaned(stem.ToLowerInvariant(), extensionTrimmed, techniques, stem);
    }

    private static bool IsZeroWidth(char c) =>
        c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD' or '\u180E' or '\u034F' or '\u2061' or '\u2062' or '\u2063' or '\u2064';

    private static bool IsUnicodeSpace(char c) =>
        c is '\u00A0' or '\u1680' or (>= '\u2000' and <= '\u200A') or '\u202F' or '\u205F' or '\u3000' or '\u2800' or '\u3164' or '\uFFA0' or '\u115F' or '\u1160' or '\t';

    internal static int Bit(LookAlikeTechnique technique) => 1 << (int)technique;

    // CasedStem is Stem before lower-casing (same length), kept so an upper-case I can stand for an l in short names.
    internal readonly record struct Cleaned(string Stem, string Extension, int Techniques, string CasedStem);
}
