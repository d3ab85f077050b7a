namespace CsrssForensics.Tests.Shared;

/// <summary>Seeded random strings over a small alphabet of tricky characters, for "hostile input never throws" tests.</summary>
internal static class RandomText
{
    /// <summary>A string of 0 to <paramref name="maxLength"/> - 1 characters drawn from <paramref name="alphabet"/>.</summary>
    public static string Next(Random random, string alphabet, int maxLength)
    {
        var chars = new char[random.Next(0, maxLength)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }

        return new string(chars);
    }
}
