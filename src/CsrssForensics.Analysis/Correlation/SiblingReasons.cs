using System.Collections.Immutable;
using System.Text;
using CsrssForensics.Core.Report;
using CsrssForensics.Reporting.Wording;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>
/// Joins the coded reasons of a file beside a suspicious copy into the one <see cref="SiblingFile.Reason"/> text:
/// a note ("(not copied: content not checked)", wording kind <c>sibling-note</c>) follows the line it qualifies after
/// a space; other lines are separate reasons, joined by "; ".
/// </summary>
internal static class SiblingReasons
{
    private const string NoteKind = "sibling-note";

    /// <summary>The file with its reasons as coded lines and as the joined text.</summary>
    public static SiblingFile With(SiblingFile file, ImmutableArray<ReportLine> reasons)
    {
        ArgumentNullException.ThrowIfNull(file);
        return file with { Reason = Join(reasons), ReasonLines = reasons };
    }

    /// <summary>The lines' texts joined; null when there are none.</summary>
    public static string? Join(ImmutableArray<ReportLine> reasons)
    {
        if (reasons.IsDefaultOrEmpty)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var line in reasons)
        {
            if (text.Length > 0)
            {
                text.Append(IsNote(line) ? " " : "; ");
            }

            text.Append(line.Text);
        }

        return text.ToString();
    }

    private static bool IsNote(ReportLine line) =>
        line.Code is { } code && ReportWording.Entries.TryGetValue(code, out var entry) && entry.Kind == NoteKind;
}
