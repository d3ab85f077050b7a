using System.Security.Cryptography;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Cli.Tests;

/// <summary>--out: never a silent overwrite, never inside the evidence, problems found before the analysis (exit 73).</summary>
public sealed class OutputFolderTests
{
    private static string Fixture(string name) => TestEnvironment.PathOf("fixtures", "bundles", name);

    [Fact]
    public void Folder_holding_reports_is_refused_without_force_and_names_the_folder_and_force()
    {
        var output = CliRunner.TempDirectory();
        File.WriteAllText(Path.Combine(output, "report.json"), "earlier run");

        var (exit, stdout, stderr) = CliRunner.Run("analyze", Fixture("csrsss-runkey"), "--out", output);

        Assert.Equal(73, exit);
        Assert.Empty(stdout);
        Assert.Contains($"'{output}'", stderr, StringComparison.Ordinal);
        Assert.Contains("--force", stderr, StringComparison.Ordinal);
        Assert.Equal("earlier run", File.ReadAllText(Path.Combine(output, "report.json")));
    }

    [Fact]
    public void Force_replaces_the_reports_and_removes_stale_formats_but_nothing_else()
    {
        var output = CliRunner.TempDirectory();
        foreach (var name in new[] { "report.md", "report.html", "report.json", "report.csv", "report.jsonl", "report.timesketch.jsonl", "report.md.bak", "notes.txt" })
        {
            File.WriteAllText(Path.Combine(output, name), "earlier run");
        }

        var (exit, _, stderr) = CliRunner.Run("analyze", Fixture("csrsss-runkey"), "--out", output, "--format", "json,csv", "--force");

        Assert.True(exit == 1, stderr);
        Assert.Equal<string>(
            ["notes.txt", "report.csv", "report.json", "report.md.bak"],
            Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!);
        Assert.NotEqual("earlier run", File.ReadAllText(Path.Combine(output, "report.json")));
        Assert.Equal("earlier run", File.ReadAllText(Path.Combine(output, "notes.txt")));
    }

