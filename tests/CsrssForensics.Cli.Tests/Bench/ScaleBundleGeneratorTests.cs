using CsrssForensics.Bundle;
using CsrssForensics.Cli.Bench;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Cli.Tests.Bench;

/// <summary>The scale bench's generated bundles: sealed, the promised size, the same bytes every time, and judged.</summary>
public sealed class ScaleBundleGeneratorTests
{
    private static readonly ScaleSize _small = new("test", 200, 1_000, 40, 30);

    [Fact]
    public void A_generated_bundle_is_sealed_and_holds_the_rows_of_its_size()
    {
        var folder = Path.Combine(CliRunner.TempDirectory(), "bundle");

        ScaleBundleGenerator.Write(folder, _small);
        using var opened = BundleReader.Open(folder);

        Assert.Equal(IntegrityStatus.Verified, opened.Snapshot.Integrity.Status);
        Assert.Equal(200, opened.Snapshot.Processes.Length);
        Assert.Equal(1_000, opened.Snapshot.Files.Length);
        Assert.Equal(40, opened.Snapshot.Tasks.Length);
        Assert.Equal(30, opened.Snapshot.Autoruns.Length);
        Assert.DoesNotContain(opened.Snapshot.Anomalies, a => a.Code.StartsWith("BND", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_runs_write_the_same_bytes()
    {
        var root = CliRunner.TempDirectory();

        ScaleBundleGenerator.Write(Path.Combine(root, "a"), _small);
        ScaleBundleGenerator.Write(Path.Combine(root, "b"), _small);

        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "a", "manifest.json")), File.ReadAllBytes(Path.Combine(root, "b", "manifest.json")));
    }

    [Fact]
    public void The_reading_floor_touches_every_row_task_and_json_part()
    {
        var folder = Path.Combine(CliRunner.TempDirectory(), "bundle");
        ScaleBundleGenerator.Write(folder, _small);

        var counts = ReadingFloor.Read(folder);

        // Header rows included: 200 + 1 processes, 1,000 + 1 files.
        Assert.Equal(1_202, counts.CsvRows);
        Assert.Equal(40, counts.XmlDocuments);
        Assert.Equal(3, counts.JsonDocuments);
        Assert.Equal(2 + 2 + 40 + 1, counts.Files);
    }

    [Fact]
    public void The_planted_fakes_are_found_and_their_launchers_named()
    {
        var folder = Path.Combine(CliRunner.TempDirectory(), "bundle");
        ScaleBundleGenerator.Write(folder, _small);
        var host = new SyntheticHost(_small);

        var (exit, stdout, stderr) = CliRunner.Run("analyze", folder, "--out", Path.Combine(CliRunner.TempDirectory(), "out"), "--format", "md");

        Assert.True(exit == 1, stderr + stdout);
        for (var fake = 0; fake < _small.Fakes; fake++)
        {
            Assert.Contains($"fake         host-reported    file {host.FakePath(fake)}", stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("1k,5k", 2)]
    [InlineData("all", 4)]
    [InlineData(" 20K ", 1)]
    public void Size_lists_name_the_issue_sizes(string list, int count)
    {
        Assert.Equal(count, ScaleSize.Parse(list)?.Count);
    }

    [Fact]
    public void An_unknown_size_is_refused()
    {
        Assert.Null(ScaleSize.Parse("1k,7k"));
    }
}
