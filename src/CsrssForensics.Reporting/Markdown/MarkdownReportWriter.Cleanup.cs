using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Text;

namespace CsrssForensics.Reporting.Markdown;

/// <summary>The cleanup sections: what to record, what sits next to a fake, what launches it, what to do and not do.</summary>
internal static partial class MarkdownReportWriter
{
    // The conservative rules of the csrss.exe guidance. They are shown on every report, after the analysis's own
    // actions, so the one irreversible mistake (removing the real System32 file) is warned against even when the
    // analysis produced no action at all.
    private static readonly string[] s_generalDo =
    [
        "Act only on copies the evidence shows to be fake, and on the launchers that start them.",
        "Scan any copy whose path is wrong, whose name is misspelled or whose signature is missing, and scan the folder around it.",
        "If csrss.exe is legitimate and the machine is slow, look for the real cause: graphics drivers, overlays, desktop effects, browser GPU use or another process.",
    ];

    private static readonly string[] s_generalDoNot =
    [
        "Do not end or delete the System32 csrss.exe: ending the real process crashes Windows or forces a restart.",
        "Do not delete or quarantine a System32 csrss.exe that fails verification; repair Windows offline instead (sfc /scannow, DISM).",
        "Do not ignore a copy outside System32 because \"csrss.exe is always Windows\".",
        "Do not count processes: two or more legitimate csrss.exe instances, one per session, are normal.",
    ];

    private static void WriteRecordBeforeCleanup(MarkdownBuilder md, AnalysisReport report)
    {
        md.Heading(2, "What to record before cleanup");
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
                P(r.FullPath), E(r.Signature), E(r.ParentProcess), E(r.StartupSource), E(r.CreationDate), EvidenceList(r.Evidence),
            ]));
    }

    private static void WriteSameFolder(MarkdownBuilder md, AnalysisReport report)
    {
        md.Heading(2, "Other files in the same folder");
        md.Paragraph("Fake system-process malware often uses several files and one launcher: executables, scripts, drivers, DLLs and configuration files. Examine these files before cleanup.");
        if (report.SameFolderFiles.IsEmpty)
        {
            md.Paragraph("No other file was found next to a suspicious copy.");
            return;
        }

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
        md.Heading(2, "Launchers to remove with each fake");
        md.Paragraph("A fake copy comes back unless the task, Run key, service or startup item that starts it is removed too.");

        var fakes = report.Verdicts
            .Where(v => v.Verdict == Verdict.Fake && !string.IsNullOrEmpty(v.Subject.Path))
            .Select(v => v.Subject.Path!)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (fakes.Count == 0)
        {
            md.Paragraph("No fake copy was found, so no launcher has to be removed.");
        }
        else
        {
            md.Bullets(fakes.Select(path =>
            {
                var launchers = report.Launchers
                    .Where(l => l.RemoveWith.Contains(path, StringComparer.OrdinalIgnoreCase))
                    .Select(l => $"{E(l.Kind)} {E(l.Name)} ({Evidence(l.Evidence)})")
                    .ToList();
                return launchers.Count == 0
                    ? $"**Fake** {P(path)}: no launcher found in the bundle; check scheduled tasks, Run keys, services and the Startup folder by hand."
                    : $"**Fake** {P(path)}: remove {string.Join("; ", launchers)}";
            }));
        }

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

        var findings = report.Launchers
            .SelectMany(l => l.Findings.Select(f => $"{E(l.Kind)} {E(l.Name)}: {FindingLine(f)}"))
            .ToList();
        if (findings.Count > 0)
        {
            md.Paragraph("**Launcher findings**");
            md.Bullets(findings);
        }
    }

    private static void WriteActions(MarkdownBuilder md, AnalysisReport report)
    {
        var doNot = report.Actions.Where(a => IsDoNot(a.Kind)).ToList();
        var doItems = report.Actions.Where(a => !IsDoNot(a.Kind)).ToList();
        var shown = report.Actions.Select(a => a.Text).ToHashSet(StringComparer.OrdinalIgnoreCase);

        md.Heading(2, "What to do");
        md.Bullets(doItems.Select(ActionLine).Concat(s_generalDo.Where(t => !shown.Contains(t))));

        md.Heading(2, "What not to do");
        md.Bullets(doNot.Select(ActionLine).Concat(s_generalDoNot.Where(t => !shown.Contains(t))));
    }

    private static bool IsDoNot(string? kind) =>
        kind is not null
        && (kind.Equals("do-not", StringComparison.OrdinalIgnoreCase)
            || kind.Equals("do not", StringComparison.OrdinalIgnoreCase)
            || kind.Equals("dont", StringComparison.OrdinalIgnoreCase));

    private static string ActionLine(ActionItem action)
    {
        // An unknown kind is shown rather than guessed at, so a "do" is never silently turned into advice.
        var kind = action.Kind is not null && (action.Kind.Equals("do", StringComparison.OrdinalIgnoreCase) || IsDoNot(action.Kind))
            ? string.Empty
            : $"({E(action.Kind)}) ";
        var subject = string.IsNullOrEmpty(action.SubjectPath) ? string.Empty : $" (applies to {P(action.SubjectPath)})";
        return $"{kind}{E(action.Text)}{subject}";
    }

    private static void WriteAfterCleanup(MarkdownBuilder md, AnalysisReport report)
    {
        md.Heading(2, "After cleanup checklist");
        if (report.AfterCleanup.IsEmpty)
        {
            md.Paragraph("No cleanup step was produced for this bundle.");
            return;
        }

        md.Numbered(report.AfterCleanup.Select(E));
    }
}
