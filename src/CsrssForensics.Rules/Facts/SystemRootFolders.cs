using CsrssForensics.Rules.Caching;
using CsrssForensics.Windows.Paths;

namespace CsrssForensics.Rules.Facts;

/// <summary>
/// The comparison keys of the folders the facts test paths against, for one system root. Every subject of a bundle
/// has the same root, so the keys are made once per root instead of once per subject and check.
/// </summary>
internal sealed class SystemRootFolders
{
    private const int MaxRoots = 64;

    // Sigma's system-file rules accept these servicing locations for copies of system binaries.
    private static readonly string[] _servicingUnderSystemRoot = ["WinSxS", "SoftwareDistribution", "servicing", "SystemTemp", "uus"];
    private static readonly string[] _servicingUnderDrive = ["$WINDOWS.~BT", "$WinREAgent"];
    private static readonly CappedCache<SystemRootFolders> _byRoot = new(MaxRoots);

    private SystemRootFolders(string systemRoot)
    {
        var withWbem = new[] { systemRoot, systemRoot + @"\System32", systemRoot + @"\SysWOW64", systemRoot + @"\System32\wbem", systemRoot + @"\SysWOW64\wbem" };
        SystemFolderKeys = [.. withWbem.Select(WindowsPath.Key)];
        ParentImageFolderKeys = [.. withWbem[..4].Select(WindowsPath.Key)];
        DefenderPlatform = systemRoot[..3] + "ProgramData\\Microsoft\\Windows Defender\\Platform";
        ServicingFolderKeys = [.. _servicingUnderSystemRoot.Select(f => systemRoot + "\\" + f)
            .Concat(_servicingUnderDrive.Select(f => systemRoot[..3] + f))
            .Select(UnderKey)
            .OfType<string>()];
    }

    /// <summary>Keys of the Windows folder, System32, SysWOW64 and their wbem folders.</summary>
    public string[] SystemFolderKeys { get; }

    /// <summary>Keys of the folders a core process's parent image may sit in (no SysWOW64\wbem).</summary>
    public string[] ParentImageFolderKeys { get; }

    /// <summary>Defender's platform folder, where its own service binaries live.</summary>
    public string DefenderPlatform { get; }

    /// <summary>The servicing folders as <see cref="WindowsPath.IsUnder"/> compares them: key plus a final separator.</summary>
    public string[] ServicingFolderKeys { get; }

    /// <summary>
    /// The folders of <paramref name="systemRoot"/> (a normalized, drive-rooted path). Past the cap (only hostile or
    /// synthetic input has that many roots) the keys are made for the caller alone.
    /// </summary>
    public static SystemRootFolders For(string systemRoot) => _byRoot.GetOrAdd(systemRoot, static root => new SystemRootFolders(root));

    /// <summary>True when <paramref name="key"/> equals one of <paramref name="folderKeys"/>.</summary>
    public static bool IsOneOf(string key, string[] folderKeys) =>
        Array.Exists(folderKeys, f => string.Equals(f, key, StringComparison.Ordinal));

    /// <summary>
    /// What <see cref="WindowsPath.IsUnder"/> compares for a folder: its key ending with a separator; null when the
    /// folder does not normalize (then nothing is under it).
    /// </summary>
    public static string? UnderKey(string folder)
    {
        var normalized = WindowsPath.Normalize(folder);
        if (normalized is null)
        {
            return null;
        }

        var key = WindowsPath.Key(normalized);
        return key.EndsWith('\\') ? key : key + '\\';
    }

    /// <summary><see cref="WindowsPath.IsUnder"/> with the folder's <see cref="UnderKey"/> made in advance.</summary>
    public static bool IsUnder(string? pathKey, string folderUnderKey) =>
        pathKey is not null && pathKey.Length > folderUnderKey.Length && pathKey.StartsWith(folderUnderKey, StringComparison.Ordinal);
}
