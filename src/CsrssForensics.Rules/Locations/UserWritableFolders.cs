using CsrssForensics.Rules.Caching;
using CsrssForensics.Windows.Paths;

namespace CsrssForensics.Rules.Locations;

/// <summary>
/// Detection policy on top of the path semantics: which folders a standard user can write to on a default install,
/// the places malware drops a copy of a system binary. The rows and their reasons are in docs/user-writable.md.
/// </summary>
public static class UserWritableFolders
{
    private const int MaxClassified = 1 << 16;

    private static readonly CappedCache<WritableLocation> _classified = new(MaxClassified);

    /// <summary>True when the path is in a folder a standard user can write to (see <see cref="Classify(string?)"/>).</summary>
    public static bool Contains(string? path) => Classify(path) != WritableLocation.None;

    /// <summary>
    /// Which user-writable location the path is in, as the ACLs of a default install decide it (docs/user-writable.md).
    /// Works on any drive letter and on unexpanded user variables
    /// (<c>%APPDATA%</c>, <c>%TEMP%</c>, <c>%USERPROFILE%\Downloads</c>...). Startup and Temp win over AppData.
    /// </summary>
    // The same paths are asked about again and again (every subject's list of same-name copies, every launcher's
    // target): the answer is kept per path text.
    public static WritableLocation Classify(string? path) =>
        path is null ? WritableLocation.None : _classified.GetOrAdd(path, ClassifyUncached);

    private static WritableLocation ClassifyUncached(string path)
    {
        var normalized = WindowsPath.Normalize(path);
        if (normalized is null)
        {
            return WritableLocation.None;
        }

        var segments = WindowsPath.Key(normalized).Split('\\', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return WritableLocation.None;
        }

        if (IsStartup(segments))
        {
            return WritableLocation.Startup;
        }

        return segments[0] switch
        {
            "%TEMP%" or "%TMP%" => WritableLocation.Temp,
            "%APPDATA%" => WritableLocation.AppData,
            "%LOCALAPPDATA%" => segments.Length > 1 && segments[1] == "TEMP" ? WritableLocation.Temp : WritableLocation.AppData,
            "%USERPROFILE%" => ClassifyProfile(segments, 1),
            "%PUBLIC%" => WritableLocation.UsersPublic,
            _ when IsDrive(segments[0]) => ClassifyFromDriveRoot(segments),
            _ => WritableLocation.None,
        };
    }

    private static WritableLocation ClassifyFromDriveRoot(string[] segments)
    {
        if (segments.Length < 2)
        {
            return WritableLocation.None;
        }

        switch (segments[1])
        {
            case "$RECYCLE.BIN" or "RECYCLER":
                return WritableLocation.RecycleBin;
            case "PERFLOGS":
                return WritableLocation.PerfLogs;
            case "PROGRAMDATA":
                // Only on C:, where Windows made these folders: on another drive anyone may have made a folder so named.
                return segments[0] == "C:" && DefaultAcl.StartsWithAny(segments, 2, DefaultAcl.RestrictedUnderProgramData)
                    ? WritableLocation.None
                    : WritableLocation.ProgramData;
            case "WINDOWS" when segments.Length > 2 && segments[2] == "TEMP":
                return WritableLocation.WindowsTemp;
            case "WINDOWS" when DefaultAcl.StartsWithAny(segments, 2, DefaultAcl.WritableUnderWindows):
                return WritableLocation.WindowsWritable;
            case "USERS" when segments.Length > 2:
                return segments[2] == "PUBLIC" ? WritableLocation.UsersPublic : ClassifyProfile(segments, 3);
            case "DOCUMENTS AND SETTINGS" when segments.Length > 2:
                return ClassifyLegacyProfile(segments, 3);
            default:
                return WritableLocation.None;
        }
    }

    // segments[start..] are inside a user profile folder.
    private static WritableLocation ClassifyProfile(string[] segments, int start)
    {
        if (segments.Length <= start)
        {
            return WritableLocation.None;
        }

        return segments[start] switch
        {
            "APPDATA" when segments.Length > start + 2 && segments[start + 1] == "LOCAL" && segments[start + 2] == "TEMP"
                => WritableLocation.Temp,
            "APPDATA" => WritableLocation.AppData,
            "DOWNLOADS" => WritableLocation.Downloads,
            "DESKTOP" => WritableLocation.Desktop,
            _ => WritableLocation.None,
        };
    }

    private static WritableLocation ClassifyLegacyProfile(string[] segments, int start)
    {
        if (segments.Length <= start)
        {
            return WritableLocation.None;
        }

        return segments[start] switch
        {
            "LOCAL SETTINGS" when segments.Length > start + 1 && segments[start + 1] == "TEMP" => WritableLocation.Temp,
            "APPLICATION DATA" or "LOCAL SETTINGS" => WritableLocation.AppData,
            "DESKTOP" => WritableLocation.Desktop,
            _ => WritableLocation.None,
        };
    }

    private static bool IsStartup(string[] segments)
    {
        // ...\Microsoft\Windows\Start Menu\Programs\Startup (per user under AppData\Roaming, all users under ProgramData).
        for (var i = 0; i + 2 < segments.Length; i++)
        {
            if (segments[i] == "START MENU" && segments[i + 1] == "PROGRAMS" && segments[i + 2] == "STARTUP")
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDrive(string segment) =>
        segment.Length == 2 && segment[1] == ':' && char.IsAsciiLetter(segment[0]);
}
