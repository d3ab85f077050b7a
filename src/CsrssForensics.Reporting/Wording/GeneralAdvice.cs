using System.Collections.Immutable;
using CsrssForensics.Core.Report;

namespace CsrssForensics.Reporting.Wording;

/// <summary>
/// The conservative rules of the csrss.exe guidance, one table for every format. The normalizer appends them to the
/// report's actions after the analysis's own, so JSON, Markdown and HTML say the same thing and the one irreversible
/// mistake (removing the real System32 file) is warned against even when the analysis produced no action at all.
/// </summary>
internal static class GeneralAdvice
{
    /// <summary>General "do" lines, after the analysis's own.</summary>
    public static IReadOnlyList<string> Do { get; } =
    [
        "Act only on copies the evidence shows to be fake, and on the launchers that start them.",
        "Scan any copy whose path is wrong, whose name is misspelled or whose signature is missing, and scan the folder around it.",
        "If csrss.exe is legitimate and the machine is slow, look for the real cause: graphics drivers, overlays, desktop effects, browser GPU use or another process.",
    ];

    /// <summary>General "do not" lines, after the analysis's own.</summary>
    public static IReadOnlyList<string> DoNot { get; } =
    [
        "Do not end or delete the System32 csrss.exe: ending the real process crashes Windows or forces a restart.",
        "Do not delete or quarantine a System32 csrss.exe that fails verification; repair Windows offline instead (sfc /scannow, DISM).",
        "Do not ignore a copy outside System32 because \"csrss.exe is always Windows\".",
        "Do not count processes: two or more legitimate csrss.exe instances, one per session, are normal.",
    ];

    /// <summary>The actions followed by every general line they do not already contain (compared case-insensitively).</summary>
    public static ImmutableArray<ActionItem> AppendTo(ImmutableArray<ActionItem> actions)
    {
        var shown = actions.Select(a => a.Text).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return
        [
            .. actions,
            .. Do.Where(t => !shown.Contains(t)).Select(t => new ActionItem("do", t, null)),
            .. DoNot.Where(t => !shown.Contains(t)).Select(t => new ActionItem("do-not", t, null)),
        ];
    }
}
