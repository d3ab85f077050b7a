using System.Text.Json;
using CsrssForensics.Analysis.Tests.Support;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Report;
using CsrssForensics.Reporting;
using Json.Schema;

namespace CsrssForensics.Analysis.Tests.Integrations;

/// <summary>
/// The event outputs (ECS JSONL, Timesketch) of every shipped fixture bundle: each line against its schema, one event
/// per record, stable ids and times taken from the bundle.
/// </summary>
public sealed class EventOutputTests
{
    private static readonly JsonSchema _ecsSchema = Schema("ecs-event.schema.json");
    private static readonly JsonSchema _timesketchSchema = Schema("timesketch-row.schema.json");

    /// <summary>Every fixture bundle folder, so a new fixture is covered without editing this file.</summary>
    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var folder in Directory.GetDirectories(RepositoryPaths.Fixture("bundles")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(folder));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_ECS_line_validates_against_the_event_schema(string scenario)
    {
        var lines = Lines(ReportWriter.ToJsonl(Analyze(scenario)));

        Assert.NotEmpty(lines);
        foreach (var (line, number) in lines.Select((l, i) => (l, i + 1)))
        {
            var result = Evaluate(_ecsSchema, line);
            Assert.True(result.IsValid, $"{scenario} report.jsonl line {number}: {Describe(result)}");
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_Timesketch_line_validates_against_the_row_schema(string scenario)
    {
        var lines = Lines(ReportWriter.ToTimesketch(Analyze(scenario)));

        foreach (var (line, number) in lines.Select((l, i) => (l, i + 1)))
        {
            var result = Evaluate(_timesketchSchema, line);
            Assert.True(result.IsValid, $"{scenario} report.timesketch.jsonl line {number}: {Describe(result)}");
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void There_is_one_ECS_event_per_verdict_finding_launcher_process_and_file(string scenario)
    {
        var report = Analyze(scenario);
        var datasets = Lines(ReportWriter.ToJsonl(report))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("event").GetProperty("dataset").GetString())
            .ToList();

        Assert.Equal(report.Verdicts.Length, datasets.Count(d => d == "csrss_forensics.verdict"));
        Assert.Equal(
            report.Verdicts.Sum(v => v.Findings.Length) + report.Launchers.Sum(l => l.Findings.Length),
            datasets.Count(d => d == "csrss_forensics.finding"));
        Assert.Equal(report.Launchers.Length, datasets.Count(d => d == "csrss_forensics.launcher"));
        Assert.Equal(report.ObservedProcesses.Length, datasets.Count(d => d == "csrss_forensics.process"));
        Assert.Equal(report.ObservedFiles.Length, datasets.Count(d => d == "csrss_forensics.file"));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Event_outputs_are_byte_identical_across_runs_and_event_ids_are_unique(string scenario)
    {
        var first = Analyze(scenario);
        var second = Analyze(scenario);

        Assert.Equal(ReportWriter.ToJsonl(first), ReportWriter.ToJsonl(second));
        Assert.Equal(ReportWriter.ToTimesketch(first), ReportWriter.ToTimesketch(second));
        var ids = Lines(ReportWriter.ToJsonl(first))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("event").GetProperty("id").GetString())
            .ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Timestamps_come_from_the_bundle_process_start_else_collection_time()
    {
        var report = Analyze("appdata-csrss-task");
        var collected = report.Bundle.CollectedAtUtc!.Value;
        var events = Lines(ReportWriter.ToJsonl(report)).Select(line => JsonDocument.Parse(line).RootElement).ToList();

        foreach (var element in events)
        {
            var timestamp = DateTimeOffset.Parse(element.GetProperty("@timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            var own = element.GetProperty("csrss_forensics");
            if (own.GetProperty("record_type").GetString() == "process" && element.GetProperty("process").TryGetProperty("start", out var start))
            {
                Assert.Equal("process-start", own.GetProperty("time_source").GetString());
                Assert.Equal(start.GetString(), element.GetProperty("@timestamp").GetString());
            }
            else
            {
                Assert.Equal("collected", own.GetProperty("time_source").GetString());
                Assert.Equal(collected, timestamp);
            }
        }
    }

    [Fact]
    public void The_seed_task_registration_is_a_host_local_Timesketch_row_and_on_the_report_launcher()
    {
        // The fixture's task XML says <Date>2026-11-18T21:40:03</Date>: no zone, so host-local and not converted.
        var report = Analyze("appdata-csrss-task");
        var launcher = report.Launchers.Single(l => l.Kind == "scheduled-task");
        var row = Lines(ReportWriter.ToTimesketch(report))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Single(e => e.GetProperty("timestamp_desc").GetString() == "Task Registered");

        Assert.Null(launcher.RegisteredAt?.Utc);
        Assert.Equal(new DateTime(2026, 11, 18, 21, 40, 3, DateTimeKind.Unspecified), launcher.RegisteredAt?.HostLocal);
        Assert.Equal("2026-11-18T21:40:03", row.GetProperty("datetime").GetString());
        Assert.Equal("host-local", row.GetProperty("time_basis").GetString());
        Assert.Equal(@"\Microsoft\Windows\Maintenance\csrss", row.GetProperty("task_name").GetString());
        Assert.Equal("tasks/Microsoft/Windows/Maintenance/csrss.xml (action 1)", row.GetProperty("evidence").GetString());
    }

    [Fact]
    public void The_seed_task_times_and_last_result_reach_the_ECS_launcher_event_and_the_Task_Last_Run_row()
    {
        // task-runs.csv: last run 2026-11-20T07:03:18Z, last result 267009 (0x00041301, "the task is running").
        var report = Analyze("appdata-csrss-task");
        var launcher = Lines(ReportWriter.ToJsonl(report))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Single(e => e.GetProperty("csrss_forensics").GetProperty("record_type").GetString() == "launcher"
                && e.GetProperty("csrss_forensics").GetProperty("launcher").GetProperty("kind").GetString() == "scheduled-task")
            .GetProperty("csrss_forensics").GetProperty("launcher");
        var row = Lines(ReportWriter.ToTimesketch(report))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Single(e => e.GetProperty("timestamp_desc").GetString() == "Task Last Run");

        Assert.Equal("2026-11-18T21:40:03", launcher.GetProperty("registered").GetString());
        Assert.Equal("host-local", launcher.GetProperty("registered_time_basis").GetString());
        Assert.Equal("2026-11-20T07:03:18Z", launcher.GetProperty("last_run").GetString());
        Assert.Equal("0x00041301", launcher.GetProperty("last_result").GetString());
        Assert.False(launcher.TryGetProperty("next_run", out _));
        Assert.Equal("0x00041301", row.GetProperty("last_result").GetString());
        Assert.StartsWith("Task Last Run (host-reported, last result 0x00041301): ", row.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_fake_csrss_carries_its_hash_parent_verdict_and_ATTACK_technique()
    {
        var report = Analyze("appdata-csrss-task");
        var fake = Lines(ReportWriter.ToJsonl(report))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .First(e => e.GetProperty("csrss_forensics").GetProperty("record_type").GetString() == "verdict"
                && e.TryGetProperty("process", out var p) && p.GetProperty("pid").GetInt32() == 5240);

        Assert.Equal("alert", fake.GetProperty("event").GetProperty("kind").GetString());
        Assert.Equal("fake", fake.GetProperty("csrss_forensics").GetProperty("verdict").GetString());
        Assert.Equal("verifiedOffline", fake.GetProperty("csrss_forensics").GetProperty("evidence_strength").GetString());
        Assert.Equal(5196, fake.GetProperty("process").GetProperty("parent").GetProperty("pid").GetInt32());
        Assert.Equal("ec3cd82c81d0cadf827b06a301a0085c484e5616130fce918c7518fc6fc4710d", fake.GetProperty("process").GetProperty("hash").GetProperty("sha256").GetString());
        Assert.Contains("T1036.005", fake.GetProperty("threat").GetProperty("technique").GetProperty("id").EnumerateArray().Select(t => t.GetString()));
        Assert.False(fake.GetProperty("process").GetProperty("code_signature").GetProperty("trusted").GetBoolean());
    }

    [Fact]
    public void The_scheduled_task_launcher_is_an_alert_mapped_to_T1053_005()
    {
        var launcher = Lines(ReportWriter.ToJsonl(Analyze("appdata-csrss-task")))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .First(e => e.GetProperty("csrss_forensics").GetProperty("record_type").GetString() == "launcher");

        Assert.Equal("alert", launcher.GetProperty("event").GetProperty("kind").GetString());
        Assert.Contains("T1053.005", launcher.GetProperty("threat").GetProperty("technique").GetProperty("id").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public void A_clean_host_gives_no_ECS_alert()
    {
        var kinds = Lines(ReportWriter.ToJsonl(Analyze("clean-two-sessions")))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("event").GetProperty("kind").GetString());

        Assert.DoesNotContain("alert", kinds);
    }

    private static AnalysisReport Analyze(string scenario)
    {
        using var bundle = BundleReader.Open(RepositoryPaths.Fixture("bundles", scenario));
        return BundleAnalyzer.Analyze(bundle);
    }

    private static List<string> Lines(string text)
    {
        Assert.True(text.Length == 0 || text.EndsWith('\n'), "the output must end with a line break");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static JsonSchema Schema(string fileName) =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, fileName)));

    private static EvaluationResults Evaluate(JsonSchema schema, string line)
    {
        using var document = JsonDocument.Parse(line);
        return schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
    }

    private static string Describe(EvaluationResults result) =>
        string.Join("\n", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Select(e => $"{e.Key}={e.Value}"))}"));
}
