using System.Collections.Immutable;
using System.Globalization;
using CsrssForensics.Bundle.Sources;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle.Parsing;

/// <summary>
/// task-runs.csv (optional): the Task Scheduler's last/next run times per task path, attached to the tasks read from
/// <c>tasks/</c>. The host's word: a row names a task path, never a file, and nothing here is trusted beyond that.
/// </summary>
internal static class TaskRunsPart
{
    public const string Entry = "task-runs.csv";

    // Before this the value is the scheduler's "never" (the OLE zero date 1899-12-30) or nonsense, not a run.
    private static readonly DateTimeOffset _earliest = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>task-runs.csv held in memory (fuzzing, tests).</summary>
    public static Dictionary<string, TaskRunRecord>? Read(byte[] bytes, IAnomalySink sink) =>
        Read(new MemoryStream(bytes, writable: false), sink, new BundleReaderOptions().MaxCsvRows);

    /// <summary>Run records by task path (case-insensitive, first row wins); null when the header is unusable.</summary>
    public static Dictionary<string, TaskRunRecord>? Read(Stream stream, IAnomalySink sink, int maxRows)
    {
        var runs = new Dictionary<string, TaskRunRecord>(StringComparer.OrdinalIgnoreCase);
        var ok = CsvTable.ReadAll(Entry, stream, sink, ["taskPath"], maxRows, table =>
        {
            var path = table.Cell("taskPath");
            if (path is null)
            {
                table.Report(BundleAnomalyCodes.CsvRowSkipped, AnomalySeverity.Medium,
                    $"{Entry} row {Text(table.Row)}: taskPath is empty; row skipped.", "taskPath");
                return;
            }

            var record = new TaskRunRecord(
                Run(table.Time("lastRunTimeUtc")),
                table.Int("lastTaskResult"),
                Run(table.Time("nextRunTimeUtc")),
                new EvidenceRef(Entry, table.Row));
            if (!runs.TryAdd(Normal(path), record))
            {
                table.Report(BundleAnomalyCodes.CsvRowSkipped, AnomalySeverity.Low,
                    $"{Entry} row {Text(table.Row)}: task '{EntryName.Printable(path)}' is listed again; the first row is kept.", "taskPath");
            }
        });

        return ok ? runs : null;
    }

    /// <summary>The tasks with their run record attached (matched by task path, case-insensitive).</summary>
    public static ImmutableArray<ScheduledTask> Attach(ImmutableArray<ScheduledTask> tasks, Dictionary<string, TaskRunRecord>? runs)
    {
        if (runs is null || runs.Count == 0)
        {
            return tasks;
        }

        return [.. tasks.Select(t => runs.TryGetValue(Normal(t.TaskPath), out var run) ? t with { Runs = run } : t)];
    }

    // "\Microsoft\Windows\X" and "Microsoft/Windows/X" name the same task.
    private static string Normal(string path) => "\\" + path.Trim().Replace('/', '\\').TrimStart('\\');

    private static DateTimeOffset? Run(DateTimeOffset? time) => time >= _earliest ? time : null;

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
