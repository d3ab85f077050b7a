using CsrssForensics.Core.Paths;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>
/// Per-user launchers that start a file in their own user's AppData. Every per-user install works so (OneDrive's
/// Run value and its "Standalone Update Task-&lt;SID&gt;", classic Teams' Update.exe, Zoom, Slack, per-user Chrome and
/// Edge updaters): the user can already run anything from there, so the launcher gains the user nothing. It stays a
/// low finding, not an alarm. What is odd stays odd: a launcher running as SYSTEM or a service account, a machine-wide
/// Run value or another user's folder (privilege or reach gained), Temp, Downloads, Desktop and Startup, a core process
/// name (<see cref="LauncherCodes.CoreNameTarget"/>) and a task named like Windows itself.
/// </summary>
internal sealed partial class LauncherResolver
{
    // Generic words many vendors put in their updater task names ("OneDrive Standalone Update Task",
    // "GoogleUpdateTaskUser", "MicrosoftEdgeUpdateTaskUser"): not on their own a claim to be part of Windows when the
    // task runs as a user from that user's own profile.
    private static readonly HashSet<string> _vendorWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "microsoft", "update", "system", "security", "service", "runtime",
    };

    private static readonly string[] _profileVariables = ["%APPDATA%", "%LOCALAPPDATA%", "%USERPROFILE%"];

    /// <summary>
    /// True when <paramref name="target"/> is in the AppData (not Temp) of the user the launcher runs as:
    /// the command names it through that user's own variables (%APPDATA%, %LOCALAPPDATA%, %USERPROFILE%), or the
    /// path is under <c>Users\&lt;account&gt;</c> (or <c>&lt;account&gt;.&lt;suffix&gt;</c>) of the launcher's account.
    /// </summary>
    private bool StartsInOwnAppData(string target, string? user, string? rawCommand, bool perUserLauncher)
    {
        if (!perUserLauncher || WindowsPath.UserWritableKind(target) != WritableLocation.AppData
            || string.IsNullOrWhiteSpace(user) || IsServiceAccount(user))
        {
            return false;
        }

        // %APPDATA% in a per-user launcher's command is, by definition, the folder of the user it runs as.
        var command = rawCommand?.TrimStart('"', ' ') ?? string.Empty;
        if (_profileVariables.Any(v => command.StartsWith(v, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        var account = AccountName(user);
        if (account is null || account.StartsWith("S-1-", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var users = WindowsPath.Key(_systemRoot[..2] + @"\Users\");
        var key = WindowsPath.Key(target);
        if (!key.StartsWith(users, StringComparison.Ordinal))
        {
            return false;
        }

        var profile = key[users.Length..].Split('\\')[0];
        var accountKey = account.ToUpperInvariant();
        return profile == accountKey || profile.StartsWith(accountKey + ".", StringComparison.Ordinal);
    }

    private static bool IsServiceAccount(string user)
    {
        var trimmed = user.Trim();
        return _serviceAccounts.Contains(trimmed) || (AccountName(trimmed) is { } account && _serviceAccounts.Contains(account));
    }

    /// <summary>A per-user Run value: one in a user hive (HKU\&lt;SID&gt;, HKCU), not HKLM.</summary>
    private static bool IsUserHive(string location) =>
        location.StartsWith(@"HKU\", StringComparison.OrdinalIgnoreCase)
        || location.StartsWith(@"HKEY_USERS\", StringComparison.OrdinalIgnoreCase)
        || location.StartsWith(@"HKCU\", StringComparison.OrdinalIgnoreCase)
        || location.StartsWith(@"HKEY_CURRENT_USER\", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for the generic vendor words of <see cref="_vendorWords"/> (not core names, not "windows").</summary>
    private static bool IsVendorWord(string word) => _vendorWords.Contains(word);
}
