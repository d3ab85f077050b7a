using System.Collections.Immutable;
using System.Globalization;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Windows.Paths;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Analysis.Composition;

/// <summary>The cleanup-facing sections: record first, then remove only evidence-backed fakes with their launchers.</summary>
internal sealed partial class ReportComposer
{
    private ImmutableArray<CleanupRecordRow> RecordBeforeCleanup()
    {
        var rows = new List<CleanupRecordRow>();
        foreach (var group in WithContexts().Where(x => NeedsAction(x.Verdict) && x.Verdict.Subject.Path is not null)
                     .GroupBy(x => WindowsPath.Key(x.Verdict.Subject.Path!), StringComparer.Ordinal))
        {
            var items = group.ToList();
            var path = items[0].Verdict.Subject.Path!;
            var processes = items.Select(i => i.Context.Process).OfType<Core.Snapshot.ProcessRecord>().ToList();
            var file = items.Select(i => i.Context.File).FirstOrDefault(f => f is not null);
            var signature = items[0].Context.Signature;
            var chains = _correlation.ScriptChainsTo(path);
            var launchers = items.SelectMany(i => i.Context.Launchers)
                .Select(l => $"{l.Kind} {l.Name}" + ThroughScripts(chains, l))
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();

            var parents = processes.Count == 0
                ? "no running process (file only)"
                : string.Join("; ", processes.Select(p => ParentText(items.First(i => i.Context.Process == p).Context)));
            var created = file?.CreatedUtc is { } createdUtc ? $"file created {Iso(createdUtc)}" : "file creation time not collected";
            var started = processes.Select(p => p.CreationTimeUtc).OfType<DateTimeOffset>().Select(t => $"process started {Iso(t)}");

            rows.Add(new CleanupRecordRow(
                path,
                SignatureText(signature),
                parents,
                launchers.Count == 0 ? "none found in the bundle (check tasks, Run keys, services by hand)" : string.Join("; ", launchers),
                string.Join("; ", new[] { created }.Concat(started)),
                [.. items.SelectMany(i => i.Verdict.Evidence).Distinct()]));
        }

        return [.. rows.OrderBy(r => r.FullPath, StringComparer.Ordinal)];
    }

    private static string ParentText(SubjectContext context)
    {
        var process = context.Process!;
        if (context.LivingParent is { } parent)
        {
            return $"{parent.Name} (pid {parent.Pid.ToString(CultureInfo.InvariantCulture)}) for pid {process.Pid.ToString(CultureInfo.InvariantCulture)}";
        }

        var ppid = process.ParentPid?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
        return context.ParentPidReused
            ? $"no living parent: parent pid {ppid} was reused by a later process (pid {process.Pid.ToString(CultureInfo.InvariantCulture)})"
            : $"no living parent (parent pid {ppid}) for pid {process.Pid.ToString(CultureInfo.InvariantCulture)}";
    }

    internal static string SignatureText(SignatureEvidence signature)
    {
        var text = $"{signature.Status} ({signature.Source})";
        if (!string.IsNullOrEmpty(signature.SignerSubject))
        {
            text += $"; signer {signature.SignerSubject}";
        }

        if (!string.IsNullOrEmpty(signature.HostStatus))
        {
            text += $"; host said {signature.HostStatus}";
        }

        return text;
    }

