using System.Globalization;
using CsrssForensics.Bundle.Parsing;

namespace CsrssForensics.Bundle.Tests;

public sealed class BundleTextTests
{
    private static readonly string[] _isoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
    ];

    // The hand-read collector form must agree with the format parser it short-cuts, on its own shape and near misses.
    [Theory]
    [InlineData("2026-11-20T08:15:00Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("2024-02-29T12:00:00Z")]
    [InlineData("2023-02-29T12:00:00Z")]
    [InlineData("2026-13-01T00:00:00Z")]
    [InlineData("2026-00-10T00:00:00Z")]
    [InlineData("2026-04-31T00:00:00Z")]
    [InlineData("2026-11-20T24:00:00Z")]
    [InlineData("2026-11-20T23:60:00Z")]
    [InlineData("2026-11-20T23:59:60Z")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("2026-11-20t08:15:00z")]
    [InlineData("2026-11-20T08:15:00+02:00")]
    [InlineData("2026-11-20T08:15:00.123Z")]
    [InlineData("2026-11-20T08:15:00")]
    [InlineData(" 2026-11-20T08:15:00Z")]
    [InlineData("2026-11-20T08:15:00Z ")]
    [InlineData("2026-1a-20T08:15:00Z")]
    [InlineData("2026-11-20T08:15:0\u0661Z")]
    [InlineData("2026/11/20T08:15:00Z")]
    public void Time_parsing_matches_the_format_parser(string text)
    {
        var expectedOk = DateTimeOffset.TryParseExact(text.Trim(), _isoFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expected);

        var ok = BundleText.TryParseTime(text, out var actual);

        Assert.Equal(expectedOk, ok);
        Assert.Equal(expectedOk ? expected.ToUniversalTime().UtcTicks : 0, ok ? actual.UtcTicks : 0);
        if (ok)
        {
            Assert.Equal(TimeSpan.Zero, actual.Offset);
        }
    }

    [Theory]
    [InlineData("99f20227d48e5fc6b65043afa37f596df4f6025e275cb1e063f2de89e7e412ef", "99f20227d48e5fc6b65043afa37f596df4f6025e275cb1e063f2de89e7e412ef")]
    [InlineData("99F20227D48E5FC6B65043AFA37F596DF4F6025E275CB1E063F2DE89E7E412EF", "99f20227d48e5fc6b65043afa37f596df4f6025e275cb1e063f2de89e7e412ef")]
    [InlineData(" 99f20227d48e5fc6b65043afa37f596df4f6025e275cb1e063f2de89e7e412eF ", "99f20227d48e5fc6b65043afa37f596df4f6025e275cb1e063f2de89e7e412ef")]
    [InlineData("99f20227d48e5fc6b65043afa37f596df4f6025e275cb1e063f2de89e7e412eg", null)]
    [InlineData("99f20227", null)]
    public void Sha256_is_lower_case_hex_or_null(string text, string? expected) =>
        Assert.Equal(expected, BundleText.Sha256(text));
}