    [Fact]
    public void Folder_without_reports_is_used_as_is()
    {
        var output = CliRunner.TempDirectory();
        File.WriteAllText(Path.Combine(output, "case-notes.txt"), "mine");

        var (exit, _, _) = CliRunner.Run("analyze", Fixture("csrsss-runkey"), "--out", output, "--format", "md");

        Assert.Equal(1, exit);
        Assert.Equal<string>(["case-notes.txt", "report.md"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!);
    }

    [Theory]
    [InlineData("")]
    [InlineData("reports")]
    [InlineData("deeper/reports")]
    public void Out_inside_or_equal_to_the_bundle_folder_is_refused_even_with_force(string inside)
    {
        var bundle = CopyOfFixture("csrsss-runkey");
        var before = HashTree(bundle);

        var (exit, _, stderr) = CliRunner.Run("analyze", bundle, "--out", Path.Combine(bundle, inside), "--force");

        Assert.Equal(73, exit);
        Assert.Contains("inside the bundle folder", stderr, StringComparison.Ordinal);
        Assert.Equal(before, HashTree(bundle));
    }

    [Fact]
    public void Out_reaching_into_the_bundle_through_a_symbolic_link_is_refused()
    {
        var bundle = CopyOfFixture("csrsss-runkey");
        var link = Path.Combine(CliRunner.TempDirectory(), "link");
        Directory.CreateSymbolicLink(link, bundle);
        var before = HashTree(bundle);

        var (exit, _, stderr) = CliRunner.Run("analyze", bundle, "--out", Path.Combine(link, "reports"));

        Assert.Equal(73, exit);
        Assert.Contains("inside the bundle folder", stderr, StringComparison.Ordinal);
        Assert.Equal(before, HashTree(bundle));
    }

    [Fact]
    public void Out_that_is_a_file_is_refused_before_the_bundle_is_even_opened()
    {
        var work = CliRunner.TempDirectory();
        var file = Path.Combine(work, "report-folder");
        File.WriteAllText(file, "a file");

        // The bundle does not exist: 73 rather than 65 shows --out was checked first.
        var (exit, _, stderr) = CliRunner.Run("analyze", Path.Combine(work, "no-bundle"), "--out", file);

        Assert.Equal(73, exit);
        Assert.Contains("is a file, not a folder", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_that_cannot_be_created_is_refused_before_the_analysis()
    {
        var work = CliRunner.TempDirectory();
        var file = Path.Combine(work, "a-file");
        File.WriteAllText(file, "a file");

        var (exit, stdout, stderr) = CliRunner.Run("analyze", Fixture("csrsss-runkey"), "--out", Path.Combine(file, "reports"));

        Assert.Equal(73, exit);
        Assert.Empty(stdout);
        Assert.Contains("cannot be created or written to", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_name_taken_by_a_folder_is_refused_even_with_force()
    {
        var output = CliRunner.TempDirectory();
        Directory.CreateDirectory(Path.Combine(output, "report.html"));

        var (exit, _, stderr) = CliRunner.Run("analyze", Fixture("csrsss-runkey"), "--out", output, "--force");

        Assert.Equal(73, exit);
        Assert.Contains("folder named report.html", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_that_is_a_symbolic_link_is_refused_and_its_target_stays_untouched()
    {
        // Given --out is a link to a folder elsewhere (not the bundle)
        var work = CliRunner.TempDirectory();
        var target = Path.Combine(work, "somewhere-else");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "keep.txt"), "mine");
        var link = Path.Combine(work, "out-link");
        Directory.CreateSymbolicLink(link, target);

        var (exit, stdout, stderr) = CliRunner.Run("analyze", Fixture("csrsss-runkey"), "--out", link, "--force");

        Assert.Equal(73, exit);
        Assert.Empty(stdout);
        Assert.Contains("is a symbolic link", stderr, StringComparison.Ordinal);
        Assert.Contains("somewhere-else", stderr, StringComparison.Ordinal);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));
    }

    [Fact]
    public void Report_file_that_is_a_link_needs_force_and_is_then_replaced_not_followed()
    {
        // Given report.json and report.md (a stale format) are links to files outside --out
        var work = CliRunner.TempDirectory();
        var victim = Path.Combine(work, "victim.txt");
        File.WriteAllText(victim, "keep me");
        var output = Path.Combine(work, "out");
        Directory.CreateDirectory(output);
        File.CreateSymbolicLink(Path.Combine(output, "report.json"), victim);
        File.CreateSymbolicLink(Path.Combine(output, "report.md"), victim);

        var (refusedExit, _, refusedError) = CliRunner.Run("analyze", Fixture("csrsss-runkey"), "--out", output, "--format", "json");
        var (exit, _, stderr) = CliRunner.Run("analyze", Fixture("csrsss-runkey"), "--out", output, "--format", "json", "--force");

        Assert.Equal(73, refusedExit);
        Assert.Contains("--force", refusedError, StringComparison.Ordinal);
        Assert.True(exit == 1, stderr);
        Assert.Equal("keep me", File.ReadAllText(victim));
        Assert.Equal(["report.json"], Directory.GetFileSystemEntries(output).Select(Path.GetFileName));
        Assert.Null(new FileInfo(Path.Combine(output, "report.json")).LinkTarget);
        Assert.StartsWith("{", File.ReadAllText(Path.Combine(output, "report.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_named_report_csv_leaves_the_earlier_reports_whole_and_no_partial_file()
    {
        // Given an earlier run's report.md and a folder named report.csv
        var output = CliRunner.TempDirectory();
        File.WriteAllText(Path.Combine(output, "report.md"), "earlier run");
        Directory.CreateDirectory(Path.Combine(output, "report.csv"));

        var (exit, _, stderr) = CliRunner.Run("analyze", Fixture("csrsss-runkey"), "--out", output, "--force");

        Assert.Equal(73, exit);
        Assert.Contains("folder named report.csv", stderr, StringComparison.Ordinal);
        Assert.Equal(["report.csv", "report.md"], Directory.GetFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("earlier run", File.ReadAllText(Path.Combine(output, "report.md")));
    }

    private static string CopyOfFixture(string name)
    {
        var target = Path.Combine(CliRunner.TempDirectory(), name);
        var source = Fixture(name);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return target;
    }

    private static string HashTree(string root) =>
        string.Join('\n', Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => File.Exists(f) ? $"{Path.GetRelativePath(root, f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}" : Path.GetRelativePath(root, f)));
}
