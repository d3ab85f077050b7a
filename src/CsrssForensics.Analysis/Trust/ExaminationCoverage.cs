using System.Collections.Immutable;
using System.Globalization;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;

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
            gaps.Add(new ExaminationGap(
                "GAP-PART-MISSING",
                entry,
                $"{entry} is missing, unreadable or malformed (see Anomalies): the core processes it would list were not examined.",
                [new EvidenceRef(entry)]));
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
            gaps.Add(new ExaminationGap(
                "GAP-CORE-PROCESS-MISSING",
                name,
                $"processes.csv lists no {name}, which every running Windows host has: the process list is incomplete or was filtered, so the machine was not fully examined.",
                [new EvidenceRef("processes.csv")]));
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
            yield return Gap("any session", "processes.csv lists no csrss.exe at all, though every running Windows host has one per session: nothing was examined for the process this report is about.");
            yield break;
        }

        if (!csrssSessions.Any(s => s is not null))
        {
            yield break; // The collector recorded no session IDs: one csrss at least is all that can be asked.
        }

        foreach (var session in sessions.Where(s => !csrssSessions.Contains(s)))
        {
            var id = session.ToString(CultureInfo.InvariantCulture);
            yield return Gap($"session {id}", $"Session {id} has processes but no csrss.exe in processes.csv, though Windows starts one per session: the process list is incomplete.");
        }
    }

    private static ExaminationGap Gap(string subject, string message) =>
        new("GAP-CSRSS-SESSION-MISSING", subject, message, [new EvidenceRef("processes.csv")]);
}
