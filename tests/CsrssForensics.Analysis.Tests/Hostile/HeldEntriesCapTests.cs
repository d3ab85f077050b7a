using CsrssForensics.Analysis.Tests.Support;
using CsrssForensics.Bundle;

namespace CsrssForensics.Analysis.Tests.Hostile;

/// <summary>
/// Catalogs and store files stay in memory for the whole run; a bundle of many large ones once held them all at once.
/// Past <see cref="AnalysisOptions.MaxHeldEntryBytes"/> the rest are not read, each with anomaly ANA0003.
/// </summary>
public sealed class HeldEntriesCapTests
{
    [Fact]
    public void Catalogs_past_the_held_bytes_cap_are_not_read_and_each_is_named()
    {
        // Given three 1,000-byte catalogs and room for two
        using var copy = new FixtureCopy("fake-cpu-siblings");
        foreach (var name in new[] { "a.cat", "b.cat", "c.cat" })
        {
            copy.Write("catalogs/" + name, new string('x', 1_000));
        }

        // When
        using var bundle = BundleReader.Open(copy.Folder);
        var report = BundleAnalyzer.Analyze(bundle, new AnalysisOptions { MaxHeldEntryBytes = 2_500 });

        // Then the first two were read (each is "not a PKCS#7", SIG0016) and only the third was left out
        Assert.Equal<string>(["catalogs/a.cat", "catalogs/b.cat"], report.Anomalies.Where(a => a.Code == "SIG0016").Select(a => a.Evidence.BundleFile).Order(StringComparer.Ordinal));
        var capped = Assert.Single(report.Anomalies, a => a.Code == BundleAnalyzer.HeldBytesCappedCode);
        Assert.Equal("catalogs/c.cat", capped.Evidence.BundleFile);
        Assert.Contains("already hold 2000 bytes", capped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_cap_reads_every_catalog_of_an_ordinary_bundle()
    {
        using var copy = new FixtureCopy("fake-cpu-siblings");
        copy.Write("catalogs/a.cat", new string('x', 1_000));

        var report = copy.Analyze();

        Assert.Contains(report.Anomalies, a => a.Code == "SIG0016" && a.Evidence.BundleFile == "catalogs/a.cat");
        Assert.DoesNotContain(report.Anomalies, a => a.Code == BundleAnalyzer.HeldBytesCappedCode);
    }
}
