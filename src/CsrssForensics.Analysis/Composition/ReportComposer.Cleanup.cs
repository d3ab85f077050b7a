using System.Collections.Immutable;
using System.Globalization;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Windows.Paths;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Wording;

namespace CsrssForensics.Analysis.Composition;

/// <summary>The cleanup-facing sections: remove only evidence-backed fakes with their launchers (the record rows are in ReportComposer.RecordRows.cs).</summary>
internal sealed partial class ReportComposer
{
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
