using System.Text.Json;
using CsrssForensics.Analysis;
using CsrssForensics.Fleet.Batch;
using CsrssForensics.Fleet.CaseStore;
using CsrssForensics.Fleet.Generation;
using CsrssForensics.Reporting;

namespace CsrssForensics.Fleet.Tests;

/// <summary>End to end on a generated fleet: real bundles on disk, a real DuckDB case file, the summary files.</summary>
public sealed class FleetRunTests : IDisposable
{
    private const int Hosts = 10;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "fleet-run-" + Guid.NewGuid().ToString("N"));
    private readonly IReadOnlyList<PlantedHost> _planted;

    public FleetRunTests()
    {
        _planted = FleetGenerator.Generate(Path.Combine(_root, "bundles"), Hosts);
        File.WriteAllText(Path.Combine(_root, "bundles", "broken.zip"), "not a zip");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private FleetResult Run(string output, string? casePath = null)
    {
        var inputs = BundleInputs.Expand([Path.Combine(_root, "bundles")]);
        var options = new FleetOptions(Path.Combine(_root, output), ReportFormats.All, AnalysisOptions.Default, casePath ?? Path.Combine(_root, output, "case.duckdb"));
        return FleetRunner.Run(inputs, options, new RecordingProgress());
    }

    [Fact]
    public void Every_bundle_gets_its_report_folder_and_the_unreadable_one_does_not_stop_the_rest()
    {
        var result = Run("out");

        Assert.Equal(Hosts + 1, result.Summary.Bundles);
        var broken = Assert.Single(result.Summary.Hosts, h => h.Status == HostStatus.Unreadable);
        Assert.Equal("broken.zip", broken.InputName);
        Assert.Null(broken.ReportFolder);
        foreach (var host in result.Summary.Hosts.Where(h => h.Status != HostStatus.Unreadable))
        {
            Assert.True(File.Exists(Path.Combine(_root, "out", host.ReportFolder!, "report.json")), host.ReportFolder);
        }

        Assert.Empty(Directory.GetDirectories(Path.Combine(_root, "out", "hosts"), ".partial-*"));
    }

    [Fact]
    public void The_planted_host_is_first_and_its_fake_hash_is_among_the_rarest_values()
    {
        var result = Run("out");

        var planted = Assert.Single(_planted);
        Assert.Equal(planted.HostName, result.Summary.Hosts[0].HostName);
        Assert.Equal(HostStatus.Compromised, result.Summary.Hosts[0].Status);
        var images = result.Summary.Stacking.Single(s => s.Category == Stacking.StackFacts.CoreImage);
        Assert.Contains(planted.FakeSha256, images.Rows[0].Value, StringComparison.Ordinal);
        Assert.Equal(1, images.Rows[0].Hosts);
    }

    [Fact]
    public void Only_the_planted_fake_is_copied_so_it_is_the_one_binary_verified()
    {
        var result = Run("out");

        Assert.Equal(1, result.Summary.BinariesVerified);
        Assert.Equal(0, result.Summary.BinariesReused);
    }

    [Fact]
    public void Ordinary_hosts_are_inconclusive_on_their_own_word_and_raise_no_alarm()
    {
        var result = Run("out");

        // Their System32 images are listed with the host's "Valid" but not copied: nothing is proven either way.
        var ordinary = result.Summary.Hosts.Where(h => h.Status != HostStatus.Unreadable && h.HostName != _planted[0].HostName).ToList();
        Assert.Equal(Hosts - 1, ordinary.Count);
        Assert.All(ordinary, h => Assert.Equal(HostStatus.Inconclusive, h.Status));
        Assert.All(ordinary, h => Assert.Equal((0, 0, 0), (h.Fakes, h.Suspicious, h.VerifiedOffline)));
    }

    [Fact]
    public void The_case_database_holds_the_bundles_and_adding_them_again_replaces_them()
    {
        var casePath = Path.Combine(_root, "case.duckdb");
        Run("first", casePath);
        Run("second", casePath);

        var bundles = CaseDatabase.Query(casePath, "SELECT count(*) FROM bundles", 10).Rows;
        Assert.Equal(Hosts + 1L, Convert.ToInt64(bundles[0][0], System.Globalization.CultureInfo.InvariantCulture));
        var processes = CaseDatabase.Query(casePath, "SELECT count(DISTINCT bundle_id), count(*) FROM processes", 10).Rows[0];
        Assert.Equal(Hosts, Convert.ToInt32(processes[0], System.Globalization.CultureInfo.InvariantCulture));
        var fake = CaseDatabase.Query(casePath, $"SELECT hostname FROM files WHERE recorded_sha256 = '{_planted[0].FakeSha256}'", 10).Rows;
        Assert.Equal(_planted[0].HostName, Assert.Single(fake)[0]);
        var folders = CaseDatabase.Query(casePath, "SELECT report_folder FROM bundles WHERE overall_status <> 'unreadable'", 100).Rows;
        Assert.All(folders, f => Assert.StartsWith("hosts/", (string)f[0]!, StringComparison.Ordinal));
        var signatures = CaseDatabase.Query(casePath, "SELECT count(*) FROM signatures", 10).Rows;
        Assert.Equal(1L, Convert.ToInt64(signatures[0][0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_summary_is_deterministic_and_the_html_forbids_everything_but_inline_style()
    {
        Run("a");
        Run("b");

        foreach (var name in new[] { "fleet.json", "fleet.md", "fleet.html" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(_root, "a", name)), File.ReadAllBytes(Path.Combine(_root, "b", name)));
        }

        var html = File.ReadAllText(Path.Combine(_root, "a", "fleet.html"));
        Assert.Contains("content=\"default-src 'none'; style-src 'unsafe-inline'\"", html, StringComparison.Ordinal);
        Assert.Contains("<h2>Stacking</h2>", html, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, "a", "fleet.json")));
        Assert.Equal(Hosts + 1, json.RootElement.GetProperty("bundles").GetInt32());
    }

    private sealed class RecordingProgress : IFleetProgress
    {
        public int Total { get; private set; }

        public void Started(int total) => Total = total;

        public void Finished(FleetProgressUpdate update) => Assert.InRange(update.Done, 1, Total);
    }
}
