using System.Text.RegularExpressions;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Cli.Tests;

/// <summary>The bench command's output, not its speed: speed is read from its figures, never asserted in a test.</summary>
public sealed partial class BenchCommandTests
{
    [Fact]
    public void Bench_over_the_committed_pe_fixtures_reports_every_file_and_where_the_time_went()
    {
        string folder = CliRunner.TempDirectory();
        foreach (string name in new[] { "sig-System.AppContext.dll", "sig-System.Buffers.dll", "pe-System.Web.dll" })
        {
            File.Copy(TestEnvironment.PathOf("fixtures", "pe", name), Path.Combine(folder, name));
        }

        // A byte-identical copy under another name: hashed again, its signature outcome reused.
        File.Copy(TestEnvironment.PathOf("fixtures", "pe", "sig-System.Buffers.dll"), Path.Combine(folder, "copy-of-buffers.dll"));

        var (exit, stdout, stderr) = CliRunner.Run("bench", folder, "--rounds", "1", "--threads", "1");

        Assert.True(exit == 0, stderr);
        Assert.Contains("files: 4 PE files", stdout, StringComparison.Ordinal);
        Assert.Matches(RatioLine(), stdout);
        Assert.Contains("byte-identical copies of a file verified before (hashed, signature outcome reused): 1", stdout, StringComparison.Ordinal);
        Assert.Contains("streaming: the largest file", stdout, StringComparison.Ordinal);
        Match verdicts = VerdictLine().Match(stdout);
        Assert.True(verdicts.Success, stdout);
        Assert.Equal(4, verdicts.Groups["count"].Captures.Sum(static c => int.Parse(c.Value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Bench_refuses_zero_rounds_as_a_usage_error()
    {
        var (exit, _, stderr) = CliRunner.Run("bench", CliRunner.TempDirectory(), "--rounds", "0");

        Assert.Equal(64, exit);
        Assert.Contains("--rounds", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_of_a_missing_folder_exits_65()
    {
        var (exit, _, stderr) = CliRunner.Run("bench", Path.Combine(CliRunner.TempDirectory(), "nope"));

        Assert.Equal(65, exit);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"plain SHA-256 \(1 threads?\): [0-9.]+ s, [0-9]+ MB/s; ratio verify/sha256 = [0-9.]+")]
    private static partial Regex RatioLine();

    [GeneratedRegex(@"verdicts: (?:[a-z-]+=(?<count>[0-9]+)(?:, )?)+")]
    private static partial Regex VerdictLine();
}
