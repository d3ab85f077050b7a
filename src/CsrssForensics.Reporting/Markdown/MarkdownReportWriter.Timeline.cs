using CsrssForensics.Core.Report;
using CsrssForensics.Reporting.Triage;

namespace CsrssForensics.Reporting.Markdown;

/// <summary>The incident timeline as a table: the text form of the HTML report's timeline picture.</summary>
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

        md.Table(
            ["Time (UTC unless host-local)", "Event"],
            events.Select(e => (IReadOnlyList<string>)[E(e.When), E(e.Label)]));
        md.Paragraph(E(IncidentTimeline.Caveat(report)));
    }
}