    private static string Iso(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private ImmutableArray<FolderSiblings> SameFolderFiles()
    {
        var result = new List<FolderSiblings>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // The folder around a genuine, Microsoft-signed file is Windows itself: only copies that are not genuine
        // bring "other files" worth examining.
        foreach (var verdict in _verdicts.Where(v => NeedsAction(v) && v.Subject.Path is not null && v.Signature?.Status != SignatureStatus.MicrosoftSigned)
                     .OrderBy(v => v.Subject.Path, StringComparer.Ordinal))
        {
            var folder = WindowsPath.Directory(verdict.Subject.Path!);
            if (folder is null || !seen.Add(WindowsPath.Key(folder)))
            {
                continue;
            }

            var siblings = _correlation.SiblingsOf(verdict.Subject.Path!);
            if (siblings.Length > 0)
            {
                result.Add(new FolderSiblings(folder, siblings));
            }
        }

        return [.. result];
    }

    private ImmutableArray<LauncherFinding> Launchers()
    {
        var fakePaths = _verdicts.Where(v => v.Verdict == Verdict.Fake && v.Subject.Path is not null)
            .Select(v => v.Subject.Path!)
            .ToList();
        var actionPaths = _verdicts.Where(v => NeedsAction(v) && v.Subject.Path is not null)
            .Select(v => WindowsPath.Key(v.Subject.Path!))
            .ToHashSet(StringComparer.Ordinal);
        // Ask once per fake which launchers start it (not once per launcher and fake: that was quadratic).
        var fakesByLauncher = new Dictionary<(EvidenceRef Evidence, string Name), SortedSet<string>>();
        foreach (var path in fakePaths)
        {
            foreach (var link in _correlation.LaunchersOf(path))
            {
                if (!fakesByLauncher.TryGetValue((link.Evidence, link.Name), out var paths))
                {
                    paths = new SortedSet<string>(StringComparer.Ordinal);
                    fakesByLauncher[(link.Evidence, link.Name)] = paths;
                }

                paths.Add(path);
            }
        }

        var result = new List<LauncherFinding>();
        foreach (var launcher in _correlation.Launchers)
        {
            var removeWith = fakesByLauncher.TryGetValue((launcher.Evidence, launcher.Name), out var starts)
                ? [.. starts]
                : ImmutableArray<string>.Empty;
            var startsSubject = launcher.Target is not null && actionPaths.Contains(WindowsPath.Key(launcher.Target));
            if (removeWith.Length == 0 && !startsSubject && launcher.Findings.Length == 0)
            {
                continue;
            }

            result.Add(new LauncherFinding(
                launcher.Kind, launcher.Name, launcher.Location, launcher.Command, launcher.Target, removeWith, launcher.Findings, launcher.Evidence));
        }

        return [.. result.OrderBy(l => l.Kind, StringComparer.Ordinal).ThenBy(l => l.Name, StringComparer.Ordinal).ThenBy(l => l.Location, StringComparer.Ordinal)];
    }

    private ImmutableArray<ActionItem> Actions()
    {
        var actions = new List<ActionItem>();
        var systemRoot = _snapshot.Host?.SystemRoot;

        // Protect the real component: one "do not" per genuine System32 path, naming every pid that runs it.
        foreach (var group in _verdicts.Where(v => v.Verdict == Verdict.Legitimate && v.Subject.Path is not null)
                     .GroupBy(v => v.Subject.Path!, StringComparer.OrdinalIgnoreCase)
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var pids = group.Where(v => v.Subject.Pid is not null).Select(v => v.Subject.Pid!.Value).Order().ToList();
            var pidText = pids.Count == 0 ? string.Empty : $" (pid {string.Join(", ", pids.Select(p => p.ToString(CultureInfo.InvariantCulture)))})";
            // The table's critical flag: terminating one stops the system (bug check 0xEF or 0xC000021A).
            var critical = _rules.FindCoreProcess(WindowsPath.FileName(group.Key) ?? string.Empty)?.Critical == true
                ? " Windows marks it critical: ending it crashes the system."
                : string.Empty;
            actions.Add(new ActionItem(
                "do-not",
                $"Do not end, delete or quarantine {group.Key}{pidText}: it is the genuine, Microsoft-signed Windows component.{critical}",
                group.Key));
        }

        foreach (var verdict in _verdicts.Where(v => v.Subject.Path is not null)
                     .DistinctBy(v => WindowsPath.Key(v.Subject.Path!))
                     .OrderBy(v => v.Subject.Path, StringComparer.Ordinal))
        {
            var path = verdict.Subject.Path!;
            var inSystemFolder = WindowsPath.IsSystem32(path, systemRoot);
            switch (verdict.Verdict)
            {
                case Verdict.Fake:
                    var launchers = ContextsByPathKey[WindowsPath.Key(path)]
                        .SelectMany(c => c.Launchers)
                        .Select(l => $"{l.Kind} '{l.Name}'")
                        .Distinct(StringComparer.Ordinal)
                        .Order(StringComparer.Ordinal)
                        .ToList();
                    actions.Add(new ActionItem(
                        "do",
                        launchers.Count == 0
                            ? $"Record the details (see 'What to record before cleanup'), then end the fake process and remove {path}. No launcher was found in the bundle: check scheduled tasks, Run keys, services and the Startup folders by hand."
                            : $"Record the details (see 'What to record before cleanup'), then remove the launcher ({string.Join(", ", launchers)}) together with the fake {path}, and end its process.",
                        path));
                    actions.AddRange(ChainRemovals(path));
                    actions.Add(new ActionItem("do", $"Scan the system with an up-to-date antimalware scanner and inspect the other files in {WindowsPath.Directory(path)}.", path));
                    break;
                case Verdict.Suspicious when inSystemFolder && verdict.Signature?.Status == SignatureStatus.MicrosoftSigned:
                    var concerns = string.Join("; ", verdict.Findings.Select(f => f.Title).Distinct(StringComparer.Ordinal));
                    var proven = verdict.Strength == EvidenceStrength.VerifiedOffline;
                    actions.Add(new ActionItem(
                        "do",
                        proven
                            ? $"Investigate how {path} runs ({concerns}): the file is the genuine Microsoft-signed component, so look at its children, command line and memory, not at the file."
                            : $"Investigate how {path} runs ({concerns}), and collect its binary: the host reports it Microsoft-signed, but that was not verified offline.",
                        path));
                    actions.Add(new ActionItem(
                        "do-not",
                        proven
                            ? $"Do not end, delete or quarantine {path}: the file is the genuine Windows component."
                            : $"Do not end, delete or quarantine {path}: it is in the protected system folder and the host reports it Microsoft-signed; verify it offline first.",
                        path));
                    break;
                case Verdict.Suspicious when inSystemFolder:
                    actions.Add(new ActionItem(
                        "do",
                        $"Verify {path} offline (collect it again and analyse the bytes) and repair Windows files with 'sfc /scannow' and 'DISM /Online /Cleanup-Image /RestoreHealth'.",
                        path));
                    actions.Add(new ActionItem("do-not", $"Do not delete {path}: it sits in the protected system folder; repair it, do not remove it.", path));
                    break;
                case Verdict.Suspicious:
                    actions.Add(new ActionItem("do", $"Investigate {path}: check its signer, its launcher and the files beside it before acting.", path));
                    break;
                case Verdict.Inconclusive:
                    actions.Add(new ActionItem(
                        "do",
                        $"Collect the binary and signature of {path} (run collect.ps1 with -Scope Standard as administrator) and analyse again.",
                        path));
                    actions.Add(new ActionItem("do-not", $"Do not end or delete {path} while it is unverified.", path));
                    break;
                default:
                    break;
            }
        }

        // The load advice fits whenever the copies look genuine, proven or only host-reported.
        if (_verdicts.Any(v => v.Verdict == Verdict.Legitimate || (v.Verdict == Verdict.Inconclusive && v.Strength == EvidenceStrength.HostReported))
            && ResourceUsage().Length > 0 && !_verdicts.Any(v => v.Verdict == Verdict.Fake))
        {
            actions.Add(new ActionItem(
                "do",
                "csrss.exe is genuine here: troubleshoot the real load instead (graphics drivers, overlays, desktop effects, browser GPU use; see the resource usage table).",
                null));
        }

        actions.Add(new ActionItem("do-not", "Do not judge by process name or count: compare full paths and signatures. Two csrss.exe in separate sessions are normal.", null));
        return [.. actions];
    }

    private ImmutableArray<string> AfterCleanup()
    {
        if (!_verdicts.Any(NeedsAction))
        {
            return ["If the files are legitimate, document the correct paths (see the verdicts) and move on to the real performance issue."];
        }

        var list = new List<string>
        {
            "Reboot twice and confirm that only the System32 csrss.exe instances run again and that no fake copy returns.",
            "Check scheduled tasks again (Task Scheduler library, including hidden tasks) for anything that points into user folders.",
            "Check startup entries: Run and RunOnce keys, services, Startup folders, Winlogon and IFEO values.",
            ReviewExtensionsLine(),
            ReviewProgramsLine(),
            "Keep Windows Security enabled and run a full scan.",
        };

        // A set, not a search per context: thousands of fake rows would otherwise cost contexts x verdicts.
        var fakeSubjects = _verdicts.Where(v => v.Verdict == Verdict.Fake).Select(v => v.Subject).ToHashSet();
        var interactiveFakes = _contexts
            .Where(c => c.Process is not null && fakeSubjects.Contains(c.Subject))
            .Select(c => c.Process!)
            .Where(p => p.SessionId is > 0)
            .Select(p => $"{p.User ?? "unknown user"} in session {p.SessionId!.Value.ToString(CultureInfo.InvariantCulture)}")
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        list.Add(interactiveFakes.Count > 0
            ? $"A fake ran while users were logged on ({string.Join(", ", interactiveFakes)}): change important passwords from a clean device."
            : "If credentials were used while a fake process was active, change important passwords from a clean device.");
        return [.. list];
    }
}
