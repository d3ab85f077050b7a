using System.Security.Cryptography;
using CsrssForensics.Analysis;
using CsrssForensics.Fleet.Batch;
using CsrssForensics.Fleet.CaseStore;
using CsrssForensics.Fleet.Generation;
using CsrssForensics.Reporting;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Fleet.Tests;

/// <summary>
/// Shared results are keyed on bytes this tool read: a host that only claims the same SHA-256 (no copy) must not
/// borrow another host's offline proof.
/// </summary>
public sealed class SharedResultsTrustTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "fleet-trust-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_host_that_only_claims_a_verified_hash_stays_host_reported()
    {
        var genuine = File.ReadAllBytes(TestEnvironment.PathOf("fixtures", "pe", "sig-System.Buffers.dll"));
        var sha = Convert.ToHexStringLower(SHA256.HashData(genuine));
        var time = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
        const string image = @"C:\Windows\System32\csrss.exe";
        foreach (var (name, copy) in new[] { ("COPIED", genuine), ("CLAIMED", (byte[]?)null) })
        {
            var host = new GeneratedHost(name, time);
            host.Process(612, 500, "csrss.exe", image, image, 0, @"NT AUTHORITY\SYSTEM");
            host.File(image, sha, genuine.Length, "CN=Microsoft Windows", copy, "process-image");
            host.Write(Path.Combine(_root, "bundles", name));
        }

        var output = Path.Combine(_root, "out");
        var casePath = Path.Combine(output, "case.duckdb");
        var result = FleetRunner.Run(
            BundleInputs.Expand([Path.Combine(_root, "bundles")]),
            new FleetOptions(output, ReportFormats.Json, AnalysisOptions.Default, casePath) { MaxParallel = 1 },
            new NullProgress());

        Assert.Equal(1, result.Summary.BinariesVerified);
        Assert.Equal(0, result.Summary.BinariesReused);
        var strengths = CaseDatabase.Query(casePath, "SELECT DISTINCT hostname, strength FROM verdicts WHERE name = 'csrss.exe' ORDER BY ALL", 10).Rows
            .Select(r => $"{r[0]} {r[1]}").ToList();
        Assert.Equal(["CLAIMED host-reported", "COPIED verified-offline"], strengths);
    }

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
