using System.Text;
using CsrssForensics.Fleet.Batch;
using static CsrssForensics.Fleet.Summary.FleetText;

namespace CsrssForensics.Fleet.Summary;

/// <summary>The fleet summary as Markdown: counts, hosts worst first with a link to each report, then "Stacking".</summary>
internal static class FleetMarkdown
{
    public static string Write(FleetSummary summary, string reportFile)
    {
        var md = new StringBuilder();
        md.Append("# Fleet summary\n\n");
        md.Append("- **Bundles:** ").Append(Number(summary.Bundles)).Append(" (")
            .Append(string.Join(", ", summary.StatusCounts.Where(c => c.Value > 0).Select(c => $"{Number(c.Value)} {c.Key}"))).Append(")\n");
        md.Append("- **Distinct binaries verified offline:** ").Append(Number(summary.BinariesVerified))
            .Append("; results reused for identical copies: ").Append(Number(summary.BinariesReused))
            .Append(" (from earlier runs in this case: ").Append(Number(summary.BinariesReusedFromCase)).Append(')').Append('\n');
        var compromised = summary.Hosts.Where(h => h.Status == HostStatus.Compromised).Select(h => Markdown(h.HostName ?? h.InputName)).ToList();
        if (compromised.Count > 0)
        {
            md.Append("- **Compromised hosts:** ").Append(string.Join(", ", compromised)).Append('\n');
        }

        md.Append("\n## Hosts\n\nWorst first. Evidence counts are verdicts per strength: verified offline / host-reported / none.\n\n");
        md.Append("| # | host | collected (UTC) | status | integrity | evidence | fakes | suspicious | verdicts | report |\n");
        md.Append("|---|---|---|---|---|---|---|---|---|---|\n");
        int n = 0;
        foreach (var host in summary.Hosts)
        {
            n++;
            var report = host.ReportFolder is { } folder
                ? $"[{Markdown(folder)}]({FleetHtml.Href(folder, reportFile)})"
                : Markdown("unreadable: " + host.Error);
            md.Append("| ").Append(Number(n))
                .Append(" | ").Append(Markdown(host.HostName ?? host.InputName))
                .Append(" | ").Append(Markdown(Time(host.CollectedAtUtc)))
                .Append(" | **").Append(HostStatuses.Word(host.Status)).Append("**")
                .Append(" | ").Append(Markdown(host.Integrity))
                .Append(" | ").Append(Number(host.VerifiedOffline)).Append(" / ").Append(Number(host.HostReported)).Append(" / ").Append(Number(host.NoEvidence))
                .Append(" | ").Append(Number(host.Fakes))
                .Append(" | ").Append(Number(host.Suspicious))
                .Append(" | ").Append(Number(host.Verdicts))
                .Append(" | ").Append(report).Append(" |\n");
        }

        md.Append("\n## Stacking\n\nHow many hosts have each value, rarest first (least frequency of occurrence). A signer carries the ")
            .Append("strength of its evidence, so a host's claim never counts with an offline proof. At most ")
            .Append(Number(FleetSummary.MaxRowsPerCategory)).Append(" rows per category; the case database has them all.\n");
        foreach (var section in summary.Stacking)
        {
            md.Append("\n### ").Append(Markdown(section.Category)).Append(" (").Append(Number(section.DistinctValues)).Append(" distinct)\n\n");
            if (section.Rows.Count == 0)
            {
                md.Append("None in these bundles.\n");
                continue;
            }

            md.Append("| hosts | value | e.g. |\n|---|---|---|\n");
            foreach (var row in section.Rows)
            {
                md.Append("| ").Append(Number(row.Hosts)).Append(" of ").Append(Number(summary.Bundles - summary.Unreadable))
                    .Append(" | ").Append(Markdown(row.Value))
                    .Append(" | ").Append(string.Join(", ", row.Examples.Select(Markdown))).Append(" |\n");
            }
        }

        if (summary.StackValuesCut > 0)
        {
            md.Append('\n').Append(Number(summary.StackValuesCut)).Append(" values were not stacked: a category held too many distinct values.\n");
        }

        return md.ToString();
    }
}
