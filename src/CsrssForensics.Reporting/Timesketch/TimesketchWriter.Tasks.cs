using System.Globalization;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Reporting.Events;

namespace CsrssForensics.Reporting.Timesketch;

/// <summary>
/// "Task Registered" rows: the registration date of every scheduled task the report lists as a launcher. A date with a
/// zone is written in UTC; a date without one (what the Task Scheduler usually writes) is the host's local time and is
/// written as the host wrote it, with no offset, and marked <c>time_basis: host-local</c>: converting it would need
/// the host's UTC offset, which the bundle does not record. "Task Last Run" rows: the last run the Task Scheduler
/// reported (task-runs.csv, UTC), marked host-reported: the host's word, like its signature claims.
/// </summary>
internal static partial class TimesketchWriter
{
    private const string TaskRegistered = "Task Registered";
    private const string TaskLastRun = "Task Last Run";

    private static void AddTasks(EventFacts facts, List<Row> rows)
    {
        foreach (var launcher in facts.Report.Launchers)
        {
            if (launcher.LastRunAt is { } lastRun)
            {
                var ran = Start(facts, lastRun, TaskLastRun, "task")
                    .Set("message", $"Task Last Run (host-reported{(launcher.LastTaskResult is { } code ? ", last result " + Text.ReportText.ResultCode(code) : string.Empty)}): {launcher.Name} runs {launcher.Command ?? "an unknown command"}")
                    .Set("time_basis", "utc")
                    .Set("last_result", launcher.LastTaskResult is { } result ? Text.ReportText.ResultCode(result) : null)
                    .Set("next_run", launcher.NextRunAt)
                    .Set("task_name", launcher.Name)
                    .Set("command_line", launcher.Command)
                    .Set("path", launcher.ResolvedTarget)
                    .Set("evidence", Text.ReportText.Evidence(new EvidenceRef("task-runs.csv")));
                rows.Add(new Row(lastRun, 4, launcher.Name, rows.Count, ran));
            }

            if (launcher.RegisteredAt is not { } registered)
            {
                continue;
            }

            var hostLocal = registered.Utc is null;
            var at = registered.SortKey();
            var datetime = hostLocal
                ? registered.HostLocal?.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) ?? registered.Text
                : Text.ReportText.Utc(at);
            var zone = hostLocal
                ? $" (host-local time{(facts.Report.Host?.TimeZone is { Length: > 0 } name ? ", host zone " + name : string.Empty)}, not converted)"
                : string.Empty;
            var document = Start(facts, datetime, TaskRegistered, "task")
                .Set("message", $"Task Registered: {launcher.Name}{zone} runs {launcher.Command ?? "an unknown command"}")
                .Set("time_basis", hostLocal ? "host-local" : "utc")
                .Set("task_name", launcher.Name)
                .Set("command_line", launcher.Command)
                .Set("path", launcher.ResolvedTarget)
                .Set("evidence", Text.ReportText.Evidence(launcher.Evidence));
            rows.Add(new Row(at, 4, launcher.Name, rows.Count, document));
        }
    }
}
