using CsrssForensics.Bundle.Tests.Support;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle.Tests;

public sealed class TaskRunsPartTests
{
    private const string TaskPath = @"\Microsoft\Windows\Maintenance\csrss";

    private static BundleSnapshot Open(TempBundle bundle)
    {
        using var opened = BundleReader.Open(bundle.Seal().Folder);
        return opened.Snapshot;
    }

    private static TempBundle WithTask(string taskRunsCsv) => new TempBundle()
        .Write("tasks/Microsoft/Windows/Maintenance/csrss.xml", SampleParts.Utf16(SampleParts.TaskXml(TaskPath)))
        .Write("task-runs.csv", taskRunsCsv);

    [Fact]
    public void A_row_attaches_its_UTC_times_and_result_to_the_task_of_the_same_path_whatever_its_case()
    {
        using var bundle = WithTask(
            "taskPath,lastRunTimeUtc,lastTaskResult,nextRunTimeUtc\r\n" +
            "\\MICROSOFT\\Windows\\Maintenance\\CSRSS,2026-11-20T07:02:30Z,267009,2026-11-21T09:02:30+02:00\r\n" +
            "\\Other\\Task,2026-11-19T01:00:00Z,0,\r\n");

        var runs = Assert.Single(Open(bundle).Tasks).Runs;

        Assert.NotNull(runs);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 7, 2, 30, TimeSpan.Zero), runs.LastRunAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 7, 2, 30, TimeSpan.Zero), runs.NextRunAt);
        Assert.Equal(267009, runs.LastTaskResult);
        Assert.Equal(new EvidenceRef("task-runs.csv", 1), runs.Source);
    }

    [Fact]
    public void Bad_rows_become_anomalies_and_never_run_reads_as_no_time()
    {
        using var bundle = WithTask(
            "taskPath,lastRunTimeUtc,lastTaskResult,nextRunTimeUtc\r\n" +
            ",2026-11-20T07:02:30Z,0,\r\n" +                                  // row 1: no path -> skipped
            "\\Microsoft\\Windows\\Maintenance\\csrss,yesterday,0x41301,1899-12-30T00:00:00Z\r\n" + // row 2: kept, times unknown
            "\\Microsoft\\Windows\\Maintenance\\csrss,2026-11-20T07:02:30Z,0,\r\n" + // row 3: repeated -> first kept
            "\"unclosed,\r\n");

        var snapshot = Open(bundle);

        var runs = Assert.Single(snapshot.Tasks).Runs;
        Assert.NotNull(runs);
        Assert.Null(runs.LastRunAt);
        Assert.Null(runs.LastTaskResult);
        Assert.Null(runs.NextRunAt);
        Assert.Equal(2, runs.Source.Row);
        var byRow = snapshot.Anomalies.Where(a => a.Evidence.BundleFile == "task-runs.csv").Select(a => (a.Code, a.Evidence.Row)).ToList();
        Assert.Contains((BundleAnomalyCodes.CsvRowSkipped, 1), byRow);
        Assert.Contains((BundleAnomalyCodes.CsvBadCell, 2), byRow);
        Assert.Contains((BundleAnomalyCodes.CsvRowSkipped, 3), byRow);
        Assert.DoesNotContain(snapshot.MissingParts, p => p == BundlePart.Tasks);
    }

    [Fact]
    public void Without_the_part_tasks_have_no_run_record_and_nothing_is_reported_missing_for_it()
    {
        using var bundle = new TempBundle()
            .Write("tasks/Microsoft/Windows/Maintenance/csrss.xml", SampleParts.Utf16(SampleParts.TaskXml(TaskPath)));

        var snapshot = Open(bundle);

        Assert.Null(Assert.Single(snapshot.Tasks).Runs);
        Assert.DoesNotContain(snapshot.Anomalies, a => a.Evidence.BundleFile == "task-runs.csv");
    }

    [Fact]
    public void A_part_without_the_taskPath_column_is_an_anomaly_and_the_tasks_are_still_read()
    {
        using var bundle = WithTask("path,lastRunTimeUtc\r\nx,2026-11-20T07:02:30Z\r\n");

        var snapshot = Open(bundle);

        Assert.Null(Assert.Single(snapshot.Tasks).Runs);
        Assert.Contains(snapshot.Anomalies, a => a.Evidence.BundleFile == "task-runs.csv");
    }
}
