using System.Text;
using System.Text.Encodings.Web;
using CsrssForensics.Fleet.Batch;
using static CsrssForensics.Fleet.Summary.FleetText;

namespace CsrssForensics.Fleet.Summary;

/// <summary>
/// The fleet summary as one self-contained HTML page, written directly (no Markdown pass): every string that came
/// from a bundle is made visible and HTML-encoded, links point only at report folders this tool named, and the
/// Content-Security-Policy forbids everything but inline styles.
/// </summary>
internal static class FleetHtml
{
    /// <summary>The policy of the page's CSP meta element (the single-bundle report's).</summary>
    public const string ContentSecurityPolicy = Reporting.Html.HtmlReportWriter.ContentSecurityPolicy;

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1b1b;background:#fff;line-height:1.45}
        main{max-width:90rem;margin:0 auto;padding:1rem 1.5rem 3rem}
        table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
        th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
        th{background:#eee}
        .compromised{background:#f8d0d0}.unreadable{background:#e0e0e0}.suspicious{background:#fff0c2}.inconclusive{background:#e3e3f3}
        """;

    /// <summary>A relative link to a host's report: the folder is a name this tool made (safe characters only), encoded anyway.</summary>
    public static string Href(string folder, string reportFile) =>
        string.Join('/', folder.Split('/').Select(Uri.EscapeDataString)) + "/" + reportFile;

    public static string Write(FleetSummary summary, string reportFile)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(ContentSecurityPolicy).Append("\">\n")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">\n<title>Fleet summary</title>\n<style>\n").Append(Style).Append("\n</style>\n")
            .Append("</head>\n<body>\n<main>\n<h1>Fleet summary</h1>\n<ul>\n");
        h.Append("<li><strong>Bundles:</strong> ").Append(Number(summary.Bundles)).Append(" (")
            .Append(E(string.Join(", ", summary.StatusCounts.Where(c => c.Value > 0).Select(c => $"{Number(c.Value)} {c.Key}")))).Append(")</li>\n");
        h.Append("<li><strong>Distinct binaries verified offline:</strong> ").Append(Number(summary.BinariesVerified))
            .Append("; results reused for identical copies: ").Append(Number(summary.BinariesReused))
            .Append(" (from earlier runs in this case: ").Append(Number(summary.BinariesReusedFromCase)).Append(')').Append("</li>\n");
        var compromised = summary.Hosts.Where(x => x.Status == HostStatus.Compromised).Select(x => E(x.HostName ?? x.InputName)).ToList();
        if (compromised.Count > 0)
        {
            h.Append("<li><strong>Compromised hosts:</strong> ").Append(string.Join(", ", compromised)).Append("</li>\n");
        }

        h.Append("</ul>\n<h2>Hosts</h2>\n<p>Worst first. Evidence counts are verdicts per strength: verified offline / host-reported / none.</p>\n");
        h.Append("<table>\n<tr><th>#</th><th>host</th><th>collected (UTC)</th><th>status</th><th>integrity</th><th>evidence</th><th>fakes</th><th>suspicious</th><th>verdicts</th><th>report</th></tr>\n");
        int n = 0;
        foreach (var host in summary.Hosts)
        {
            n++;
            var status = HostStatuses.Word(host.Status);
            var report = host.ReportFolder is { } folder
                ? $"<a href=\"{HtmlEncoder.Default.Encode(Href(folder, reportFile))}\">{E(folder)}</a>"
                : E("unreadable: " + host.Error);
            h.Append("<tr class=\"").Append(status).Append("\"><td>").Append(Number(n))
                .Append("</td><td>").Append(E(host.HostName ?? host.InputName))
                .Append("</td><td>").Append(E(Time(host.CollectedAtUtc)))
                .Append("</td><td><strong>").Append(status).Append("</strong>")
                .Append("</td><td>").Append(E(host.Integrity))
                .Append("</td><td>").Append(Number(host.VerifiedOffline)).Append(" / ").Append(Number(host.HostReported)).Append(" / ").Append(Number(host.NoEvidence))
                .Append("</td><td>").Append(Number(host.Fakes))
                .Append("</td><td>").Append(Number(host.Suspicious))
                .Append("</td><td>").Append(Number(host.Verdicts))
                .Append("</td><td>").Append(report).Append("</td></tr>\n");
        }

        h.Append("</table>\n<h2>Stacking</h2>\n<p>How many hosts have each value, rarest first (least frequency of occurrence). ")
            .Append("A signer carries the strength of its evidence, so a host's claim never counts with an offline proof. At most ")
            .Append(Number(FleetSummary.MaxRowsPerCategory)).Append(" rows per category; the case database has them all.</p>\n");
        foreach (var section in summary.Stacking)
        {
            h.Append("<h3>").Append(E(section.Category)).Append(" (").Append(Number(section.DistinctValues)).Append(" distinct)</h3>\n");
            if (section.Rows.Count == 0)
            {
                h.Append("<p>None in these bundles.</p>\n");
                continue;
            }

            h.Append("<table>\n<tr><th>hosts</th><th>value</th><th>e.g.</th></tr>\n");
            foreach (var row in section.Rows)
            {
                h.Append("<tr><td>").Append(Number(row.Hosts)).Append(" of ").Append(Number(summary.Bundles - summary.Unreadable))
                    .Append("</td><td>").Append(E(row.Value))
                    .Append("</td><td>").Append(E(string.Join(", ", row.Examples))).Append("</td></tr>\n");
            }

            h.Append("</table>\n");
        }

        if (summary.StackValuesCut > 0)
        {
            h.Append("<p>").Append(Number(summary.StackValuesCut)).Append(" values were not stacked: a category held too many distinct values.</p>\n");
        }

        h.Append("</main>\n</body>\n</html>\n");
        return h.ToString();
    }

    private static string E(string? value) => HtmlEncoder.Default.Encode(Visible(value));
}
