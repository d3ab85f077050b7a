using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Reporting.Tests.Support;

namespace CsrssForensics.Reporting.Tests;

/// <summary>The HTML pictures (one process tree per judged process, the incident timeline) and their text alternatives.</summary>
public sealed partial class PictureTests
{
    private static readonly HostTime _localRegistration = HostTime.Parse("2026-11-18T21:40:03")!;

    [GeneratedRegex("<svg [^>]*aria-labelledby=\"([^\"]+) ([^\"]+)\"[^>]*>")]
    private static partial Regex SvgOpening();

    [GeneratedRegex("<figure id=\"pid-([0-9]+)\" class=\"tree-figure\">(.*?)</figure>", RegexOptions.Singleline)]
    private static partial Regex TreeFigure();

    [Fact]
    public void Every_picture_names_its_title_and_description_and_is_followed_by_its_text_alternative()
    {
        var html = ReportWriter.ToHtml(WithRegistration(SampleReports.Rich(), _localRegistration));

        var pictures = SvgOpening().Matches(html);
        Assert.True(pictures.Count >= 3, $"{pictures.Count} pictures");
        foreach (Match picture in pictures)
        {
            Assert.Contains("role=\"img\"", picture.Value, StringComparison.Ordinal);
            Assert.Contains($"<title id=\"{picture.Groups[1].Value}\">", html, StringComparison.Ordinal);
            Assert.Contains($"<desc id=\"{picture.Groups[2].Value}\">", html, StringComparison.Ordinal);
            var after = html[(html.IndexOf("</svg>", picture.Index, StringComparison.Ordinal) + "</svg>".Length)..];
            var alternative = after.TrimStart().StartsWith("<table class=\"timeline-table\">", StringComparison.Ordinal)
                || after.TrimStart().StartsWith("<figcaption>", StringComparison.Ordinal) && after[..after.IndexOf("</figure>", StringComparison.Ordinal)].Contains("<ul class=\"tree-list\">", StringComparison.Ordinal);
            Assert.True(alternative, $"picture {picture.Groups[1].Value} has no text alternative after it");
        }
    }

