using System.IO.Compression;
using System.Security.Cryptography;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Cli.Tests;

public sealed class AnalyzeCommandTests
{
    private static string Bundle(string name) => TestEnvironment.PathOf("fixtures", "bundles", name);

    [Fact]
    public void Bundle_with_host_reported_signatures_only_exits_3_and_writes_the_four_reports_only_inside_the_output_folder()
    {
        var output = Path.Combine(CliRunner.TempDirectory(), "out");

        var (exit, stdout, _) = CliRunner.Run("analyze", Bundle("clean-two-sessions"), "--out", output);

        Assert.Equal(3, exit);
        Assert.StartsWith("INCONCLUSIVE:", stdout, StringComparison.Ordinal);
        Assert.Contains("inconclusive host-reported    process pid 612 C:\\Windows\\System32\\csrss.exe", stdout, StringComparison.Ordinal);
        Assert.Equal<string>(
            ["report.csv", "report.html", "report.json", "report.md"],
            Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!);
    }

    [Fact]
    public void Bundle_with_a_fake_exits_1()
    {
        var output = CliRunner.TempDirectory();

        var (exit, stdout, _) = CliRunner.Run("analyze", Bundle("appdata-csrss-task"), "--out", output, "--format", "json");

        Assert.Equal(1, exit);
        Assert.StartsWith("COMPROMISED:", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "report.json")));
        Assert.False(File.Exists(Path.Combine(output, "report.html")));
    }

    [Fact]
    public void Zipped_bundle_gives_the_same_json_as_the_directory()
    {
        var work = CliRunner.TempDirectory();
        var zip = Path.Combine(work, "bundle.zip");
        ZipFile.CreateFromDirectory(Bundle("fake-cpu-siblings"), zip);

        var fromZip = CliRunner.Run("analyze", zip, "--out", Path.Combine(work, "zip"), "--format", "json");
        var fromDirectory = CliRunner.Run("analyze", Bundle("fake-cpu-siblings"), "--out", Path.Combine(work, "dir"), "--format", "json");

        Assert.Equal(1, fromZip.ExitCode);
        Assert.Equal(1, fromDirectory.ExitCode);
        var zipJson = File.ReadAllText(Path.Combine(work, "zip", "report.json"));
        var dirJson = File.ReadAllText(Path.Combine(work, "dir", "report.json"));
        // Only the bundle's own name and the zip's hash may differ between the two forms.
        Assert.Equal(Strip(dirJson), Strip(zipJson));
    }

    [Fact]
    public void Evidence_is_not_modified_by_an_analysis()
    {
        var bundle = Bundle("appdata-csrss-task");
        var before = HashTree(bundle);

        CliRunner.Run("analyze", bundle, "--out", CliRunner.TempDirectory());

        Assert.Equal(before, HashTree(bundle));
    }

    [Fact]
    public void Missing_bundle_exits_65_with_a_clear_message()
    {
        var (exit, _, stderr) = CliRunner.Run("analyze", Path.Combine(CliRunner.TempDirectory(), "nope"), "--out", CliRunner.TempDirectory());

        Assert.Equal(65, exit);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_format_exits_64_and_lists_the_valid_formats()
    {
        var (exit, _, stderr) = CliRunner.Run("analyze", Bundle("clean-two-sessions"), "--format", "pdf", "--out", CliRunner.TempDirectory());

        Assert.Equal(64, exit);
        Assert.StartsWith("error: unknown format 'pdf'; valid formats: md, html, json, csv, jsonl, timesketch (or all)\n", stderr.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_error_exits_64_and_help_and_version_exit_0()
    {
        Assert.Equal(64, CliRunner.Run("analyze").ExitCode);
        var help = CliRunner.Run("--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("analyze", help.Output, StringComparison.Ordinal);
        var version = CliRunner.Run("--version");
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Output);
    }

    private static string Strip(string json) =>
        string.Join('\n', json.Split('\n').Where(line => !line.Contains("\"name\": \"", StringComparison.Ordinal) && !line.Contains("bundleSha256", StringComparison.Ordinal)));

    private static string HashTree(string root) =>
        string.Join('\n', Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetRelativePath(root, f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))} {File.GetLastWriteTimeUtc(f):O}"));
}
