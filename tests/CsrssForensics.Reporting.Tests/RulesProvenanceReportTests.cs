using System.Text.Json;
using CsrssForensics.Core.Report;
using CsrssForensics.Reporting.Tests.Support;
using Json.Schema;

namespace CsrssForensics.Reporting.Tests;

/// <summary>A report made with custom rules names them (file and SHA-256) in every format; one made without has no trace of it.</summary>
public sealed class RulesProvenanceReportTests
{
    private const string Sha = "148e67a2222fa13ea13ab4102cabf47d79143009be9f926a115b39eba5406bb2";
    private const string HostileName = "<script>alert(1)</script>.json";

    // A private registry: JsonReportTests builds the same schema ($id) in the global one.
    private static readonly JsonSchema _schema = JsonSchema.FromText(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "report.schema.json")),
        new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    private static AnalysisReport WithRules(RulesProvenance rules)
    {
        var report = SampleReports.Rich();
        return report with { Tool = report.Tool with { Rules = rules } };
    }

    private static RulesProvenance Overlay(string name) =>
        new(null, [new RulesFileInfo(name, "miner-in-temp", Sha)]);

    [Fact]
    public void Json_names_each_overlay_with_its_hash_and_still_validates_against_the_schema()
    {
        var json = ReportWriter.ToJson(WithRules(Overlay("miner-in-temp.overlay.json")));
        var badHash = ReportWriter.ToJson(WithRules(new RulesProvenance(null, [new RulesFileInfo("a.json", null, "not-a-hash")])));

        using var document = JsonDocument.Parse(json);
        using var badDocument = JsonDocument.Parse(badHash);
        Assert.True(_schema.Evaluate(document.RootElement).IsValid);
        Assert.False(_schema.Evaluate(badDocument.RootElement).IsValid);
        var overlay = document.RootElement.GetProperty("tool").GetProperty("rules").GetProperty("overlays")[0];
        Assert.Equal("miner-in-temp.overlay.json", overlay.GetProperty("name").GetString());
        Assert.Equal(Sha, overlay.GetProperty("sha256").GetString());
    }

    [Fact]
    public void Built_in_rules_leave_no_rules_property_in_the_json()
    {
        using var document = JsonDocument.Parse(ReportWriter.ToJson(SampleReports.Rich()));

        Assert.False(document.RootElement.GetProperty("tool").TryGetProperty("rules", out _));
    }

    [Fact]
    public void Markdown_lists_the_replacement_and_the_overlays()
    {
        var markdown = ReportWriter.ToMarkdown(WithRules(new RulesProvenance(new RulesFileInfo("site.json", null, Sha), Overlay("a.json").Overlays)));

        Assert.Contains($"**Rules:** replaced by site.json (SHA-256 {Sha})", markdown, StringComparison.Ordinal);
        Assert.Contains($"**Rules overlay:** a.json (SHA-256 {Sha})", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("**Rules", ReportWriter.ToMarkdown(SampleReports.Rich()), StringComparison.Ordinal);
    }

    [Fact]
    public void Html_lists_the_replacement_and_the_overlays()
    {
        var html = ReportWriter.ToHtml(WithRules(new RulesProvenance(new RulesFileInfo("site.json", null, Sha), Overlay("a.json").Overlays)));

        Assert.Contains($"Rules replaced by site.json (SHA-256 {Sha})", html, StringComparison.Ordinal);
        Assert.Contains($"Rules overlay a.json (SHA-256 {Sha})", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Rules overlay", ReportWriter.ToHtml(SampleReports.Rich()), StringComparison.Ordinal);
    }

    [Fact]
    public void An_overlay_file_name_cannot_inject_html()
    {
        var html = ReportWriter.ToHtml(WithRules(Overlay(HostileName)));

        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("alert(1)", html, StringComparison.Ordinal);
    }
}