    [Fact]
    public void Each_judged_process_gets_its_own_tree_worst_first_with_the_legitimate_ones_folded()
    {
        var report = SampleReports.Rich();

        var html = ReportWriter.ToHtml(report);

        var figures = TreeFigure().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["4242", "612"], figures);
        var folded = html.IndexOf("<details class=\"legit-trees\">", StringComparison.Ordinal);
        Assert.True(folded > html.IndexOf("<figure id=\"pid-4242\"", StringComparison.Ordinal));
        Assert.True(folded < html.IndexOf("<figure id=\"pid-612\"", StringComparison.Ordinal));
        // The fake's picture draws its parent, itself (thick border) and its child; the dead parent of 612 is a dashed box.
        var fakeTree = TreeFigure().Match(html).Groups[2].Value;
        Assert.Equal(3, Regex.Count(fakeTree, "<g class=\"node v-"));
        Assert.Contains("<g class=\"node v-fake focus\">", fakeTree, StringComparison.Ordinal);
        Assert.Contains("parent pid 540: not alive at collection", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pid_is_anchored_once_even_when_several_trees_show_it()
    {
        var rich = SampleReports.Rich();
        var shared = rich.ProcessTrees[0].Nodes[0];
        var second = new ProcessTreeView(5000,
        [
            shared,
            new ProcessTreeNode(1, 5000, shared.Pid, "csrss.exe", @"C:\Temp\csrss.exe", 1, "suspicious", null),
        ]);
        var report = rich with { ProcessTrees = rich.ProcessTrees.Add(second) };

        var html = ReportWriter.ToHtml(report);

        Assert.Equal(1, Regex.Count(html, $"id=\"pid-{shared.Pid}\""));
        Assert.Equal(1, Regex.Count(html, "id=\"pid-5000\""));
        Assert.Equal(1, Regex.Count(html, "id=\"pid-4242\""));
    }

    [Fact]
    public void A_huge_hostile_tree_is_cut_and_says_how_much_is_left_out()
    {
        var rich = SampleReports.Rich();
        var nodes = ImmutableArray.CreateBuilder<ProcessTreeNode>();
        nodes.Add(new ProcessTreeNode(0, 7000, 4, "csrss.exe", @"C:\Temp\csrss.exe", 1, "fake", null));
        for (var i = 1; i <= 500; i++)
        {
            nodes.Add(new ProcessTreeNode(1, 7000 + i, 7000, "child.exe", @"C:\Temp\child.exe", 1, null, null));
        }

        var many = Enumerable.Range(0, 60).Select(i => new ProcessTreeView(20000 + i,
            [new ProcessTreeNode(0, 20000 + i, 4, "csrss.exe", @"C:\Temp\csrss.exe", 1, "suspicious", null)]));
        var report = rich with { ProcessTrees = [new ProcessTreeView(7000, nodes.ToImmutable()), .. many] };

        var html = ReportWriter.ToHtml(report);

        var figures = TreeFigure().Matches(html);
        Assert.Equal(40, figures.Count);
        var big = figures[0].Groups[2].Value;
        Assert.Equal(40, Regex.Count(big, "<g class=\"node v-"));
        Assert.Equal(40, Regex.Count(big, "<li"));
        Assert.Contains("461 more processes of this tree are not drawn", big, StringComparison.Ordinal);
        Assert.Contains("21 more trees are not drawn", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_task_registered_without_a_zone_is_on_the_timeline_as_host_local_time_in_html_and_markdown()
    {
        var report = WithRegistration(SampleReports.Rich(), _localRegistration);

        var html = ReportWriter.ToHtml(report);
        var markdown = ReportWriter.ToMarkdown(report);

        Assert.Contains("<tr><td>2026-11-18T21:40:03 (host-local)</td><td>task registered: &#x27;\\Microsoft\\Windows\\WinUpdateSvc&#x27;</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<g class=\"event e-task local\">", html, StringComparison.Ordinal);
        Assert.Contains("not converted (host.json names the zone", html, StringComparison.Ordinal);
        Assert.Contains("records no Run-value write time", html, StringComparison.Ordinal);
        Assert.Matches(@"\n- 2026-11-18T21:40:03 \(host-local\): task registered: '\\Microsoft\\Windows\\WinUpdateSvc'\n", markdown);
    }

    [Fact]
    public void A_task_registered_with_a_zone_is_converted_to_utc()
    {
        var report = WithRegistration(SampleReports.Rich(), HostTime.Parse("2026-11-18T21:40:03+01:00")!);

        var html = ReportWriter.ToHtml(report);
        var json = ReportWriter.ToJson(report);

        Assert.Contains("<tr><td>2026-11-18T20:40:03Z</td><td>task registered: &#x27;\\Microsoft\\Windows\\WinUpdateSvc&#x27;</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("\"utc\": \"2026-11-18T20:40:03Z\"", json, StringComparison.Ordinal);
        Assert.Contains("\"hostLocal\": null", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_json_carries_the_registration_only_on_the_task_launcher()
    {
        var json = ReportWriter.ToJson(WithRegistration(SampleReports.Rich(), _localRegistration));

        var launchers = JsonDocument.Parse(json).RootElement.GetProperty("launchers").EnumerateArray().ToList();
        var task = launchers.Single(l => l.GetProperty("kind").GetString() == "scheduled-task").GetProperty("registeredAt");
        Assert.Equal("2026-11-18T21:40:03", task.GetProperty("text").GetString());
        Assert.Equal("2026-11-18T21:40:03", task.GetProperty("hostLocal").GetString());
        Assert.Equal(JsonValueKind.Null, task.GetProperty("utc").ValueKind);
        Assert.False(launchers.Single(l => l.GetProperty("kind").GetString() == "run-key").TryGetProperty("registeredAt", out _));
    }

    [Fact]
    public void Timesketch_writes_a_task_registered_row_marked_host_local_without_an_offset()
    {
        var report = WithRegistration(SampleReports.Rich(), _localRegistration);

        var rows = ReportWriter.ToTimesketch(report).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(row => row.GetProperty("timestamp_desc").GetString() == "Task Registered")
            .ToList();

        var row = Assert.Single(rows);
        Assert.Equal("2026-11-18T21:40:03", row.GetProperty("datetime").GetString());
        Assert.Equal("host-local", row.GetProperty("time_basis").GetString());
        Assert.Equal("task", row.GetProperty("record_type").GetString());
        Assert.Contains("not converted", row.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Timesketch_writes_a_zoned_registration_in_utc()
    {
        var report = WithRegistration(SampleReports.Rich(), HostTime.Parse("2026-11-18T21:40:03-05:00")!);

        var row = ReportWriter.ToTimesketch(report).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Single(r => r.GetProperty("timestamp_desc").GetString() == "Task Registered");

        Assert.Equal("2026-11-19T02:40:03Z", row.GetProperty("datetime").GetString());
        Assert.Equal("utc", row.GetProperty("time_basis").GetString());
    }

    [Fact]
    public void A_task_last_run_is_a_host_reported_utc_event_on_the_timeline_and_a_Task_Last_Run_row_in_Timesketch()
    {
        var rich = SampleReports.Rich();
        var report = rich with
        {
            Launchers = [.. rich.Launchers.Select(l => l.Kind == "scheduled-task" ? l with { LastRunAt = new DateTimeOffset(2026, 11, 20, 7, 3, 18, TimeSpan.Zero) } : l)],
        };

        var html = ReportWriter.ToHtml(report);
        var markdown = ReportWriter.ToMarkdown(report);
        var row = ReportWriter.ToTimesketch(report).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Single(r => r.GetProperty("timestamp_desc").GetString() == "Task Last Run");

        Assert.Contains("<tr><td>2026-11-20T07:03:18Z</td><td>task last run (host-reported): &#x27;\\Microsoft\\Windows\\WinUpdateSvc&#x27;</td></tr>", html, StringComparison.Ordinal);
        Assert.Matches(@"\n- 2026-11-20T07:03:18Z: task last run \(host-reported\): '\\Microsoft\\Windows\\WinUpdateSvc'\n", markdown);
        Assert.Equal("2026-11-20T07:03:18Z", row.GetProperty("datetime").GetString());
        Assert.Equal("utc", row.GetProperty("time_basis").GetString());
        Assert.StartsWith("Task Last Run (host-reported): ", row.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("task-runs.csv", row.GetProperty("evidence").GetString());
    }

    [Fact]
    public void A_negative_last_result_is_written_as_its_32_bit_hexadecimal_HRESULT_with_the_next_run()
    {
        var rich = SampleReports.Rich();
        var lastRun = new DateTimeOffset(2026, 11, 20, 7, 3, 18, TimeSpan.Zero);
        var report = rich with
        {
            Launchers = [.. rich.Launchers.Select(l => l.Kind == "scheduled-task"
                ? l with { LastRunAt = lastRun, LastTaskResult = unchecked((int)0x8004131F), NextRunAt = lastRun.AddDays(1) }
                : l)],
        };

        var row = ReportWriter.ToTimesketch(report).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Single(r => r.GetProperty("timestamp_desc").GetString() == "Task Last Run");
        var json = JsonDocument.Parse(ReportWriter.ToJson(report)).RootElement.GetProperty("launchers").EnumerateArray()
            .Single(l => l.GetProperty("kind").GetString() == "scheduled-task");

        Assert.Equal("0x8004131F", row.GetProperty("last_result").GetString());
        Assert.Equal("2026-11-21T07:03:18Z", row.GetProperty("next_run").GetString());
        Assert.Contains("task last run (host-reported, last result 0x8004131F)", ReportWriter.ToMarkdown(report), StringComparison.Ordinal);
        Assert.Equal(-2147216609, json.GetProperty("lastTaskResult").GetInt32());
        Assert.Equal("2026-11-21T07:03:18Z", json.GetProperty("nextRunAt").GetString());
    }

    [Fact]
    public void Without_a_last_run_there_is_no_Task_Last_Run_row_and_no_lastRunAt()
    {
        var report = SampleReports.Rich();

        var timesketch = ReportWriter.ToTimesketch(report);
        var json = ReportWriter.ToJson(report);

        Assert.DoesNotContain("Task Last Run", timesketch, StringComparison.Ordinal);
        Assert.DoesNotContain("lastRunAt", json, StringComparison.Ordinal);
        Assert.DoesNotContain("lastTaskResult", json, StringComparison.Ordinal);
        Assert.DoesNotContain("nextRunAt", json, StringComparison.Ordinal);
    }

    private static AnalysisReport WithRegistration(AnalysisReport report, HostTime registered) =>
        report with
        {
            Launchers = [.. report.Launchers.Select(l => l.Kind == "scheduled-task" ? l with { RegisteredAt = registered } : l)],
        };
}
