using CsrssForensics.Core.Report;
using CsrssForensics.Reporting.Triage;
using static CsrssForensics.Reporting.Html.HtmlText;

namespace CsrssForensics.Reporting.Html;

/// <summary>The incident timeline: an inline SVG (no script), then the same events as a table, then what it cannot show.</summary>
internal static partial class HtmlReportWriter
{
    // A longer timeline is left undrawn (its table is still written): a hostile bundle must not make the page draw without bound.
    private const int MaxTimelineRows = 300;

    private static void WriteTimeline(TextWriter writer, AnalysisReport report)
    {
        var events = IncidentTimeline.Of(report);
        if (events.Count == 0)
        {
            writer.Write("<p>The bundle gives no time for any event.</p>\n");
            return;
        }

        if (events.Count <= MaxTimelineRows)
        {
            var height = (events.Count * 22) + 12;
            writer.Write($"<svg class=\"timeline\" role=\"img\" aria-labelledby=\"timeline-title timeline-desc\" viewBox=\"0 0 1000 {N(height)}\" width=\"1000\" height=\"{N(height)}\" preserveAspectRatio=\"xMinYMin meet\">\n");
            writer.Write("<title id=\"timeline-title\">Incident timeline</title>\n<desc id=\"timeline-desc\">Events in time order, earliest at the top, each with its UTC time, or its host-local time (hollow marker) where the host recorded no zone; the table below lists the same events.</desc>\n");
            writer.Write($"<path class=\"axis\" d=\"M250 4 V{N(height - 4)}\"/>\n");
            for (var i = 0; i < events.Count; i++)
            {
                var item = events[i];
                var y = 14 + (i * 22);
                writer.Write($"<g class=\"event e-{item.Kind}{(item.HostLocal ? " local" : string.Empty)}\"><text class=\"when\" x=\"4\" y=\"{N(y + 4)}\">{E(item.When)}</text><circle cx=\"250\" cy=\"{N(y)}\" r=\"6\"/><text x=\"264\" y=\"{N(y + 4)}\">{E(Clip(item.Label, 110))}</text></g>\n");
            }

            writer.Write("</svg>\n");
        }
        else
        {
            writer.Write($"<p>The timeline has {N(events.Count)} events, too many to draw; the table follows.</p>\n");
        }

        writer.Write("<table class=\"timeline-table\">\n<thead><tr><th scope=\"col\">Time (UTC unless host-local)</th><th scope=\"col\">Event</th></tr></thead>\n<tbody>\n");
        foreach (var item in events)
        {
            writer.Write($"<tr><td>{E(item.When)}</td><td>{E(item.Label)}</td></tr>\n");
        }

        writer.Write($"</tbody>\n</table>\n<p>{E(IncidentTimeline.Caveat(report))}</p>\n");
    }
}
