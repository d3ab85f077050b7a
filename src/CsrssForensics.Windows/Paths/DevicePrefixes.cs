namespace CsrssForensics.Windows.Paths;

/// <summary>
/// NT and Win32 device prefixes (<c>\??\</c>, <c>\\?\</c>, <c>\Device\HarddiskVolumeN\</c>, <c>\SystemRoot\</c>...) mapped to
/// drive and UNC paths.
/// </summary>
internal static class DevicePrefixes
{
    internal static string Strip(string text, string systemRoot)
    {
        // Win32 device prefixes: \\?\C:\x, \\.\C:\x, and the NT object-manager form \??\C:\x.
        if (StartsWithIgnoreCase(text, @"\??\") || StartsWithIgnoreCase(text, @"\\?\") || StartsWithIgnoreCase(text, @"\\.\"))
        {
            text = text[4..];
            if (StartsWithIgnoreCase(text, @"UNC\"))
            {
                return @"\\" + text[4..];
            }

            if (StartsWithIgnoreCase(text, @"GLOBALROOT\"))
            {
                text = text[10..];
            }
        }

        if (StartsWithIgnoreCase(text, @"\Device\HarddiskVolume"))
        {
            var i = @"\Device\HarddiskVolume".Length;
            var digits = i;
            while (digits < text.Length && char.IsAsciiDigit(text[digits]))
            {
                digits++;
            }

            if (digits > i && (digits == text.Length || text[digits] == '\\'))
            {
                return @"C:\" + (digits < text.Length ? text[(digits + 1)..] : string.Empty);
            }
        }

        if (StartsWithIgnoreCase(text, @"\Device\Mup\"))
        {
            return @"\\" + text[@"\Device\Mup\".Length..];
        }

        if (StartsWithIgnoreCase(text, @"\SystemRoot\") || string.Equals(text, @"\SystemRoot", StringComparison.OrdinalIgnoreCase))
        {
            return systemRoot + text[@"\SystemRoot".Length..];
        }

        // Driver ImagePath values: "SystemRoot\System32\drivers\x.sys" and "System32\drivers\x.sys" are relative
        // to the system root (the kernel's IopLoadDriver resolves them so).
        if (StartsWithIgnoreCase(text, @"SystemRoot\"))
        {
            return systemRoot + text[@"SystemRoot".Length..];
        }

        if (StartsWithIgnoreCase(text, @"System32\"))
        {
            return systemRoot + @"\" + text;
        }

        return text;
    }

    private static bool StartsWithIgnoreCase(string text, string prefix) =>
        text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
}
