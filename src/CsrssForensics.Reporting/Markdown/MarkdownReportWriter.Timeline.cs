using CsrssForensics.Core.Report;
using CsrssForensics.Reporting.Triage;

namespace CsrssForensics.Reporting.Markdown;

/// <summary>The incident timeline as a list: the text form of the HTML report's timeline picture.</summary>
internal static partial class MarkdownReportWriter
{
    private static void WriteTimeline(MarkdownBuilder md, AnalysisReport report)
    {
        var events = IncidentTimeline.Of(report);
        if (events.Count == 0)
        {
            md.Paragraph("The bundle gives no time for any event.");
            return;
        }

        // A list, not a table: one line per event keeps the seed report short. A host-local time says so in its text;
        // docs/report.md explains why it is not converted and which times the bundle cannot give.
        md.Bullets(events.Select(e => $"{E(e.When)}: {E(e.Label)}"));
    }
}
