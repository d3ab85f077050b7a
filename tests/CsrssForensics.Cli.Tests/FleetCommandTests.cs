using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Cli.Tests;

/// <summary>analyze over several bundles, and query on the case it writes, through the real CLI process.</summary>
public sealed class FleetCommandTests : IDisposable
{
    private readonly string _out = CliRunner.TempDirectory();

    public void Dispose() => Directory.Delete(_out, recursive: true);

    private static string Fixture(string name) => TestEnvironment.PathOf("fixtures", "bundles", name);

    [Fact]
    public void A_batch_exits_with_the_worst_outcome_and_goes_on_past_an_unreadable_bundle()
    {
        var output = Path.Combine(_out, "fleet");

        var (code, stdout, stderr) = CliRunner.Run(
            "analyze", Fixture("appdata-csrss-task"), Fixture("clean-two-sessions"), Path.Combine(_out, "missing.zip"), "--out", output);

        Assert.Equal(1, code);
        Assert.StartsWith("FLEET: 3 bundles (1 compromised, 1 unreadable, 1 inconclusive)", stdout, StringComparison.Ordinal);
        Assert.Contains("[3/3]", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "hosts", "WS-0142_20261120T081500Z", "report.html")), stdout);
        Assert.True(File.Exists(Path.Combine(output, "case.duckdb")));
        Assert.True(File.Exists(Path.Combine(output, "fleet.html")));
    }

    [Fact]
    public void Unreadable_is_worse_than_suspicious_inconclusive_and_clean()
    {
        var (code, stdout, _) = CliRunner.Run(
            "analyze", Fixture("clean-two-sessions"), Path.Combine(_out, "missing"), "--out", Path.Combine(_out, "fleet"), "--quiet");

        Assert.Equal(65, code);
        Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_second_batch_into_the_same_output_needs_force_and_never_overwrites_a_host_folder()
    {
        var output = Path.Combine(_out, "fleet");
        string[] args = ["analyze", Fixture("appdata-csrss-task"), Fixture("clean-two-sessions"), "--out", output, "--quiet"];
        Assert.Equal(1, CliRunner.Run(args).ExitCode);

        Assert.Equal(73, CliRunner.Run(args).ExitCode);
        Assert.Equal(1, CliRunner.Run([.. args, "--force"]).ExitCode);

        Assert.True(Directory.Exists(Path.Combine(output, "hosts", "WS-0142_20261120T081500Z-2")));
    }

    [Fact]
    public void Query_prints_csv_and_json_from_the_case_and_re_adding_does_not_duplicate()
    {
        var casePath = Path.Combine(_out, "case.duckdb");
        string[] args = ["analyze", Fixture("appdata-csrss-task"), Fixture("clean-two-sessions"), "--case", casePath, "--quiet"];
        CliRunner.Run([.. args, "--out", Path.Combine(_out, "a")]);
        CliRunner.Run([.. args, "--out", Path.Combine(_out, "b")]);

        var (code, csv, _) = CliRunner.Run("query", casePath, "SELECT hostname, overall_status FROM bundles ORDER BY hostname", "--format", "csv");
        Assert.Equal(0, code);
        Assert.Equal(3, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("WS-0142,compromised", csv, StringComparison.Ordinal);

        var (_, json, _) = CliRunner.Run("query", casePath, "SELECT count(*) AS n FROM verdicts WHERE verdict = 'fake'", "--format", "json");
        Assert.Matches("\"n\": [1-9]", json);

        var (bad, _, error) = CliRunner.Run("query", casePath, "SELECT nope FROM nowhere");
        Assert.Equal(65, bad);
        Assert.StartsWith("error: query failed", error, StringComparison.Ordinal);
    }
}
