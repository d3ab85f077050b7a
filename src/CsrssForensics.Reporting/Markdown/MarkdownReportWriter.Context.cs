using CsrssForensics.Core.Report;
using CsrssForensics.Reporting.Text;

namespace CsrssForensics.Reporting.Markdown;

/// <summary>The context sections: load, process trees, what is missing, evidence problems, and the reference guide.</summary>
internal static partial class MarkdownReportWriter
{
    // Process trees deeper than this are drawn at this depth: Markdown nesting that deep is unreadable and a
    // hostile parent chain could otherwise make the renderer nest without bound.
    private const int MaxTreeDepth = 16;

    private static void WriteResourceUsage(MarkdownBuilder md, AnalysisReport report)
    {
        if (report.ResourceUsage.IsEmpty)
        {
            return;
        }

        md.Heading(2, "Resource usage");
        md.Paragraph("The processes that actually use CPU or GPU in the snapshot. csrss.exe often looks busy during graphics, console or session work; verify the file first, then troubleshoot the process that really causes the load.");
        md.Table(
            ["PID", "Name", "Image path", "CPU %", "GPU %", "Working set", "Evidence"],
            report.ResourceUsage.Select(r => (IReadOnlyList<string>)
            [
                ReportText.Number(r.Pid), P(r.Name), P(r.ImagePath), E(ReportText.Percent(r.CpuPercent)),
                E(ReportText.Percent(r.GpuPercent)), E(ReportText.Mebibytes(r.WorkingSetBytes)), Evidence(r.Evidence),
            ]));
    }

    private static void WriteProcessTrees(MarkdownBuilder md, AnalysisReport report)
    {
        md.Heading(2, "Process tree around each finding");
        if (report.ProcessTrees.IsEmpty)
        {
            md.Paragraph("No process tree: no finding concerns a running process.");
            return;
        }

        foreach (var tree in report.ProcessTrees)
        {
            md.Paragraph($"**Around pid {ReportText.Number(tree.FocusPid)}**");
            if (tree.Nodes.IsEmpty)
            {
                md.Paragraph("The process list has no entry for this pid.");
                continue;
            }

            md.NestedBullets(tree.Nodes.Select(node => (Math.Clamp(node.Depth, 0, MaxTreeDepth), TreeLine(node, tree.FocusPid))));
        }
    }

    private static string TreeLine(ProcessTreeNode node, int focusPid)
    {
        var parts = new List<string> { $"pid {ReportText.Number(node.Pid)} {P(node.Name)}" };
        parts.Add($"path {P(node.ImagePath)}");
        parts.Add($"session {E(ReportText.Number(node.SessionId))}");
        parts.Add($"parent pid {E(ReportText.Number(node.ParentPid))}");
        if (!string.IsNullOrEmpty(node.Verdict))
        {
            parts.Add(Badge.OfVerdictText(node.Verdict));
        }

        if (!string.IsNullOrEmpty(node.Note))
        {
            parts.Add(E(node.Note));
        }

        if (node.Pid == focusPid)
        {
            parts.Add("(this finding)");
        }

        return string.Join(" · ", parts);
    }

    private static void WriteNotExamined(MarkdownBuilder md, AnalysisReport report)
    {
        md.Heading(2, "Not examined");
        var gaps = report.Gaps.IsDefault ? [] : report.Gaps;
        if (gaps.IsEmpty)
        {
            md.Paragraph("The bundle lists every process a running Windows host always has (System, smss, wininit, services, lsass, csrss in each session) and its process and file lists were read.");
            return;
        }

        md.Paragraph("Every running Windows host has these, but the bundle did not let them be examined; the machine cannot be called clean until they are.");
        md.Table(
            ["Code", "What", "Why", "Evidence"],
            gaps.Select(g => (IReadOnlyList<string>)[E(g.Code), E(g.Subject), E(g.Message), EvidenceList(g.Evidence)]));
    }

    private static void WriteNotCollected(MarkdownBuilder md, AnalysisReport report)
    {
        md.Heading(2, "Not collected");
        if (report.NotCollected.IsEmpty)
        {
            md.Paragraph("Every part of the bundle was collected.");
            return;
        }

        md.Paragraph("Verdicts that needed these parts are inconclusive rather than legitimate.");
        md.Bullets(report.NotCollected.Select(E));
    }

    private static void WriteAnomalies(MarkdownBuilder md, AnalysisReport report)
    {
        md.Heading(2, "Anomalies");
        if (report.Anomalies.IsEmpty)
        {
            md.Paragraph("No anomaly was found in the evidence.");
            return;
        }

        md.Table(
            ["Code", "Severity", "Message", "Evidence"],
            report.Anomalies.Select(a => (IReadOnlyList<string>)[E(a.Code), ReportText.Name(a.Severity), E(a.Message), Evidence(a.Evidence)]));
    }

    private static void WriteReference(MarkdownBuilder md)
    {
        md.Heading(2, "Reference: reading csrss.exe evidence");
        md.Paragraph("csrss.exe (Client Server Runtime Process) is a protected part of the Windows user-mode subsystem. The real, Microsoft-signed file is not malware; fake copies use its name to avoid suspicion. The question is always whether a given file is the real Windows copy.");
        md.Table(
            ["Usually legitimate", "Suspicious"],
            [
                ["In C:\\Windows\\System32 and signed by Microsoft", "Runs from AppData, Temp, Downloads, Startup or a misspelled folder"],
                ["Task Manager shows Client Server Runtime Process", "A look-alike name such as csrsss.exe, or a copy in a user folder"],
                ["One instance per Windows session", "Constant high CPU or GPU from a path outside System32"],
                ["Windows warns before it can be ended", "Started by an unknown scheduled task or startup entry"],
            ]);
        md.Paragraph("**Checking by hand on the host**");
        md.Numbered(
        [
            "In Task Manager (or Process Explorer, which also shows the verified signer, command line and parent), open the file location of each csrss.exe.",
            "Confirm that the file is in C:\\Windows\\System32.",
            "Open the file properties and check for a valid Microsoft digital signature.",
            "If the file is anywhere else, scan it and inspect the scheduled tasks and startup entries that start it.",
        ]);
        md.Paragraph("**After verification, in general**");
        md.Bullets(
        [
            "If every copy is legitimate, document the correct path and move on to the real performance issue: drivers, overlays, Windows updates or the application causing the load.",
            "After removing a fake copy, reboot twice and confirm that only the System32 csrss.exe instances remain and the fake does not return.",
            "Check scheduled tasks, startup entries, browser extensions and recently installed programs; fakes often arrive with bundled software.",
            "Keep Windows Security enabled.",
            "If credentials were used while a fake process was active, change important passwords from a clean device.",
        ]);
    }
}
