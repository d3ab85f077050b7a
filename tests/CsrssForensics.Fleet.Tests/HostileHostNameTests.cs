using CsrssForensics.Analysis;
using CsrssForensics.Fleet.Batch;
using CsrssForensics.Fleet.Generation;
using CsrssForensics.Reporting;

namespace CsrssForensics.Fleet.Tests;

/// <summary>A hostile host name: the folder stays below hosts/, and the summary shows it encoded and visible.</summary>
public sealed class HostileHostNameTests : IDisposable
{
    private const string Hostile = "..\\..\\<script>alert(1)</script>\u202Eexe";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "fleet-hostile-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_hostile_host_name_is_neither_a_path_nor_markup()
    {
        new GeneratedHost(Hostile, new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero)).Write(Path.Combine(_root, "bundles", "one"));
        new GeneratedHost(Hostile, new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero)).Write(Path.Combine(_root, "bundles", "two"));
        var output = Path.Combine(_root, "out");
        var inputs = BundleInputs.Expand([Path.Combine(_root, "bundles")]);

        var result = FleetRunner.Run(inputs, new FleetOptions(output, ReportFormats.All, AnalysisOptions.Default, Path.Combine(output, "case.duckdb")), new NoProgress());

        var folders = Directory.GetDirectories(Path.Combine(output, "hosts")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["script_alert_1___script__exe_20261120T080000Z", "script_alert_1___script__exe_20261120T080000Z-2"], folders);
        Assert.Equal(["bundles", "out"], Directory.GetDirectories(_root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var html = File.ReadAllText(Path.Combine(output, "fleet.html"));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\u202E", html, StringComparison.Ordinal);
        var markdown = File.ReadAllText(Path.Combine(output, "fleet.md"));
        Assert.Contains("<U+202E>", markdown.Replace("\\", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(2, result.Summary.Hosts.Count);
    }

    private sealed class NoProgress : IFleetProgress
    {
        public void Started(int total)
        {
        }

        public void Finished(FleetProgressUpdate update)
        {
        }
    }
}
