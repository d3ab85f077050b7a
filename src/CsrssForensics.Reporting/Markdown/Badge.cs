using System.Collections.Frozen;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Text;

namespace CsrssForensics.Reporting.Markdown;

/// <summary>
/// Status words written as bold Markdown. Bundle text can never render as <c>&lt;strong&gt;</c> (its asterisks and
/// underscores are escaped), so the HTML writer may safely give exactly these rendered tokens a CSS class.
/// </summary>
internal static class Badge
{
    // Enum.GetValues copies a new array on every call; tree lines ask once per process.
    private static readonly Verdict[] _verdicts = Enum.GetValues<Verdict>();

    /// <summary>Every word that gets a badge, in the spelling of the JSON.</summary>
    public static IReadOnlyList<string> Words { get; } =
    [
        "legitimate", "suspicious", "fake", "inconclusive",
        "clean", "compromised",
        "verified", "failed", "unverified",
    ];

    public static string Of(Verdict verdict) => Bold(ReportText.Name(verdict));

    public static string Of(OverallStatus status) => Bold(ReportText.Name(status));

    public static string Of(IntegrityStatus status) => Bold(ReportText.Name(status));

    /// <summary>A badge for a verdict given as text (process tree nodes), or the escaped text when it is no known verdict.</summary>
    public static string OfVerdictText(string? verdict)
    {
        foreach (var value in _verdicts)
        {
            if (string.Equals(verdict, ReportText.Name(value), StringComparison.OrdinalIgnoreCase))
            {
                return Of(value);
            }
        }

        return MarkdownText.Escape(verdict);
    }

    // The bold form of every badge word, made once: the findings and tree lines ask for one per row.
    private static readonly FrozenDictionary<string, string> _bold =
        Words.ToFrozenDictionary(word => word, word => $"**{word}**", StringComparer.Ordinal);

    private static string Bold(string word) => _bold.TryGetValue(word, out var bold) ? bold : $"**{word}**";
}
