using System.Globalization;

namespace CsrssForensics.Bundle.Parsing;

/// <summary>Invariant, UTC-only parsing of the scalar values the bundle format uses.</summary>
internal static class BundleText
{
    private static readonly string[] _isoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
    ];

    /// <summary>ISO 8601 (<c>2026-11-20T08:15:00Z</c>, an offset, or no zone = UTC) to a UTC <see cref="DateTimeOffset"/>.</summary>
    public static bool TryParseTime(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (TryParseCollectorForm(text, out value))
        {
            return true;
        }

        // The collector's own form first: one format is much cheaper to try than the list.
        var trimmed = text.Trim();
        if (DateTimeOffset.TryParseExact(trimmed, _isoFormats[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var quick))
        {
            value = quick.ToUniversalTime();
            return true;
        }

        if (!DateTimeOffset.TryParseExact(
                trimmed,
                _isoFormats,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var parsed))
        {
            return false;
        }

        value = parsed.ToUniversalTime();
        return true;
    }

    // "yyyy-MM-ddTHH:mm:ssZ" exactly, as the collector writes every time, read by hand: the format parser cost more
    // than the rest of a files.csv row. Anything else (offsets, fractions, padding, a bad date) goes to the parser.
    internal static bool TryParseCollectorForm(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z'
            || !TryDigits(text, 0, 4, out var year) || !TryDigits(text, 5, 2, out var month) || !TryDigits(text, 8, 2, out var day)
            || !TryDigits(text, 11, 2, out var hour) || !TryDigits(text, 14, 2, out var minute) || !TryDigits(text, 17, 2, out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }

            value = (value * 10) + (text[i] - '0');
        }

        return true;
    }

    public static bool TryParseInt(string text, out int value) => TryParseInt(text.AsSpan(), out value);

    // Span forms: a CSV cell is parsed from a stack copy, with the same trimming, without a string per cell.
    public static bool TryParseInt(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryParseLong(string text, out long value) => TryParseLong(text.AsSpan(), out value);

    public static bool TryParseLong(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryParseDouble(string text, out double value) => TryParseDouble(text.AsSpan(), out value);

    public static bool TryParseDouble(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>64 hexadecimal digits, returned lower-case; null when the text is not a SHA-256.</summary>
    public static string? Sha256(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var trimmed = text.Trim();
        if (trimmed.Length != 64)
        {
            return null;
        }

        var upper = false;
        foreach (var c in trimmed)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return null;
            }

            upper |= char.IsAsciiLetterUpper(c);
        }

        // Already lower-case (as collectors write it): no second scan through the culture-free casing table.
        return upper ? trimmed.ToLowerInvariant() : trimmed;
    }

    /// <summary>A cell or value that is empty or only white space means "not known".</summary>
    public static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
