using System.Text.Json;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Cli.Tests;

/// <summary><c>--format jsonl,timesketch</c> and <c>all</c> from the command line.</summary>
public sealed class EventFormatCommandTests
{
    private static string Bundle(string name) => TestEnvironment.PathOf("fixtures", "bundles", name);

    [Fact]
    public void Jsonl_and_timesketch_write_only_their_two_files_one_JSON_object_per_line()
    {
        var output = Path.Combine(CliRunner.TempDirectory(), "out");

        var (exit, _, stderr) = CliRunner.Run("analyze", Bundle("appdata-csrss-task"), "--out", output, "--format", "jsonl,timesketch", "--quiet");

        Assert.True(exit == 1, stderr);
        Assert.Equal<string>(
            ["report.jsonl", "report.timesketch.jsonl"],
            Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!);
        foreach (var file in Directory.GetFiles(output))
        {
            var lines = File.ReadAllLines(file);
            Assert.NotEmpty(lines);
            Assert.All(lines, line => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind));
        }
    }

    [Fact]
    public void All_writes_the_six_reports()
    {
        var output = Path.Combine(CliRunner.TempDirectory(), "out");

        var (exit, _, stderr) = CliRunner.Run("analyze", Bundle("clean-two-sessions"), "--out", output, "--format", "all", "--quiet");

        Assert.True(exit == 3, stderr);
        Assert.Equal<string>(
            ["report.csv", "report.html", "report.json", "report.jsonl", "report.md", "report.timesketch.jsonl"],
            Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!);
    }
}
