using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Reporting.Text;

namespace CsrssForensics.Reporting.Markdown;

/// <summary>
/// The "Host context" section: Defender's view of itself, recent programs and browser extensions. Every value in it
/// comes from the suspect host (program names, publishers, extension names, threat names are attacker-writable), so
/// each goes through <see cref="MarkdownReportWriter.E"/>.
/// </summary>
internal static partial class MarkdownReportWriter
{
    private static void WriteHostContext(MarkdownBuilder md, HostContextSection? context)
    {
        if (context is null)
        {
            md.Paragraph("programs.json, browser-extensions.json and defender.json were not collected.");
            return;
        }

        md.Paragraph("What the host reports about its own defences and what else was installed on it. Secondary evidence: a compromised host can lie, so none of it changes a verdict; it corroborates the verdicts and points the cleanup at more items.");
        if (!context.Findings.IsEmpty)
        {
            md.Bullets(context.Findings, AppendFindingLine);
        }

        md.Paragraph("**Defender status**");
        WriteDefenderStatus(md, context.DefenderStatus);

        md.Paragraph("**Defender detections**");
        if (context.DefenderDetections.IsEmpty)
        {
            md.Paragraph("No detection was reported.");
        }
        else
        {
            md.Table(
                ["Threat", "Detected (UTC)", "Remediated (UTC)", "Action success", "Resources", "Process", "Names judged copy", "Evidence"],
                context.DefenderDetections.Select(row => (IReadOnlyList<string>)
                [
                    E(row.Detection.ThreatName), E(ReportText.Utc(row.Detection.InitialDetectionUtc)), E(ReportText.Utc(row.Detection.RemediationUtc)),
                    E(BoolText(row.Detection.ActionSuccess)), JoinOrMissing(row.Detection.Resources), E(row.Detection.ProcessName),
                    JoinOrMissing(row.Subjects), Evidence(row.Detection.Source),
                ]));
        }

        md.Paragraph("**Recently installed programs**");
        if (context.RecentPrograms.IsEmpty)
        {
            md.Paragraph("No program was installed in the 30 days before collection or near the creation of a suspicious copy.");
        }
        else
        {
            md.Table(
                ["Name", "Version", "Publisher", "Installed", "Location", "User", "Why listed", "Possibly arrived with", "Evidence"],
                context.RecentPrograms.Select(row => (IReadOnlyList<string>)
                [
                    E(row.Program.Name), E(row.Program.Version), E(row.Program.Publisher), E(row.Program.InstallDateText),
                    E(row.Program.InstallLocation), E(row.Program.User), MarkdownText.JoinEscaped(row.Reasons, "; "), JoinOrMissing(row.PossiblyArrivedWith),
                    Evidence(row.Program.Source),
                ]));
        }

        md.Paragraph("**Browser extensions**");
        if (context.BrowserExtensions.IsEmpty)
        {
            md.Paragraph("No browser extension was reported.");
        }
        else
        {
            md.Paragraph("The bundle records no install time for extensions; those in the profile of a user whose folders hold a suspicious copy are marked.");
            md.Table(
                ["Browser", "User", "Profile", "Name", "Id", "Version", "Permissions", "Same profile as", "Evidence"],
                context.BrowserExtensions.Select(row => (IReadOnlyList<string>)
                [
                    E(row.Extension.Browser), E(row.Extension.User), E(row.Extension.Profile), E(row.Extension.Name), E(row.Extension.Id),
                    E(row.Extension.Version), JoinOrMissing(row.Extension.Permissions), JoinOrMissing(row.PossiblyArrivedWith),
                    Evidence(row.Extension.Source),
                ]));
        }
    }

    private static void WriteDefenderStatus(MarkdownBuilder md, DefenderStatus? status)
    {
        if (status is null)
        {
            md.Paragraph("No Defender status was reported.");
            return;
        }

        // One line: the ten values fit a sentence and the section stays short.
        md.Paragraph(string.Join(" · ",
        [
            $"**Antimalware service enabled:** {E(BoolText(status.AmServiceEnabled))}",
            $"**Antivirus enabled:** {E(BoolText(status.AntivirusEnabled))}",
            $"**Real-time protection enabled:** {E(BoolText(status.RealTimeProtectionEnabled))}",
            $"**Tamper protection:** {E(BoolText(status.IsTamperProtected))}",
            $"**Running mode:** {E(status.AmRunningMode)}",
            $"**Product version:** {E(status.AmProductVersion)}",
            $"**Signature version:** {E(status.AntivirusSignatureVersion)}, updated {E(ReportText.Utc(status.AntivirusSignatureUpdatedUtc))}",
            $"**Last quick scan ended (UTC):** {E(ReportText.Utc(status.QuickScanEndUtc))}",
            $"**Last full scan ended (UTC):** {E(ReportText.Utc(status.FullScanEndUtc))}",
            $"**Evidence:** {Evidence(status.Source)}",
        ]));
    }

    private static string JoinOrMissing(IReadOnlyCollection<string> values) =>
        values.Count == 0 ? MarkdownText.Missing : MarkdownText.JoinEscaped(values, ", ");

    private static string? BoolText(bool? value) => value switch
    {
        true => "yes",
        false => "no",
        null => null,
    };
}
