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

    public static bool TryParseInt(string text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryParseLong(string text, out long value) =>
        long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryParseDouble(string text, out double value) =>
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

        foreach (var c in trimmed)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return null;
            }
        }

        return trimmed.ToLowerInvariant();
    }

    /// <summary>A cell or value that is empty or only white space means "not known".</summary>
    public static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
