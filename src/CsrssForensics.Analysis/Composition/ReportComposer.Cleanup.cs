using System.Collections.Immutable;
using System.Globalization;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Windows.Paths;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Wording;

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
                : string.Join("; ", items.Where(i => i.Context.Process is not null).Select(i => ParentText(i.Context)));
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

            result.Add(WithRecordedTimes(new LauncherFinding(
                launcher.Kind, launcher.Name, launcher.Location, launcher.Command, launcher.Target, removeWith, launcher.Findings, launcher.Evidence)));
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
            // The table's critical flag: terminating one stops the system (bug check 0xEF or 0xC000021A).
            var critical = _rules.FindCoreProcess(WindowsPath.FileName(group.Key) ?? string.Empty)?.Critical == true;
            actions.Add(ReportWording.Action(
                critical ? ItemCodes.KeepGenuineCritical : ItemCodes.KeepGenuine,
                group.Key,
                ("path", group.Key),
                ("pids", pids.Count == 0 ? null : string.Join(", ", pids.Select(p => p.ToString(CultureInfo.InvariantCulture))))));
        }

        foreach (var verdict in _verdicts.Where(v => v.Subject.Path is not null)
                     .DistinctBy(v => WindowsPath.Key(v.Subject.Path!))
                     .OrderBy(v => v.Subject.Path, StringComparer.Ordinal))
        {
            actions.AddRange(ActionsFor(verdict, WindowsPath.IsSystem32(verdict.Subject.Path!, systemRoot)));
        }

        // The load advice fits whenever the copies look genuine, proven or only host-reported.
        if (_verdicts.Any(v => v.Verdict == Verdict.Legitimate || (v.Verdict == Verdict.Inconclusive && v.Strength == EvidenceStrength.HostReported))
            && ResourceUsage().Length > 0 && !_verdicts.Any(v => v.Verdict == Verdict.Fake))
        {
            actions.Add(ReportWording.Action(ItemCodes.TroubleshootLoad, null));
        }

        actions.Add(ReportWording.Action(ItemCodes.ComparePaths, null));
        return [.. actions];
    }

    private IEnumerable<ActionItem> ActionsFor(SubjectVerdict verdict, bool inSystemFolder)
    {
        var path = verdict.Subject.Path!;
        switch (verdict.Verdict)
        {
            case Verdict.Fake:
                var launchers = ContextsByPathKey[WindowsPath.Key(path)]
                    .SelectMany(c => c.Launchers)
                    .Select(l => $"{l.Kind} '{l.Name}'")
                    .Distinct(StringComparer.Ordinal)
                    .Order(StringComparer.Ordinal)
                    .ToList();
                yield return launchers.Count == 0
                    ? ReportWording.Action(ItemCodes.RemoveFakeNoLauncher, path, ("path", path))
                    : ReportWording.Action(ItemCodes.RemoveFake, path, ("path", path), ("launchers", string.Join(", ", launchers)));
                foreach (var removal in ChainRemovals(path))
                {
                    yield return removal;
                }

                yield return ReportWording.Action(ItemCodes.ScanAroundFake, path, ("folder", WindowsPath.Directory(path) ?? string.Empty));
                break;
            case Verdict.Suspicious when inSystemFolder && verdict.Signature?.Status == SignatureStatus.MicrosoftSigned:
                var concerns = string.Join("; ", verdict.Findings.Select(f => f.Title).Distinct(StringComparer.Ordinal));
                var proven = verdict.Strength == EvidenceStrength.VerifiedOffline;
                yield return ReportWording.Action(
                    proven ? ItemCodes.InvestigateGenuineRun : ItemCodes.InvestigateHostSignedRun, path, ("path", path), ("concerns", concerns));
                yield return ReportWording.Action(proven ? ItemCodes.KeepGenuineFile : ItemCodes.KeepHostSigned, path, ("path", path));
                break;
            case Verdict.Suspicious when inSystemFolder:
                yield return ReportWording.Action(ItemCodes.RepairSystemFile, path, ("path", path));
                yield return ReportWording.Action(ItemCodes.KeepSystemFile, path, ("path", path));
                break;
            case Verdict.Suspicious:
                yield return ReportWording.Action(ItemCodes.Investigate, path, ("path", path));
                break;
            case Verdict.Inconclusive:
                yield return ReportWording.Action(ItemCodes.CollectBinary, path, ("path", path));
                yield return ReportWording.Action(ItemCodes.KeepUnverified, path, ("path", path));
                break;
            default:
                break;
        }
    }

    private ImmutableArray<ReportLine> AfterCleanup()
    {
        if (!_verdicts.Any(NeedsAction))
        {
            return [ReportWording.Line(ItemCodes.DocumentPaths)];
        }

        var list = new List<ReportLine>
        {
            ReportWording.Line(ItemCodes.RebootTwice),
            ReportWording.Line(ItemCodes.CheckTasks),
            ReportWording.Line(ItemCodes.CheckStartup),
            ReviewExtensionsLine(),
            ReviewProgramsLine(),
            ReportWording.Line(ItemCodes.FullScan),
        };

        // Each fake's own context: no search of the contexts per verdict.
        var interactiveFakes = _judgements
            .Where(j => j.Outcome.Verdict == Verdict.Fake && j.Context.Process is not null)
            .Select(j => j.Context.Process!)
            .Where(p => p.SessionId is > 0)
            .Select(p => $"{p.User ?? "unknown user"} in session {p.SessionId!.Value.ToString(CultureInfo.InvariantCulture)}")
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        list.Add(interactiveFakes.Count > 0
            ? ReportWording.Line(ItemCodes.ChangePasswordsSessions, ("sessions", string.Join(", ", interactiveFakes)))
            : ReportWording.Line(ItemCodes.ChangePasswords));
        return [.. list];
    }
}
