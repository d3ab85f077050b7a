using System.Collections.Immutable;
using System.Globalization;
using CsrssForensics.Analysis.Composition;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Reporting.Wording;

namespace CsrssForensics.Analysis.Trust;

/// <summary>
/// "Clean" must mean something was examined. Every running Windows host has a process list and a file list in its
/// bundle, and runs System, smss, wininit, services, lsass and one csrss per session; a snapshot without them has not
/// shown us the machine, whatever its verdicts say. Each absence becomes a gap that keeps the status from clean.
/// </summary>
internal static class ExaminationCoverage
{
    /// <summary>Bundle parts without which no core process can be judged.</summary>
    private static readonly (BundlePart Part, string Entry)[] _requiredParts =
    [
        (BundlePart.Processes, "processes.csv"),
        (BundlePart.Files, "files.csv"),
    ];

    /// <summary>The bundle entry a missing process is evidenced by.</summary>
    private const string ProcessList = "processes.csv";

    /// <summary>Processes every running Windows (NT 6.0 and later) host has, one instance at least.</summary>
    private static readonly string[] _alwaysRunning = ["System", "smss.exe", "wininit.exe", "services.exe", "lsass.exe"];

    /// <summary>The gaps, in a stable order: missing parts, then missing processes, then sessions without csrss.</summary>
    public static ImmutableArray<ExaminationGap> Find(BundleSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var gaps = new List<ExaminationGap>();
        var missingParts = snapshot.MissingParts;
        foreach (var (part, entry) in _requiredParts.Where(p => missingParts.Contains(p.Part)))
        {
            gaps.Add(Gap(ContextLineCodes.GapPartMissing, entry, entry, ("part", entry)));
        }

        if (missingParts.Contains(BundlePart.Processes))
        {
            // Without a process list every process below would be "missing": the part gap already says it.
            return [.. gaps];
        }

        var processes = snapshot.Processes;
        var names = processes.Select(p => p.Name.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var name in _alwaysRunning.Where(n => !names.Contains(n)))
        {
            gaps.Add(Gap(ContextLineCodes.GapCoreProcessMissing, name, ProcessList, ("process", name)));
        }

        gaps.AddRange(SessionsWithoutCsrss(processes));
        return [.. gaps];
    }

    private static IEnumerable<ExaminationGap> SessionsWithoutCsrss(ImmutableArray<ProcessRecord> processes)
    {
        var csrssSessions = processes
            .Where(p => string.Equals(p.Name.Trim(), "csrss.exe", StringComparison.OrdinalIgnoreCase))
            .Select(p => p.SessionId)
            .ToHashSet();
        var sessions = new SortedSet<int>(processes.Where(p => p.SessionId is not null).Select(p => p.SessionId!.Value)) { 0 };
        if (csrssSessions.Count == 0)
        {
            yield return Gap(ContextLineCodes.GapCsrssMissing, "csrss.exe", ProcessList);
            yield break;
        }

        if (!csrssSessions.Any(s => s is not null))
        {
            yield break; // The collector recorded no session IDs: one csrss at least is all that can be asked.
        }

        foreach (var session in sessions.Where(s => !csrssSessions.Contains(s)))
        {
            var id = session.ToString(CultureInfo.InvariantCulture);
            yield return Gap(ContextLineCodes.GapCsrssSessionMissing, $"session {id}", ProcessList, ("session", id));
        }
    }

    /// <summary>A gap whose message is its code's wording; <paramref name="evidence"/> is the bundle entry that shows it.</summary>
    private static ExaminationGap Gap(string code, string subject, string evidence, params (string Name, string? Value)[] parameters)
    {
        var line = ReportWording.Line(code, parameters);
        return new ExaminationGap(code, subject, line.Text, [new EvidenceRef(evidence)]) { Params = line.Params };
    }
}
