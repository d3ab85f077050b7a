using System.Text;
using CsrssForensics.Core.Report;
using CsrssForensics.Reporting.Text;
using CsrssForensics.Reporting.Triage;
using CsrssForensics.Reporting.Wording;

namespace CsrssForensics.Reporting.Markdown;

/// <summary>The context sections: load, process trees, what is missing, evidence problems, and the reference guide.</summary>
internal static partial class MarkdownReportWriter
{
    private static void WriteResourceUsage(MarkdownBuilder md, AnalysisReport report)
    {
        md.Paragraph("The processes that actually use CPU or GPU in the snapshot. csrss.exe often looks busy during graphics, console or session work; verify the file first, then troubleshoot the process that really causes the load.");
        md.Table(
            ["PID", "Name", "Image path", "CPU %", "GPU %", "Working set", "Evidence"],
            report.ResourceUsage.Select(r => (IReadOnlyList<string>)
            [
                ReportText.Number(r.Pid), P(r.Name), P(r.ImagePath), E(ReportText.Percent(r.CpuPercent)),
                E(ReportText.Percent(r.GpuPercent)), E(ReportText.Mebibytes(r.WorkingSetBytes)), Evidence(r.Evidence),
            ]));
    }

    private static void WriteProcessTree(MarkdownBuilder md, AnalysisReport report)
    {
        if (report.ProcessTrees.IsEmpty)
        {
            md.Paragraph("No process tree: no finding concerns a running process.");
            return;
        }

        // The trees around the findings overlap, so they are merged and each process is drawn once.
        var forest = ProcessForest.Of(report.ProcessTrees);
        md.NestedBullets(forest.Lines, (text, node) => AppendTreeLine(text, node, forest.Focus.Contains(node.Pid)));
        var missing = report.ProcessTrees.Where(t => t.Nodes.IsEmpty).Select(t => ReportText.Number(t.FocusPid)).ToList();
        if (missing.Count > 0)
        {
            md.Paragraph($"The process list has no entry for pid {string.Join(", ", missing)}.");
        }
    }

    // One process per line, appended piece by piece: the tree has a line per process, so no string is built for it.
    private static void AppendTreeLine(StringBuilder text, ProcessTreeNode node, bool focus)
    {
        AppendNumber(text.Append("pid "), node.Pid).Append(' ');
        MarkdownText.AppendEscapedPath(text, node.Name);
        MarkdownText.AppendEscapedPath(text.Append(" · path "), node.ImagePath);
        AppendEscapedNumber(text.Append(" · session "), node.SessionId);
        AppendEscapedNumber(text.Append(" · parent pid "), node.ParentPid);
        if (!string.IsNullOrEmpty(node.Verdict))
        {
            text.Append(" · ").Append(Badge.OfVerdictText(node.Verdict));
        }

        if (!string.IsNullOrEmpty(node.Note))
        {
            MarkdownText.AppendEscaped(text.Append(" · "), node.Note);
        }

        if (focus)
        {
            text.Append(" · **(judged)**");
        }
    }

    private static void WriteGaps(MarkdownBuilder md, AnalysisReport report)
    {
        var gaps = report.Gaps;
        if (gaps.IsEmpty)
        {
            md.Paragraph("**Not examined:** nothing. The bundle lists every process a running Windows host always has (System, smss, wininit, services, lsass, csrss in each session) and its process and file lists were read.");
        }
        else
        {
            md.Paragraph("**Not examined:** every running Windows host has these, but the bundle did not let them be examined; the machine cannot be called clean until they are.");
            md.Table(
                ["Code", "What", "Why", "Evidence"],
                gaps.Select(g => (IReadOnlyList<string>)[E(g.Code), E(g.Subject), E(g.Message), EvidenceList(g.Evidence)]));
        }

        var notCollected = NotCollectedView.Folded(report);
        if (notCollected.Count == 0)
        {
            md.Paragraph("**Not collected:** nothing; every part of the bundle was collected.");
        }
        else
        {
            md.Paragraph("**Not collected** (verdicts that needed these parts are inconclusive rather than legitimate):");
            // "Binary not copied ...: A", "...: B" become one line naming A and B.
            md.Bullets(notCollected.Select(E));
        }

        if (report.Anomalies.IsEmpty)
        {
            md.Paragraph("**Anomalies:** no anomaly was found in the evidence.");
            return;
        }

        md.Paragraph("**Anomalies**");
        md.Table(
            ["Code", "Severity", "Message", "Evidence"],
            report.Anomalies.Select(a => (IReadOnlyList<string>)[E(a.Code), ReportText.Name(a.Severity), E(a.Message), Evidence(a.Evidence)]));
    }

    private static void WriteReference(MarkdownBuilder md, TriageView view)
    {
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
        md.Paragraph(view.ReferenceCodes.IsEmpty
            ? "**Reference codes used:** none."
            : $"**Reference codes used:** {MarkdownText.JoinEscaped(view.ReferenceCodes, ", ")}. docs/report.md gives the source of each code.");
    }
}
