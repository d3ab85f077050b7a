using CsrssForensics.Rules.Locations;
using CsrssForensics.Windows.Paths;
using CsrssForensics.Core.Snapshot;

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

    private readonly Dictionary<string, string?> _accountsBySid;

    /// <summary>
    /// True when <paramref name="target"/> is in the AppData (not Temp) of the user the launcher runs as:
    /// the command names it through that user's own variables (%APPDATA%, %LOCALAPPDATA%, %USERPROFILE%), or the
    /// path is under <c>Users\&lt;account&gt;</c> (or <c>&lt;account&gt;.&lt;suffix&gt;</c>) of the launcher's account.
    /// </summary>
    private bool StartsInOwnAppData(string target, string? user, string? rawCommand, bool perUserLauncher)
    {
        if (!perUserLauncher || UserWritableFolders.Classify(target) != WritableLocation.AppData
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
        if (account is not null && account.StartsWith("S-1-", StringComparison.OrdinalIgnoreCase))
        {
            // Task principals are often a bare SID; the bundle's per-user hive entries say whose it is.
            account = AccountName(AccountOfSid(account));
        }

        if (account is null)
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

    /// <summary>
    /// The account a user SID belongs to, from the autostart entries read out of that user's hive
    /// (<c>HKU\&lt;SID&gt;\...</c> with its user recorded); null when the bundle does not say, or says two things.
    /// </summary>
    private string? AccountOfSid(string sid) => _accountsBySid.TryGetValue(sid, out var account) ? account : null;

    private Dictionary<string, string?> BuildAccountsBySid()
    {
        var map = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in _snapshot.Autoruns)
        {
            if (string.IsNullOrWhiteSpace(entry.User) || !entry.Location.StartsWith(@"HKU\S-1-", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var end = entry.Location.IndexOf('\\', 4);
            var sid = end < 0 ? entry.Location[4..] : entry.Location[4..end];
            var user = entry.User.Trim();

            // Conflicting answers for one SID are hostile or broken input: trust neither.
            map[sid] = map.TryGetValue(sid, out var known) && !string.Equals(known, user, StringComparison.OrdinalIgnoreCase) ? null : user;
        }

        return map;
    }

    /// <summary>
    /// The user a Startup-folder item belongs to: the recorded user, else the profile the Startup folder sits in
    /// (<c>C:\Users\&lt;u&gt;\AppData\Roaming\...\Startup</c>); null for the all-users Startup folder.
    /// </summary>
    private string? StartupFolderOwner(AutorunEntry entry)
    {
        var users = WindowsPath.Key(_systemRoot[..2] + @"\Users\");
        var location = Normalize(entry.Location);
        if (location is null || !WindowsPath.Key(location).StartsWith(users, StringComparison.Ordinal))
        {
            return null;
        }

        var profile = location[users.Length..].Split('\\')[0];
        return string.IsNullOrWhiteSpace(entry.User) ? profile : entry.User;
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
