namespace CsrssForensics.Analysis.Correlation;

/// <summary>The per-user environment variables Windows derives from a profile folder, for expanding %APPDATA% and kin.</summary>
internal static class UserProfileVariables
{
    /// <summary>USERPROFILE, APPDATA, LOCALAPPDATA, TEMP and TMP of the profile at <paramref name="profile"/> (default layout).</summary>
    public static Dictionary<string, string> For(string profile) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["USERPROFILE"] = profile,
        ["APPDATA"] = profile + @"\AppData\Roaming",
        ["LOCALAPPDATA"] = profile + @"\AppData\Local",
        ["TEMP"] = profile + @"\AppData\Local\Temp",
        ["TMP"] = profile + @"\AppData\Local\Temp",
    };
}
