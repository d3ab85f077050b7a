using System.Security.Cryptography;
using System.Text.Json;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Cli.Tests;

public sealed class RulesCommandTests
{
    private static readonly string _example = TestEnvironment.PathOf("docs", "examples", "miner-in-temp.overlay.json");

    private static string Write(string name, string text)
    {
        var path = Path.Combine(CliRunner.TempDirectory(), name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Rules_list_shows_each_rule_with_its_source_and_the_overlay_hash()
    {
        var (exit, stdout, stderr) = CliRunner.Run("rules", "list", "--rules-overlay", _example);

        Assert.True(exit == 0, stderr);
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(_example)));
        Assert.Contains($"overlay miner-in-temp.overlay.json (sha256 {sha})", stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^ID +KIND +SEVERITY +SOURCE$", stdout);
        Assert.Matches(@"(?m)^USR-MINER-TEMP +finding +High +overlay miner-in-temp\.overlay\.json$", stdout);
        Assert.Matches(@"(?m)^csrss\.exe +core-process +- +built-in$", stdout);
    }

    [Fact]
    public void Rules_show_prints_the_rule_and_its_source_and_an_unknown_id_is_a_usage_error()
    {
        var (exit, stdout, _) = CliRunner.Run("rules", "show", "minerCpuPercent", "--rules-overlay", _example);
        var (unknownExit, _, unknownError) = CliRunner.Run("rules", "show", "NO-SUCH-RULE");

        Assert.Equal(0, exit);
        Assert.Contains("source: overlay miner-in-temp.overlay.json", stdout, StringComparison.Ordinal);
        Assert.Contains("\"value\": 50", stdout, StringComparison.Ordinal);
        Assert.Equal(64, unknownExit);
        Assert.Contains("no rule with id 'NO-SUCH-RULE'", unknownError, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_show_prints_a_leaf_reason_code_and_finds_the_leaf_by_it()
    {
        var (byId, byIdOut, _) = CliRunner.Run("rules", "show", "CORE-015");
        var (byCode, byCodeOut, _) = CliRunner.Run("rules", "show", "REASON-KERNEL-SYSTEM");

        Assert.Equal(0, byId);
        Assert.Equal(0, byCode);
        Assert.Contains("reason code: REASON-KERNEL-SYSTEM", byIdOut, StringComparison.Ordinal);
        Assert.Contains("\"reasonCode\": \"REASON-KERNEL-SYSTEM\"", byIdOut, StringComparison.Ordinal);
        Assert.StartsWith("CORE-015 (verdict, legitimate)", byCodeOut, StringComparison.Ordinal);
        Assert.Equal(byIdOut, byCodeOut);
    }

    [Fact]
    public void Control_characters_from_an_overlay_are_escaped_on_the_terminal()
    {
        var overlay = Write("esc\u001b[2K.json", """
            { "overlaySchemaVersion": 1, "name": "esc", "description": "d",
              "findings": { "add": [ { "code": "USR-ESC", "severity": "Low", "title": "\u001b[2Khidden\u202e", "detail": "d", "evidence": [], "references": ["DESIGN"] } ] } }
            """);

        var (exit, stdout, _) = CliRunner.Run("rules", "show", "USR-ESC", "--rules-overlay", overlay);

        Assert.Equal(0, exit);
        Assert.DoesNotContain('\u001b', stdout);
        Assert.DoesNotContain('\u202e', stdout);
        Assert.Contains("source: overlay esc<U+001B>[2K.json", stdout, StringComparison.Ordinal);
        Assert.Contains("\"title\": \"\\u001B[2Khidden<U+202E>\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_overlay_exits_65_naming_the_file_line_and_column_for_every_problem()
    {
        var overlay = Write("wrong.json", "{\n  \"overlaySchemaVersion\": 1,\n  \"name\": \"wrong name!\",\n  \"description\": \"d\",\n  \"findings\": { \"disable\": [\"USR-NONE\"] },\n  \"colour\": \"red\"\n}\n");
        var output = Path.Combine(CliRunner.TempDirectory(), "out");

        var (exit, _, stderr) = CliRunner.Run("analyze", TestEnvironment.PathOf("fixtures", "bundles", "clean-two-sessions"), "--out", output, "--rules-overlay", overlay);

        Assert.Equal(65, exit);
        Assert.Contains("error: wrong.json:6:3: /colour: ", stderr, StringComparison.Ordinal);
        Assert.Contains("error: wrong.json:3:3: /name: ", stderr, StringComparison.Ordinal);
        Assert.Contains("error: the rules files (--rules, --rules-overlay) are invalid: 2 problem(s) above", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), "the output folder the run created is removed again");
    }

    [Fact]
    public void Analyze_with_an_overlay_records_it_with_its_hash_in_the_report()
    {
        var output = CliRunner.TempDirectory();

        var (exit, _, stderr) = CliRunner.Run("analyze", TestEnvironment.PathOf("fixtures", "bundles", "clean-two-sessions"), "--out", output, "--format", "json", "--rules-overlay", _example);

        Assert.True(exit is 0 or 1 or 2 or 3, stderr);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        var rules = report.RootElement.GetProperty("tool").GetProperty("rules");
        Assert.Equal(JsonValueKind.Null, rules.GetProperty("replacement").ValueKind);
        var overlay = Assert.Single(rules.GetProperty("overlays").EnumerateArray().ToList());
        Assert.Equal("miner-in-temp.overlay.json", overlay.GetProperty("name").GetString());
        Assert.Equal("miner-in-temp", overlay.GetProperty("overlayName").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(_example))), overlay.GetProperty("sha256").GetString());
    }

    [Fact]
    public void Rules_graph_writes_one_mermaid_file_per_tree()
    {
        var output = CliRunner.TempDirectory();

        var (exit, stdout, _) = CliRunner.Run("rules", "graph", "--out", output);

        Assert.Equal(0, exit);
        var files = Directory.GetFiles(output, "decision-tree.*.mmd");
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Contains("flowchart TD\n", File.ReadAllText(f), StringComparison.Ordinal));
        Assert.Equal(files.Length, stdout.Split('\n').Count(l => l.StartsWith("wrote ", StringComparison.Ordinal)));
    }
}
