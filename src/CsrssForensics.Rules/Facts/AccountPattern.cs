namespace CsrssForensics.Rules.Facts;

/// <summary>Account patterns of the core-process table (<c>NT AUTHORITY\SYSTEM</c>, <c>*</c> wildcards) against a process's user.</summary>
internal static class AccountPattern
{
    // "NT AUTHORITY\SYSTEM" also matches a bare "SYSTEM" and localized authority names ("NT-AUTORITÄT\SYSTEM"):
    // the well-known account is identified by its name part. Other patterns compare the whole text; * is a wildcard.
    internal static bool Matches(string pattern, string user)
    {
        var u = user.Trim();
        if (Glob(pattern, u))
        {
            return true;
        }

        var patternCut = pattern.LastIndexOf('\\');
        var userCut = u.LastIndexOf('\\');
        var patternName = patternCut < 0 ? pattern : pattern[(patternCut + 1)..];
        var userName = userCut < 0 ? u : u[(userCut + 1)..];
        var authority = patternCut > 0 && pattern[..patternCut].Equals("NT AUTHORITY", StringComparison.OrdinalIgnoreCase);
        return (authority || userCut < 0) && Glob(patternName, userName);
    }

    private static bool Glob(string pattern, string text)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return string.Equals(pattern, text, StringComparison.OrdinalIgnoreCase);
        }

        var prefix = pattern[..star];
        var suffix = pattern[(star + 1)..];
        return text.Length >= prefix.Length + suffix.Length
            && text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
    }
}
