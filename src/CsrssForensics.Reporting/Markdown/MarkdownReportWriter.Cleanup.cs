using CsrssForensics.Core.Report;
using CsrssForensics.Reporting.Text;
using CsrssForensics.Reporting.Triage;
using CsrssForensics.Reporting.Wording;

namespace CsrssForensics.Reporting.Markdown;

/// <summary>The cleanup sections: what to record, what sits next to a fake, what launches it, what to do and not do.</summary>
internal static partial class MarkdownReportWriter
{
    private static void WriteRecordBeforeCleanup(MarkdownBuilder md, AnalysisReport report)
    {
        md.Paragraph("For every suspicious or fake copy, record the full path, signature, parent process, startup source and creation date before anything is removed.");
        if (report.RecordBeforeCleanup.IsEmpty)
        {
            md.Paragraph("No suspicious or fake copy: nothing to record.");
            return;
        }

        md.Table(
            ["Full path", "Signature", "Parent process", "Startup source", "Creation date", "Evidence"],
            report.RecordBeforeCleanup.Select(r => (IReadOnlyList<string>)
            [
                P(r.FullPath),
                E(ModelWording.RecordSignature(r)),
                E(ModelWording.RecordCell(r.ParentProcessLines, r.ParentProcess)),
                E(ModelWording.RecordCell(r.StartupSourceLines, r.StartupSource)),
                E(ModelWording.RecordCell(r.CreationDateLines, r.CreationDate)),
                EvidenceList(r.Evidence),
            ]));
    }

    private static void WriteSameFolder(MarkdownBuilder md, AnalysisReport report)
    {
        if (report.SameFolderFiles.IsEmpty)
        {
            md.Paragraph("No other file was found next to a suspicious copy.");
            return;
        }

        md.Paragraph("Fake system-process malware often uses several files and one launcher: executables, scripts, drivers, DLLs and configuration files. Examine these files before cleanup.");

        foreach (var folder in report.SameFolderFiles)
        {
            md.Paragraph($"**Folder:** {P(folder.Folder)}");
            if (folder.Files.IsEmpty)
            {
                md.Paragraph("No other file in this folder.");
                continue;
            }

            md.Table(
                ["File", "Kind", "Why", "SHA-256", "Evidence"],
                folder.Files.Select(f => (IReadOnlyList<string>)[P(f.Path), E(f.Kind), E(f.Reason), E(f.Sha256), Evidence(f.Evidence)]));
        }
    }

    private static void WriteLaunchers(MarkdownBuilder md, AnalysisReport report)
    {
        md.Paragraph("A fake copy comes back unless the task, Run key, service or startup item that starts it is removed too.");

        // What to remove with each fake is said once for every format: by the actions (ACT-REMOVE-FAKE,
        // ACT-REMOVE-FAKE-NO-LAUNCHER, ACT-REMOVE-CHAIN) and by the table's "Remove with" column.
        if (report.Launchers.IsEmpty)
        {
            md.Paragraph("No launcher of a judged subject was found.");
            return;
        }

        md.Table(
            ["Kind", "Name", "Location", "Command", "Runs", "Remove with", "Evidence"],
            report.Launchers.Select(l => (IReadOnlyList<string>)
            [
                E(l.Kind), E(l.Name), E(l.Location), E(l.Command), P(l.ResolvedTarget),
                l.RemoveWith.IsEmpty ? "investigate (starts no fake)" : MarkdownText.JoinEscaped(l.RemoveWith, "; "),
                Evidence(l.Evidence),
            ]));

        if (report.Launchers.Any(l => !l.Findings.IsEmpty))
        {
            md.Paragraph("**Launcher findings**");
            md.Bullets(report.Launchers.SelectMany(l => l.Findings, (l, f) => (Launcher: l, Finding: f)), (text, p) =>
            {
                MarkdownText.AppendEscaped(text, p.Launcher.Kind).Append(' ');
                MarkdownText.AppendEscaped(text, p.Launcher.Name).Append(": ");
                AppendFindingLine(text, p.Finding);
            });
        }
    }

    private static void WriteActions(MarkdownBuilder md, AnalysisReport report)
    {
        var doItems = ActionGroups.Of(report.Actions.Where(a => !IsDoNot(a.Kind)));
        var doNot = ActionGroups.Of(report.Actions.Where(a => IsDoNot(a.Kind)));
        if (doItems.Count == 0)
        {
            md.Paragraph("The analysis produced no action.");
        }
        else
        {
            md.Numbered(doItems.Select(ActionLine));
        }

        md.Heading(3, "What not to do");
        md.Bullets(doNot.Select(ActionLine));

        md.Heading(3, "After cleanup checklist");
        if (report.AfterCleanup.IsEmpty)
        {
            md.Paragraph("No cleanup step was produced for this bundle.");
            return;
        }

        md.Numbered(report.AfterCleanup.Select(step => E(step.Text)));
    }

    private static bool IsDoNot(string? kind) =>
        kind is not null
        && (kind.Equals("do-not", StringComparison.OrdinalIgnoreCase)
            || kind.Equals("do not", StringComparison.OrdinalIgnoreCase)
            || kind.Equals("dont", StringComparison.OrdinalIgnoreCase));

    internal static bool IsDoNotKind(string? kind) => IsDoNot(kind);

    private static string ActionLine(ActionGroup action)
    {
        // An unknown kind is shown rather than guessed at, so a "do" is never silently turned into advice.
        var kind = action.Kind is not null && (action.Kind.Equals("do", StringComparison.OrdinalIgnoreCase) || IsDoNot(action.Kind))
            ? string.Empty
            : $"({E(action.Kind)}) ";
        return kind + E(action.Text);
    }
}
