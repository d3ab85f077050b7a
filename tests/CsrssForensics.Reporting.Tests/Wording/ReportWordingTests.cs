using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsrssForensics.Core.Report;
using CsrssForensics.Reporting.Wording;
using Json.Schema;

namespace CsrssForensics.Reporting.Tests.Wording;

/// <summary>The wording table (report-wording.json) and its one renderer.</summary>
public sealed partial class ReportWordingTests
{
    // Built once: the schema registry refuses a second schema with the same $id.
    private static readonly JsonSchema _schema =
        JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "report-wording.schema.json")));

    [Fact]
    public void The_table_validates_against_its_schema()
    {
        using var document = JsonDocument.Parse(ReportWording.ReadEmbedded());

        var result = _schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Fact]
    public void The_schema_rejects_an_entry_without_text()
    {
        var table = JsonNode.Parse(ReportWording.ReadEmbedded())!;
        table["items"]![0]!.AsObject().Remove("text");

        Assert.False(_schema.Evaluate(JsonDocument.Parse(table.ToJsonString()).RootElement).IsValid);
    }

    [Fact]
    public void Every_template_names_exactly_its_declared_parameters()
    {
        Assert.All(ReportWording.Entries.Values, entry =>
        {
            var named = Placeholder().Matches(entry.Text).Select(m => m.Groups["name"].Value).Distinct().Order(StringComparer.Ordinal);
            Assert.Equal<string>(entry.Params.Order(StringComparer.Ordinal), named);
        });
    }

    [Fact]
    public void Every_template_renders_with_all_its_parameters()
    {
        Assert.All(ReportWording.Entries.Values, entry =>
        {
            var text = ReportWording.Render(entry.Code, [.. entry.Params.Select(p => new ItemParameter(p, $"<{p}>"))]);
            Assert.DoesNotContain("{", text, StringComparison.Ordinal);
            Assert.DoesNotContain("[[", text, StringComparison.Ordinal);
            Assert.All(entry.Params, p => Assert.Contains($"<{p}>", text, StringComparison.Ordinal));
        });
    }

    [Fact]
    public void The_general_guidance_uses_every_guide_entry_and_only_those()
    {
        var guides = ReportWording.Entries.Keys.Where(c => c.StartsWith("GUIDE-", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

        Assert.Equal<string>(guides, GeneralAdvice.Codes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_optional_segment_is_written_only_when_its_parameter_has_a_value()
    {
        var withPids = ReportWording.Action("ACT-KEEP-GENUINE", @"C:\Windows\System32\csrss.exe", ("path", @"C:\Windows\System32\csrss.exe"), ("pids", "612, 700"));
        var withoutPids = ReportWording.Action("ACT-KEEP-GENUINE", @"C:\Windows\System32\csrss.exe", ("path", @"C:\Windows\System32\csrss.exe"), ("pids", null));

        Assert.Equal(@"Do not end, delete or quarantine C:\Windows\System32\csrss.exe (pid 612, 700): it is the genuine, Microsoft-signed Windows component.", withPids.Text);
        Assert.Equal(@"Do not end, delete or quarantine C:\Windows\System32\csrss.exe: it is the genuine, Microsoft-signed Windows component.", withoutPids.Text);
        Assert.Equal("do-not", withPids.Kind);
        Assert.Equal(["path", "pids"], withPids.Params.Select(p => p.Name));
        Assert.Equal(["path"], withoutPids.Params.Select(p => p.Name));
    }

    [Fact]
    public void A_parameter_value_is_inserted_as_it_is_even_when_it_looks_like_a_placeholder()
    {
        var line = ReportWording.Action("ACT-INVESTIGATE", null, ("path", "C:\\x\\{path}[[{pids}]].exe"));

        Assert.Equal("Investigate C:\\x\\{path}[[{pids}]].exe: check its signer, its launcher and the files beside it before acting.", line.Text);
    }

    [Fact]
    public void Unknown_codes_unknown_parameters_and_missing_values_are_refused()
    {
        Assert.Throws<InvalidOperationException>(() => ReportWording.Line("AFTER-NO-SUCH-LINE"));
        Assert.Throws<InvalidOperationException>(() => ReportWording.Action("ACT-INVESTIGATE", null, ("path", "x"), ("colour", "red")));
        Assert.Throws<InvalidOperationException>(() => ReportWording.Action("ACT-INVESTIGATE", null));
        Assert.Throws<InvalidOperationException>(() => ReportWording.Action("AFTER-FULL-SCAN", null));
    }

    [Fact]
    public void Json_carries_the_code_and_parameters_next_to_the_text()
    {
        var action = ReportWording.Action("ACT-COLLECT-BINARY", @"C:\A\x.exe", ("path", @"C:\A\x.exe"));
        var report = Support.SampleReports.Rich() with { Actions = [action], AfterCleanup = [ReportWording.Line("AFTER-FULL-SCAN")] };

        using var json = JsonDocument.Parse(ReportWriter.ToJson(report));
        var first = json.RootElement.GetProperty("actions")[0];

        Assert.Equal("ACT-COLLECT-BINARY", first.GetProperty("code").GetString());
        Assert.Equal(@"C:\A\x.exe", first.GetProperty("params").GetProperty("path").GetString());
        Assert.Equal(action.Text, first.GetProperty("text").GetString());
        Assert.Equal("AFTER-FULL-SCAN", json.RootElement.GetProperty("afterCleanup")[0].GetProperty("code").GetString());
    }

    [GeneratedRegex(@"\{(?<name>[^}]+)\}")]
    private static partial Regex Placeholder();
}
