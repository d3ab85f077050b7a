using System.Globalization;
using System.Text.RegularExpressions;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Reporting.Text;

namespace CsrssForensics.Reporting.Triage;

/// <summary>One event of the incident timeline.</summary>
/// <param name="SortKey">The UTC time; for a host-local time, its wall clock read as UTC (for ordering only).</param>
/// <param name="Kind">host, collection, process, file, task, defender or program: the picture's marker style.</param>
/// <param name="When">The time as shown: UTC with 'Z', or the host's wall-clock time marked "(host-local)".</param>
/// <param name="HostLocal">The host wrote the time without a zone; it is not converted (see <see cref="HostTime"/>).</param>
internal sealed record TimelineEvent(DateTimeOffset SortKey, string Kind, string When, string Label, bool HostLocal);

/// <summary>
/// The incident's events in time order, for the HTML picture and table and the Markdown list alike: boot, collection,
/// the creation and start times of the copies to record, task registrations and last runs, Defender detections and installs.
/// </summary>
internal static class IncidentTimeline
{
    /// <summary>At most this many events are listed (a hostile bundle must not make the page grow without bound).</summary>
    public const int MaxEvents = 1200;

    private const int MaxRowsSearched = 300;

    // "file created 2026-11-18T21:39:58Z; process started ..." as the composer writes a record row's creation date.
    private static readonly Regex _datedPhrase = new(
        @"([A-Za-z][A-Za-z ]{0,40}?) (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?Z)",
        RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>The text every rendering puts under the timeline: which times exist and which the bundle cannot give.</summary>
    public static string Caveat(AnalysisReport report)
    {
        var zone = report.Host?.TimeZone is { Length: > 0 } name ? $" (host.json names the zone {name})" : string.Empty;
        return "Task registration times are the task XML's RegistrationInfo/Date, written by whoever registered the task. " +
            $"A date without a zone is the host's local time, marked (host-local) and not converted{zone}; " +
            "it is placed as if it were UTC, so it may sit up to a day's offset from the UTC events. " +
            "Task last-run times, when the bundle has task-runs.csv, are the Task Scheduler's own record (host-reported, UTC). " +
            "The bundle format records no Run-value write time, so none appears.";
    }

    public static IReadOnlyList<TimelineEvent> Of(AnalysisReport report)
    {
        var events = new List<TimelineEvent>();
        if (report.Host?.BootTimeUtc is { } boot)
        {
            events.Add(Utc(boot, "host", "host booted"));
        }

        if (report.Bundle.CollectedAtUtc is { } collected)
        {
            events.Add(Utc(collected, "collection", "evidence collected"));
        }

        foreach (var row in report.RecordBeforeCleanup.Take(MaxRowsSearched))
        {
            // The composer writes a few short phrases here; a longer text is not one of them and is not searched.
            var text = row.CreationDate ?? string.Empty;
            foreach (Match match in _datedPhrase.Matches(text.Length > 1024 ? text[..1024] : text).Take(8))
            {
                if (DateTimeOffset.TryParse(match.Groups[2].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                {
                    var phrase = match.Groups[1].Value.Trim();
                    events.Add(Utc(time, phrase.StartsWith("process", StringComparison.Ordinal) ? "process" : "file", $"{phrase}: {row.FullPath}"));
                }
            }
        }

        foreach (var launcher in report.Launchers.Take(MaxRowsSearched))
        {
            if (launcher.RegisteredAt is { } registered)
            {
                // Quoted: a task path starts with '\', and a space before a separator would be marked as a hidden trailing space.
                events.Add(Of(registered, "task", $"task registered: '{launcher.Name}'"));
            }

            if (launcher.LastRunAt is { } lastRun)
            {
                var result = launcher.LastTaskResult is { } code ? ", last result " + ReportText.ResultCode(code) : string.Empty;
                events.Add(Utc(lastRun, "task", $"task last run (host-reported{result}): '{launcher.Name}'"));
            }
        }

        foreach (var row in (report.HostContext?.DefenderDetections ?? []).Take(MaxRowsSearched))
        {
            if (row.Detection.InitialDetectionUtc is { } detected)
            {
                events.Add(Utc(detected, "defender", $"Defender detected {row.Detection.ThreatName}"));
            }

            if (row.Detection.RemediationUtc is { } remediated)
            {
                events.Add(Utc(remediated, "defender", $"Defender remediated {row.Detection.ThreatName}"));
            }
        }

        foreach (var row in (report.HostContext?.RecentPrograms ?? []).Take(MaxRowsSearched))
        {
            if (DateTimeOffset.TryParseExact(row.Program.InstallDateText, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var installed))
            {
                events.Add(Utc(installed, "program", $"program installed (day only): {row.Program.Name}"));
            }
        }

        return [.. events.OrderBy(e => e.SortKey).ThenBy(e => e.Label, StringComparer.Ordinal).ThenBy(e => e.When, StringComparer.Ordinal).Take(MaxEvents)];
    }

    private static TimelineEvent Utc(DateTimeOffset time, string kind, string label) =>
        new(time, kind, ReportText.Utc(time), label, false);

    private static TimelineEvent Of(HostTime time, string kind, string label) =>
        time.Utc is { } utc
            ? Utc(utc, kind, label)
            : new(time.SortKey(), kind, $"{time.HostLocal?.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)} (host-local)", label, true);
}
