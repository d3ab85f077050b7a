using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Analysis.Composition;

/// <summary>
/// The times a launcher's own record gives (a task's registration date, and its last run, last result and next run as task-runs.csv reports them)
/// carried onto its report row.
/// </summary>
internal sealed partial class ReportComposer
{
    private Dictionary<string, ScheduledTask>? _tasksByFile;

    private LauncherFinding WithRecordedTimes(LauncherFinding launcher)
    {
        if (launcher.Kind != "scheduled-task")
        {
            return launcher;
        }

        // A task launcher cites its XML file (one file per task); the first task read from a file wins.
        if (_tasksByFile is null)
        {
            _tasksByFile = new Dictionary<string, ScheduledTask>(StringComparer.Ordinal);
            foreach (var task in _snapshot.Tasks)
            {
                _tasksByFile.TryAdd(task.Source.BundleFile, task);
            }
        }

        return _tasksByFile.TryGetValue(launcher.Evidence.BundleFile, out var found)
            ? launcher with
            {
                RegisteredAt = found.RegisteredAt,
                LastRunAt = found.Runs?.LastRunAt,
                LastTaskResult = found.Runs?.LastTaskResult,
                NextRunAt = found.Runs?.NextRunAt,
            }
            : launcher;
    }
}
