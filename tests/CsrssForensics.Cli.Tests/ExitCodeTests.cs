using System.Text.Json;
using CsrssForensics.Cli.Commands;
using CsrssForensics.Core.Report;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Cli.Tests;

/// <summary>Every exit code, produced by running the real command (the table is in ExitCodes.cs and docs/exit-codes.md).</summary>
public sealed class ExitCodeTests
{
    public static TheoryData<string> Fixtures() =>
        [.. Directory.GetDirectories(TestEnvironment.PathOf("fixtures", "bundles")).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    [Fact]
    public void Each_overall_status_has_its_own_exit_code()
    {
        Assert.Equal(0, AnalyzeCommand.ExitCodeFor(OverallStatus.Clean));
        Assert.Equal(1, AnalyzeCommand.ExitCodeFor(OverallStatus.Compromised));
        Assert.Equal(2, AnalyzeCommand.ExitCodeFor(OverallStatus.Suspicious));
        Assert.Equal(3, AnalyzeCommand.ExitCodeFor(OverallStatus.Inconclusive));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Analyze_exits_with_the_code_of_the_reported_overall_status(string fixture)
    {
        var output = Path.Combine(CliRunner.TempDirectory(), "out");

        var (exit, stdout, stderr) = CliRunner.Run("analyze", TestEnvironment.PathOf("fixtures", "bundles", fixture), "--out", output, "--format", "json");

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        var status = Enum.Parse<OverallStatus>(json.RootElement.GetProperty("overallStatus").GetString()!, ignoreCase: true);
        Assert.True(AnalyzeCommand.ExitCodeFor(status) == exit, $"{fixture}: {status} but exit {exit}\n{stdout}\n{stderr}");
        Assert.StartsWith(status.ToString().ToUpperInvariant() + ":", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Suspicious_bundle_exits_2()
    {
        var (exit, stdout, _) = CliRunner.Run("analyze", TestEnvironment.PathOf("fixtures", "bundles", "tampered-after-manifest"), "--out", CliRunner.TempDirectory(), "--format", "json");

        Assert.Equal(2, exit);
        Assert.StartsWith("SUSPICIOUS:", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("analyze", "b", "--no-such-option")]
    [InlineData("verify")]
    [InlineData("verify", "--time", "yesterday", "x.dll")]
    [InlineData("bench", "--threads", "0")]
    [InlineData("analyze", "b", "--format", "")]
    [InlineData("analyze", "b", "--format", "md,docx")]
    public void Usage_errors_exit_64(params string[] args)
    {
        var (exit, stdout, stderr) = CliRunner.Run(args);

        Assert.True(exit == 64, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_rules_file_exits_65_naming_it()
    {
        var work = CliRunner.TempDirectory();
        var rules = Path.Combine(work, "rules.json");
        File.WriteAllText(rules, "{ not json");

        var (exit, _, stderr) = CliRunner.Run("analyze", TestEnvironment.PathOf("fixtures", "bundles", "csrsss-runkey"), "--rules", rules, "--out", Path.Combine(work, "out"));

        Assert.Equal(65, exit);
        Assert.StartsWith("error: rules.json:1:3: JSON syntax error", stderr, StringComparison.Ordinal);
        Assert.Contains("error: the rules files (--rules, --rules-overlay) are invalid", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(work, "out")), "the output folder this run created is removed when nothing was written");
    }

    [Fact]
    public void Bad_rules_are_reported_before_an_unreadable_bundle()
    {
        // The rules load while the bundle is read; the rules' problem still comes first, as when they loaded first.
        var work = CliRunner.TempDirectory();
        var rules = Path.Combine(work, "rules.json");
        File.WriteAllText(rules, "{ not json");
        var bundle = Path.Combine(work, "bundle.zip");
        File.WriteAllText(bundle, "not a zip archive");

        var (exit, _, stderr) = CliRunner.Run("analyze", bundle, "--rules", rules, "--out", Path.Combine(work, "out"));

        Assert.Equal(65, exit);
        Assert.StartsWith("error: rules.json:1:3: JSON syntax error", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("bundle.zip", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_rules_file_exits_65_naming_it()
    {
        var work = CliRunner.TempDirectory();
        var rules = Path.Combine(work, "nope.json");

        var (exit, _, stderr) = CliRunner.Run("analyze", TestEnvironment.PathOf("fixtures", "bundles", "csrsss-runkey"), "--rules", rules, "--out", Path.Combine(work, "out"));

        Assert.Equal(65, exit);
        Assert.Contains(rules, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_file_without_a_launcher_finding_exits_65_naming_the_code()
    {
        // Given a rules file written before LNC-TASK-HIDDEN had an entry (valid JSON, valid schema)
        var work = CliRunner.TempDirectory();
        var rules = Path.Combine(work, "rules.json");
        var document = System.Text.Json.Nodes.JsonNode.Parse(CsrssForensics.Rules.RuleSet.ReadEmbedded())!.AsObject();
        var findings = document["findings"]!.AsArray();
        findings.Remove(findings.Single(f => (string?)f!["code"] == "LNC-TASK-HIDDEN"));
        File.WriteAllText(rules, document.ToJsonString());

        var (exit, _, stderr) = CliRunner.Run("analyze", TestEnvironment.PathOf("fixtures", "bundles", "csrsss-runkey"), "--rules", rules, "--out", Path.Combine(work, "out"));

        Assert.Equal(65, exit);
        Assert.StartsWith("error: --rules", stderr, StringComparison.Ordinal);
        Assert.Contains("LNC-TASK-HIDDEN", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_memory_exits_70_with_one_line_and_no_stack_trace()
    {
        var bundle = OversizedBundle();

        var (exit, stdout, stderr) = CliRunner.RunWith(_smallHeap, "analyze", bundle, "--out", Path.Combine(CliRunner.TempDirectory(), "out"));

        Assert.True(exit == 70, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Equal("internal error: OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown; please report", stderr.TrimEnd());
    }

    [Fact]
    public void Internal_error_prints_the_stack_trace_only_when_asked()
    {
        var bundle = OversizedBundle();
        var environment = new Dictionary<string, string>(_smallHeap) { ["CSRSS_FORENSICS_DEBUG"] = "1" };

        var (exit, _, stderr) = CliRunner.RunWith(environment, "analyze", bundle, "--out", Path.Combine(CliRunner.TempDirectory(), "out"));

        Assert.Equal(70, exit);
        Assert.Contains("   at CsrssForensics.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_of_the_root_and_of_analyze_lists_the_exit_codes()
    {
        foreach (var args in new[] { new[] { "--help" }, ["analyze", "--help"], ["analyse", "--help"] })
        {
            var (exit, stdout, _) = CliRunner.Run(args);

            Assert.Equal(0, exit);
            foreach (var line in new[] { "0   clean", "1   compromised", "2   suspicious", "3   inconclusive", "64  usage error", "65  not a bundle", "70  internal error", "73  output folder" })
            {
                Assert.Contains(line, stdout, StringComparison.Ordinal);
            }
        }

        var verify = CliRunner.Run("verify", "--help");
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("65  a file or folder named could not be read", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyse_is_accepted_as_analyze()
    {
        var (exit, stdout, _) = CliRunner.Run("analyse", TestEnvironment.PathOf("fixtures", "bundles", "appdata-csrss-task"), "--out", CliRunner.TempDirectory(), "--format", "json");

        Assert.Equal(1, exit);
        Assert.StartsWith("COMPROMISED:", stdout, StringComparison.Ordinal);
    }

    // A 64 MiB GC heap: the 200 MB autoruns.json below is allocated in one piece and cannot fit (processes.csv and
    // files.csv are streamed row by row, so they no longer serve).
    private static readonly Dictionary<string, string> _smallHeap = new() { ["DOTNET_GCHeapHardLimit"] = "0x4000000" };

    private static string OversizedBundle()
    {
        var bundle = Path.Combine(CliRunner.TempDirectory(), "big");
        Directory.CreateDirectory(bundle);
        File.WriteAllText(Path.Combine(bundle, "manifest.json"), "{}");
        using var autoruns = new FileStream(Path.Combine(bundle, "autoruns.json"), FileMode.CreateNew);
        autoruns.SetLength(200L * 1024 * 1024); // sparse: nothing is written to disk
        return bundle;
    }
}
