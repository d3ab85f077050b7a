using CsrssForensics.Rules;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>
/// Names that launchers are judged against: the image names of the rules' core-process table (the only list of core
/// names) and system-sounding words.
/// </summary>
internal sealed class SystemNames
{
    // ATT&CK T1036.004 task names: "Windows Update", "WinUpdate", "Windows Update Security", "SRCheck"...
    private static readonly string[] _systemWords =
    [
        "windows", "microsoft", "update", "system", "defender", "security", "service", "runtime", "kernel",
    ];

    private readonly HashSet<string> _startedOnlyByWindows = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _coreNames = new(StringComparer.OrdinalIgnoreCase);

    // Longest first, so "taskhostw" in a task name is named as such rather than as "taskhost"; an array, so
    // SystemSoundingPart answers the same on every run.
    private readonly string[] _coreStems;

    public SystemNames(IEnumerable<CoreProcessRule> table)
    {
        ArgumentNullException.ThrowIfNull(table);
        foreach (var row in table)
        {
            // System has no image file of its own; its row names ntoskrnl.exe among its other image names.
            var images = row.OtherImageNames.Prepend(row.Name).Where(n => n.EndsWith(".exe", StringComparison.OrdinalIgnoreCase));
            foreach (var image in images)
            {
                _coreNames.Add(image);
                if (row.StartedOnlyByWindows)
                {
                    _startedOnlyByWindows.Add(image);
                }
            }
        }

        _coreStems = [.. _coreNames.Select(n => n[..^4].ToLowerInvariant()).Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length).ThenBy(s => s, StringComparer.Ordinal)];
    }

    /// <summary>True for core processes that Windows alone starts: never a task, Run value, service or Startup item.</summary>
    public bool IsStartedOnlyByWindows(string? fileName) => fileName is not null && _startedOnlyByWindows.Contains(fileName);

    /// <summary>True for a core Windows process image name (<c>csrss.exe</c>, <c>svchost.exe</c>...).</summary>
    public bool IsCoreName(string? fileName) => fileName is not null && _coreNames.Contains(fileName);

    /// <summary>The first core process name or system-sounding word inside <paramref name="name"/>, or null.</summary>
    public string? SystemSoundingPart(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        // Core process names first: "csrss" in a task name says more than the "Windows" of its folder.
        foreach (var stem in _coreStems)
        {
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
