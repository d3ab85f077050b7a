using System.Collections.Immutable;
using CsrssForensics.Core.Report;

namespace CsrssForensics.Reporting.Wording;

/// <summary>
/// The conservative rules of the csrss.exe guidance, worded in <c>report-wording.json</c>. The normalizer appends them
/// to the report's actions after the analysis's own, so JSON, Markdown and HTML say the same thing and the one
/// irreversible mistake (removing the real System32 file) is warned against even when the analysis produced no action.
/// </summary>
internal static class GeneralAdvice
{
    /// <summary>The general lines, "do" before "do not", in table order.</summary>
    public static IReadOnlyList<string> Codes { get; } =
    [
        "GUIDE-ACT-ON-FAKES",
        "GUIDE-SCAN-ODD-COPIES",
        "GUIDE-FIND-REAL-LOAD",
        "GUIDE-KEEP-SYSTEM32-CSRSS",
        "GUIDE-REPAIR-NOT-DELETE",
        "GUIDE-CHECK-COPIES-OUTSIDE",
        "GUIDE-DO-NOT-COUNT",
    ];

    /// <summary>The actions followed by every general line they do not already contain (compared case-insensitively).</summary>
    public static ImmutableArray<ActionItem> AppendTo(ImmutableArray<ActionItem> actions)
    {
        var shown = actions.Select(a => a.Text).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var general = Codes.Select(code => ReportWording.Action(code, null)).Where(a => !shown.Contains(a.Text));
        return [.. actions, .. general.Where(a => a.Kind == "do"), .. general.Where(a => a.Kind != "do")];
    }
}
