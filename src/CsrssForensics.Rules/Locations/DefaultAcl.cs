using CsrssForensics.Windows.Paths;

namespace CsrssForensics.Rules.Locations;

/// <summary>
/// What the ACLs of a default Windows 10/11 or Server 2016+ install let a standard user write, for the folders
/// where the answer differs from their parent. Sources and reasoning per row: docs/user-writable.md.
/// </summary>
/// <remarks>
/// Folders are matched segment by segment, ordinally on the upper-cased text the normalizer keeps: a spoof with a
/// trailing dot or space (<c>Windows Defender </c>), a homoglyph or any other spelling is a different folder, so it
/// does not inherit the exemption. Every entry is relative to the root of the system drive.
/// </remarks>
public static class DefaultAcl
{
    /// <summary>
    /// ProgramData sub-folders a Windows component creates with its own ACL (SYSTEM, Administrators, TrustedInstaller
    /// and the service's SID may write; Users may only read). The rest of ProgramData, including every vendor folder an
    /// installer creates without setting an ACL, inherits the root's "Users may create files and folders" and stays
    /// user-writable.
    /// </summary>
    public static readonly IReadOnlyList<string[]> RestrictedUnderProgramData =
    [
        ["MICROSOFT", "WINDOWS DEFENDER"],
        ["MICROSOFT", "WINDOWS DEFENDER ADVANCED THREAT PROTECTION"],
    ];

    /// <summary>
    /// Folders under the Windows folder that a default install lets standard users create files in (and run them):
    /// the well-known holes in "the Windows folder is admin-only". Windows\Temp is reported on its own.
    /// </summary>
    public static readonly IReadOnlyList<string[]> WritableUnderWindows =
    [
        ["TASKS"],
        ["TRACING"],
        ["REGISTRATION", "CRMLOG"],
        ["SYSTEM32", "TASKS"],
        ["SYSWOW64", "TASKS"],
        ["SYSTEM32", "SPOOL", "DRIVERS", "COLOR"],
        ["SYSTEM32", "SPOOL", "PRINTERS"],
        ["SYSTEM32", "SPOOL", "SERVERS"],
        ["DEBUG", "WIA"],
        ["SYSTEM32", "COM", "DMP"],
        ["SYSWOW64", "COM", "DMP"],
        ["SYSTEM32", "FXSTMP"],
        ["SYSWOW64", "FXSTMP"],
        ["SYSTEM32", "MICROSOFT", "CRYPTO", "RSA", "MACHINEKEYS"],
    ];

    /// <summary>True when <paramref name="segments"/>[<paramref name="start"/>..] begins with one of <paramref name="table"/>'s folders.</summary>
    /// <param name="segments">Upper-cased path segments (as <see cref="WindowsPath.Key"/> gives them).</param>
    public static bool StartsWithAny(string[] segments, int start, IReadOnlyList<string[]> table)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(table);
        foreach (var folder in table)
        {
            if (StartsWith(segments, start, folder))
            {
                return true;
            }
        }

        return false;
    }

    private static bool StartsWith(string[] segments, int start, string[] folder)
    {
        // Strictly inside: the folder itself is not a file a launcher could start.
        if (segments.Length - start <= folder.Length)
        {
            return false;
        }

        for (var i = 0; i < folder.Length; i++)
        {
            if (!string.Equals(segments[start + i], folder[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
