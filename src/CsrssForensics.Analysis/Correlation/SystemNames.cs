namespace CsrssForensics.Analysis.Correlation;

/// <summary>Names that launchers are judged against: core Windows process names and system-sounding words.</summary>
internal static class SystemNames
{
    // research/detection.md §4 and §7.4: smss starts these from the SubSystems key or the kernel/wininit/winlogon
    // start them; no task, Run value, service or Startup item ever does.
    private static readonly HashSet<string> _neverLaunched = new(StringComparer.OrdinalIgnoreCase)
    {
        "csrss.exe", "smss.exe", "wininit.exe", "winlogon.exe", "lsass.exe", "lsaiso.exe", "services.exe", "lsm.exe",
        "ntoskrnl.exe",
    };

    // research/detection.md §1 and §2 (Sigma system_exe_anomaly, Elastic untrusted path): core names that do have
    // legitimate launchers (services start svchost, Winlogon starts userinit/explorer) but only from Windows folders.
    // An array, not only a set: SystemSoundingPart walks it and must answer the same on every run.
    private static readonly string[] _coreNameList =
    [
        "csrss.exe", "smss.exe", "wininit.exe", "winlogon.exe", "lsass.exe", "lsaiso.exe", "services.exe", "lsm.exe",
        "ntoskrnl.exe", "svchost.exe", "taskhostw.exe", "taskhost.exe", "taskeng.exe", "runtimebroker.exe",
        "explorer.exe", "userinit.exe", "logonui.exe", "dwm.exe", "fontdrvhost.exe", "conhost.exe", "spoolsv.exe",
        "sihost.exe", "dllhost.exe", "wmiprvse.exe", "searchindexer.exe", "ctfmon.exe", "audiodg.exe", "wuauclt.exe",
    ];

    private static readonly HashSet<string> _coreNames = new(_coreNameList, StringComparer.OrdinalIgnoreCase);

    // ATT&CK T1036.004 task names: "Windows Update", "WinUpdate", "Windows Update Security", "SRCheck"...
    private static readonly string[] _systemWords =
    [
        "windows", "microsoft", "update", "system", "defender", "security", "service", "runtime", "kernel",
    ];

    /// <summary>True for core processes that Windows never starts from a task, Run value, service or Startup item.</summary>
    public static bool IsNeverLaunched(string? fileName) => fileName is not null && _neverLaunched.Contains(fileName);

    /// <summary>True for a core Windows process image name (<c>csrss.exe</c>, <c>svchost.exe</c>...).</summary>
    public static bool IsCoreName(string? fileName) => fileName is not null && _coreNames.Contains(fileName);

    /// <summary>The first system-sounding word or core process name inside <paramref name="name"/>, or null.</summary>
    public static string? SystemSoundingPart(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        // Core process names first: "csrss" in a task name says more than the "Windows" of its folder.
        foreach (var core in _coreNameList)
        {
            var stem = core[..^4];
            if (name.Contains(stem, StringComparison.OrdinalIgnoreCase))
            {
                return stem;
            }
        }

        foreach (var word in _systemWords)
        {
            if (name.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return word;
            }
        }

        return null;
    }
}
