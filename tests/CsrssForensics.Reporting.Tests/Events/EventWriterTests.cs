using System.Text.Json;
using System.Text.RegularExpressions;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Reporting.Events;
using CsrssForensics.Reporting.Tests.Support;

namespace CsrssForensics.Reporting.Tests.Events;

public sealed partial class EventWriterTests
{
    [GeneratedRegex("^T[0-9]{4}(\\.[0-9]{3})?$")]
    private static partial Regex TechniqueId();

    [Fact]
    public void Dotted_fields_nest_and_absent_values_are_left_out()
    {
        var line = new EventDocument()
            .Set("process.pid", 42L)
            .Set("process.parent.pid", 4L)
            .Set("process.name", (string?)null)
            .Set("file.hash.sha256", "ab")
            .Set("tags", Array.Empty<string>())
            .Set("ok", true)
            .ToJsonLine();

        Assert.Equal("{\"process\":{\"pid\":42,\"parent\":{\"pid\":4}},\"file\":{\"hash\":{\"sha256\":\"ab\"}},\"ok\":true}", line);
    }

    [Fact]
    public void A_field_set_twice_or_inside_a_value_is_a_bug_not_silent_output()
    {
        var document = new EventDocument().Set("a.b", "x");

        Assert.Throws<InvalidOperationException>(() => document.Set("a.b", "y"));
        Assert.Throws<InvalidOperationException>(() => document.Set("a.b.c", "z"));
    }

    // Built from code units in the test body: xunit cannot carry a lone surrogate through InlineData.
    [Fact]
    public void Unpaired_surrogates_become_replacement_characters()
    {
        Assert.Equal("a\uFFFDb", EventDocument.WellFormed("a" + (char)0xD800 + "b"));
        Assert.Equal("\uFFFD", EventDocument.WellFormed(((char)0xDC00).ToString()));
        Assert.Equal("end\uFFFD", EventDocument.WellFormed("end" + (char)0xD83D));
        Assert.Equal("\uFFFD\uFFFD", EventDocument.WellFormed(new string([(char)0xDC00, (char)0xD800])));
        Assert.Equal("pair \uD83D\uDE00 kept", EventDocument.WellFormed("pair \uD83D\uDE00 kept"));
    }

    [Fact]
    public void Hostile_strings_stay_inside_one_ASCII_JSON_line_per_event()
    {
        // Given the hostile sample, plus a processes.csv row whose command line breaks lines and carries a lone surrogate
        var report = SampleReports.HostileStrings() with
        {
            ObservedProcesses =
            [
                new ProcessRecord(66, 4, "csrss.exe\r\n{\"x\":1}", "C:\\evil\n.exe", "a\u202Eb\uD800\n\"},{", null, 1, "u", null, null, null, new EvidenceRef("processes.csv", 1)),
            ],
            ObservedFiles =
            [
                new FileRecord("C:\\x\r\n.exe", 1, "AB", null, DateTimeOffset.UnixEpoch, HostSignature.NotCollected, null, null, null, null, null, new EvidenceRef("files.csv", 1)),
            ],
        };

        foreach (var text in new[] { ReportWriter.ToJsonl(report), ReportWriter.ToTimesketch(report) })
        {
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.NotEmpty(lines);
            Assert.All(text, c => Assert.True(c == '\n' || (c >= 0x20 && c < 0x7F), $"U+{(int)c:X4} written raw"));
            Assert.All(lines, line => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind));
        }
    }

    [Fact]
    public void Verdict_events_are_stamped_with_the_collection_time_never_the_clock()
    {
        var report = SampleReports.Rich();
        var expected = report.Bundle.CollectedAtUtc!.Value;

        var stamps = ReportWriter.ToJsonl(report).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.GetProperty("csrss_forensics").GetProperty("record_type").GetString() == "verdict")
            .Select(e => DateTimeOffset.Parse(e.GetProperty("@timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

        Assert.Equal(report.Verdicts.Length, stamps.Count);
        Assert.All(stamps, stamp => Assert.Equal(expected, stamp));
    }

    [Fact]
    public void Without_a_collection_time_events_say_their_time_is_none_and_Timesketch_has_no_undated_rows()
    {
        var report = SampleReports.Rich() with { Bundle = SampleReports.Rich().Bundle with { CollectedAtUtc = null } };

        var sources = ReportWriter.ToJsonl(report).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("csrss_forensics").GetProperty("time_source").GetString())
            .Distinct()
            .ToList();

        Assert.Equal(["none"], sources);
        Assert.Equal(string.Empty, ReportWriter.ToTimesketch(report));
    }

    [Fact]
    public void The_ATTACK_table_names_every_technique_it_maps_to()
    {
        var table = AttackTechniques.Embedded;
        var mapped = table.Findings.Values.Concat(table.Launchers.Values).Concat(table.Verdicts.Values).SelectMany(ids => ids).ToList();

        Assert.Equal("MITRE ATT&CK", table.Framework);
        Assert.NotEmpty(mapped);
        Assert.All(mapped, id => Assert.True(table.Names.ContainsKey(id), $"{id} has no name"));
        Assert.All(table.Names.Keys, id => Assert.Matches(TechniqueId(), id));
        Assert.Equal(["T1053.005"], table.Launchers["scheduled-task"]);
        Assert.Equal(["T1547.001"], table.Launchers["run-key"]);
        Assert.Contains("T1036.005", table.Verdicts["fake"]);
    }
}
