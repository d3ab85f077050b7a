using System.Globalization;
using CsrssForensics.Analysis;
using CsrssForensics.Fleet.Batch;
using CsrssForensics.Fleet.CaseStore;
using CsrssForensics.Fleet.Generation;
using CsrssForensics.Reporting;
using DuckDB.NET.Data;

namespace CsrssForensics.Fleet.Tests;

/// <summary>
/// A binary several hosts share is verified once per case: once in a run, and not again when a later run adds bundles
/// to the same case file (the result is read back from it). Real bundles on disk and a real DuckDB file.
/// </summary>
public sealed class SharedResultsReuseTests : IDisposable
{
    private const int Hosts = 3;
    private const string FakePath = @"C:\ProgramData\WinSvc\csrss.exe";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "fleet-reuse-" + Guid.NewGuid().ToString("N"));

    public SharedResultsReuseTests()
    {
        // Three hosts with the same planted bytes (copied), as in a campaign.
        var bytes = FleetGenerator.FakeBytes(PlantedFake.ProgramDataLookAlikeService);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        for (int i = 0; i < Hosts; i++)
        {
            var name = "HOST-" + i.ToString(CultureInfo.InvariantCulture);
            var host = new GeneratedHost(name, new DateTimeOffset(2026, 11, 20, 8, i, 0, TimeSpan.Zero));
            host.Process(6100, 3000, "csrss.exe", FakePath, FakePath, 1, @"CORP\user");
            host.File(FakePath, sha, bytes.Length, null, bytes, "process-image");
            host.Write(Path.Combine(_root, "bundles", name));
        }
    }

    private string CasePath => Path.Combine(_root, "case.duckdb");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_binary_copied_on_several_hosts_is_verified_once_in_a_run()
    {
        var result = Run("first");

        Assert.Equal(1, result.Summary.BinariesVerified);
        Assert.Equal(Hosts - 1, result.Summary.BinariesReused);
        Assert.Equal(0, result.Summary.BinariesReusedFromCase);
    }

    [Fact]
    public void A_second_run_into_the_same_case_reuses_the_stored_result_and_reports_the_same()
    {
        var first = Run("first");
        var second = Run("second");

        Assert.Equal(0, second.Summary.BinariesVerified);
        Assert.Equal(Hosts, second.Summary.BinariesReused);
        Assert.Equal(Hosts, second.Summary.BinariesReusedFromCase);
        Assert.All(first.Summary.Hosts, h => Assert.Equal(HostStatus.Compromised, h.Status));
        foreach (var host in first.Summary.Hosts)
        {
            var again = second.Summary.Hosts.Single(h => h.HostName == host.HostName);
            Assert.Equal(
                File.ReadAllBytes(Path.Combine(_root, "first", host.ReportFolder!, "report.json")),
                File.ReadAllBytes(Path.Combine(_root, "second", again.ReportFolder!, "report.json")));
        }

        var rows = CaseDatabase.Query(CasePath, "SELECT count(*), count(result_json) FROM signatures", 10).Rows[0];
        Assert.Equal((1L, 1L), (Convert.ToInt64(rows[0], CultureInfo.InvariantCulture), Convert.ToInt64(rows[1], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_result_stored_by_another_analyzer_build_is_verified_again()
    {
        Run("first");
        using (var connection = new DuckDBConnection($"Data Source={CasePath}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE signatures SET analyzer = 'an older build'";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var second = Run("second");

        Assert.Equal(1, second.Summary.BinariesVerified);
        Assert.Equal(0, second.Summary.BinariesReusedFromCase);
    }

    [Fact]
    public void A_damaged_stored_result_is_verified_again()
    {
        Run("first");
        using (var connection = new DuckDBConnection($"Data Source={CasePath}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE signatures SET result_json = '{\"sha256\": [1, 2'";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var second = Run("second");

        Assert.Equal(1, second.Summary.BinariesVerified);
        Assert.Equal(0, second.Summary.BinariesReusedFromCase);
    }

    private FleetResult Run(string output) =>
        FleetRunner.Run(
            BundleInputs.Expand([Path.Combine(_root, "bundles")]),
            new FleetOptions(Path.Combine(_root, output), ReportFormats.Json, AnalysisOptions.Default, CasePath) { MaxParallel = 1 },
            new NullProgress());

    private sealed class NullProgress : IFleetProgress
    {
        public void Started(int total)
        {
        }

        public void Finished(FleetProgressUpdate update)
        {
        }
    }
}
