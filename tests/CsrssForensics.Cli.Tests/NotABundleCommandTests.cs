using System.IO.Compression;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Cli.Tests;

/// <summary>What is not a bundle exits 65 with one line; a bundle in one top folder is analysed like the flat one.</summary>
public sealed class NotABundleCommandTests
{
    private const string Expected = "no manifest.json and none of processes.csv, files.csv, autoruns.json, host.json, com.json, programs.json, defender.json, browser-extensions.json, tasks/, binaries/, catalogs/, certstores/ at its top or in its single top folder";

    private static string Fixture(string name) => TestEnvironment.PathOf("fixtures", "bundles", name);

    [Fact]
    public void Empty_folder_exits_65_naming_what_was_expected()
    {
        var folder = CliRunner.TempDirectory();

        AssertNotABundle(folder);
    }

    [Fact]
    public void Folder_of_random_files_exits_65()
    {
        var folder = CliRunner.TempDirectory();
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "hello");
        Directory.CreateDirectory(Path.Combine(folder, "pictures"));
        File.WriteAllText(Path.Combine(folder, "pictures", "a.png"), "png");

        AssertNotABundle(folder);
    }

    [Fact]
    public void Empty_zip_exits_65()
    {
        var zip = Path.Combine(CliRunner.TempDirectory(), "empty.zip");
        using (ZipFile.Open(zip, ZipArchiveMode.Create))
        {
        }

        AssertNotABundle(zip);
    }

    [Fact]
    public void Zip_of_random_files_exits_65()
    {
        var work = CliRunner.TempDirectory();
        var source = Path.Combine(work, "random");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "a.txt"), "a");
        File.WriteAllText(Path.Combine(source, "b.txt"), "b");
        var zip = Path.Combine(work, "random.zip");
        ZipFile.CreateFromDirectory(source, zip);

        AssertNotABundle(zip);
    }

    [Fact]
    public void Path_that_does_not_exist_exits_65()
    {
        var path = Path.Combine(CliRunner.TempDirectory(), "nope");

        var (exit, _, stderr) = CliRunner.Run("analyze", path, "--out", Path.Combine(CliRunner.TempDirectory(), "out"));

        Assert.Equal(65, exit);
        Assert.Equal($"error: '{path}' does not exist.", stderr.TrimEnd());
    }

    [Fact]
    public void Plain_file_that_is_not_a_zip_exits_65()
    {
        var path = Path.Combine(CliRunner.TempDirectory(), "notes.txt");
        File.WriteAllText(path, "just text");

        var (exit, _, stderr) = CliRunner.Run("analyze", path, "--out", Path.Combine(CliRunner.TempDirectory(), "out"));

        Assert.Equal(65, exit);
        Assert.StartsWith($"error: '{path}' is neither a bundle folder nor a readable zip file", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Folder_holding_only_a_manifest_is_analysed_not_refused()
    {
        var folder = CliRunner.TempDirectory();
        File.Copy(Path.Combine(Fixture("csrsss-runkey"), "manifest.json"), Path.Combine(folder, "manifest.json"));
        var output = Path.Combine(CliRunner.TempDirectory(), "out");

        var (exit, _, stderr) = CliRunner.Run("analyze", folder, "--out", output, "--format", "json");

        Assert.True(exit is >= 0 and <= 3, $"exit {exit}: {stderr}");
        Assert.True(File.Exists(Path.Combine(output, "report.json")));
    }

    [Fact]
    public void Zip_with_the_bundle_in_one_top_folder_gives_the_verdicts_of_the_flat_zip()
    {
        var work = CliRunner.TempDirectory();
        var flat = Path.Combine(work, "flat.zip");
        var nested = Path.Combine(work, "csrsss-runkey.zip");
        ZipFile.CreateFromDirectory(Fixture("csrsss-runkey"), flat, CompressionLevel.Optimal, includeBaseDirectory: false);
        ZipFile.CreateFromDirectory(Fixture("csrsss-runkey"), nested, CompressionLevel.Optimal, includeBaseDirectory: true);

        AssertSameReport(work, flat, nested, "csrsss-runkey.zip/csrsss-runkey");
    }

    [Fact]
    public void Folder_with_the_bundle_in_one_top_folder_gives_the_verdicts_of_the_flat_folder()
    {
        var work = CliRunner.TempDirectory();
        var outer = Path.Combine(work, "outer");
        Copy(Fixture("csrsss-runkey"), Path.Combine(outer, "csrsss-runkey"));

        AssertSameReport(work, Fixture("csrsss-runkey"), outer, "outer/csrsss-runkey");
    }

    private static void AssertSameReport(string work, string flat, string nested, string nestedName)
    {
        var fromFlat = CliRunner.Run("analyze", flat, "--out", Path.Combine(work, "flat-out"), "--format", "json");
        var fromNested = CliRunner.Run("analyze", nested, "--out", Path.Combine(work, "nested-out"), "--format", "json");

        Assert.Equal(1, fromFlat.ExitCode);
        Assert.Equal(fromFlat.ExitCode, fromNested.ExitCode);
        var flatJson = File.ReadAllText(Path.Combine(work, "flat-out", "report.json"));
        var nestedJson = File.ReadAllText(Path.Combine(work, "nested-out", "report.json"));
        Assert.Contains($"\"name\": \"{nestedName}\"", nestedJson, StringComparison.Ordinal);

        // Evidence paths are relative to the bundle's root in both: only the bundle's name and the zip's hash differ.
        Assert.Equal(Strip(flatJson), Strip(nestedJson));
        Assert.Contains("\"bundleFile\": \"processes.csv\"", nestedJson, StringComparison.Ordinal);
    }

    private static void AssertNotABundle(string path)
    {
        var output = Path.Combine(CliRunner.TempDirectory(), "out");

        var (exit, stdout, stderr) = CliRunner.Run("analyze", path, "--out", output);

        Assert.Equal(65, exit);
        Assert.Empty(stdout);
        Assert.Equal($"error: '{path}' is not a bundle: {Expected}.", stderr.TrimEnd());
        Assert.False(Directory.Exists(output), "no report folder is left behind for what is not a bundle");
    }

    private static string Strip(string json) =>
        string.Join('\n', json.Split('\n').Where(line => !line.Contains("\"name\": \"", StringComparison.Ordinal) && !line.Contains("bundleSha256", StringComparison.Ordinal)));

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
