using System.Text.Json;
using System.Text.Json.Nodes;
using CsrssForensics.Reporting.Tests.Support;
using Json.Schema;

namespace CsrssForensics.Reporting.Tests;

public sealed class JsonReportTests
{
    private static readonly JsonSchema _schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "report.schema.json")));

    [Theory]
    [InlineData("rich")]
    [InlineData("hostile")]
    [InlineData("clean")]
    public void Json_output_validates_against_the_report_schema(string sample)
    {
        // Given
        var json = ReportWriter.ToJson(GoldenTests.Sample(sample));

        // When
        var result = Evaluate(json);

        // Then
        Assert.True(result.IsValid, Describe(result));
    }

    [Theory]
    [InlineData("2026-11-18T21:40:03")]
    [InlineData("2026-11-18T21:40:03+01:00")]
    public void A_task_registration_time_validates_against_the_report_schema(string date)
    {
        var rich = SampleReports.Rich();
        var registered = Core.Snapshot.HostTime.Parse(date);
        var report = rich with { Launchers = [.. rich.Launchers.Select(l => l.Kind == "scheduled-task" ? l with { RegisteredAt = registered } : l)] };

        var json = ReportWriter.ToJson(report);
        var result = Evaluate(json);

        Assert.Contains("\"registeredAt\"", json, StringComparison.Ordinal);
        Assert.True(result.IsValid, Describe(result));
    }

    [Fact]
    public void A_task_last_run_validates_against_the_report_schema_on_the_task_launcher_only()
    {
        var rich = SampleReports.Rich();
        var lastRun = new DateTimeOffset(2026, 11, 20, 7, 3, 18, TimeSpan.Zero);
        var report = rich with { Launchers = [.. rich.Launchers.Select(l => l.Kind == "scheduled-task" ? l with { LastRunAt = lastRun } : l)] };

        var json = ReportWriter.ToJson(report);
        var result = Evaluate(json);

        Assert.Contains("\"lastRunAt\": \"2026-11-20T07:03:18Z\"", json, StringComparison.Ordinal);
        Assert.Equal(1, json.Split("\"lastRunAt\"").Length - 1);
        Assert.True(result.IsValid, Describe(result));
    }

    [Theory]
    [InlineData("verdicts/0/verdict", "bogus")]
    [InlineData("overallStatus", "infected")]
    [InlineData("integrity/status", "ok")]
    [InlineData("verdicts/0/subject/kind", "service")]
    [InlineData("bundle/collectedAtUtc", "2026-03-01T10:15:00+01:00")]
    public void Schema_rejects_values_outside_the_contract(string location, string value)
    {
        // Given a valid report with one value changed
        var node = JsonNode.Parse(ReportWriter.ToJson(SampleReports.Rich()))!;
        var segments = location.Split('/');
        var parent = segments[..^1].Aggregate(node, (current, segment) => int.TryParse(segment, out var index) ? current[index]! : current[segment]!);
        parent[segments[^1]] = value;

        // Then
        Assert.False(Evaluate(node.ToJsonString()).IsValid);
    }

    [Fact]
    public void Schema_rejects_a_report_without_verdicts_or_with_unknown_properties()
    {
        var missing = JsonNode.Parse(ReportWriter.ToJson(SampleReports.Rich()))!.AsObject();
        missing.Remove("verdicts");
        Assert.False(Evaluate(missing.ToJsonString()).IsValid);

        var extra = JsonNode.Parse(ReportWriter.ToJson(SampleReports.Rich()))!.AsObject();
        extra["verdicts"]![0]!["subject"]!["surprise"] = 1;
        Assert.False(Evaluate(extra.ToJsonString()).IsValid);
    }

    [Fact]
    public void Json_has_camel_case_names_and_enum_values_and_utc_times()
    {
        using var document = JsonDocument.Parse(ReportWriter.ToJson(SampleReports.Rich()));
        var root = document.RootElement;

        Assert.Equal("compromised", root.GetProperty("overallStatus").GetString());
        Assert.Equal("failed", root.GetProperty("integrity").GetProperty("status").GetString());
        var fake = root.GetProperty("verdicts")[0];
        Assert.Equal("fake", fake.GetProperty("verdict").GetString());
        Assert.Equal("process", fake.GetProperty("subject").GetProperty("kind").GetString());
        Assert.Equal(4242, fake.GetProperty("subject").GetProperty("pid").GetInt32());
        Assert.Equal(SampleReports.FakePath, fake.GetProperty("subject").GetProperty("path").GetString());
        Assert.Equal("CSR-010", fake.GetProperty("decisionPath")[0].GetProperty("nodeId").GetString());
        Assert.Equal("processes.csv", fake.GetProperty("evidence")[0].GetProperty("bundleFile").GetString());
        Assert.Equal("notSigned", fake.GetProperty("signature").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("verdicts")[1].GetProperty("subject").GetProperty("pid").ValueKind);
        Assert.Equal("file", root.GetProperty("verdicts")[1].GetProperty("subject").GetProperty("kind").GetString());
        Assert.Equal("microsoftSigned", root.GetProperty("verdicts")[2].GetProperty("signature").GetProperty("status").GetString());
        Assert.Equal("offlineCatalog", root.GetProperty("verdicts")[2].GetProperty("signature").GetProperty("source").GetString());

        // The sample stores boot time as 09:02:30+01:00; the report must say 08:02:30Z.
        Assert.Equal("2026-03-01T08:02:30Z", root.GetProperty("host").GetProperty("bootTimeUtc").GetString());
    }

    [Fact]
    public void Json_keeps_hostile_strings_exactly_and_escaped()
    {
        var json = ReportWriter.ToJson(SampleReports.HostileStrings());
        using var document = JsonDocument.Parse(json);

        var names = document.RootElement.GetProperty("verdicts").EnumerateArray()
            .Select(v => v.GetProperty("subject").GetProperty("name").GetString())
            .ToList();
        foreach (var hostile in SampleReports.Hostile.All)
        {
            Assert.Contains(hostile, names);
        }

        Assert.DoesNotContain("<script", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_writes_non_finite_numbers_as_null_instead_of_throwing()
    {
        var report = SampleReports.Rich();
        report = report with { ResourceUsage = [report.ResourceUsage[0] with { CpuPercent = double.NaN, GpuPercent = double.PositiveInfinity }] };

        using var document = JsonDocument.Parse(ReportWriter.ToJson(report));
        var row = document.RootElement.GetProperty("resourceUsage")[0];

        Assert.Equal(JsonValueKind.Null, row.GetProperty("cpuPercent").ValueKind);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("gpuPercent").ValueKind);
    }

    private static EvaluationResults Evaluate(string json)
    {
        using var document = JsonDocument.Parse(json);
        return _schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Describe(EvaluationResults result) =>
        string.Join("\n", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Select(e => $"{e.Key}={e.Value}"))}"));
}
