using CsrssForensics.Bundle.Tests.Support;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle.Tests;

public sealed class FolderSafetyTests
{
    [Fact]
    public void Symbolic_link_out_of_the_bundle_is_refused()
    {
        using var bundle = new TempBundle().Write("processes.csv", SampleParts.ProcessesCsv).Seal();
        var secret = Path.Combine(bundle.Root, "secret.txt");
        File.WriteAllText(secret, "outside");
        Directory.CreateDirectory(bundle.PathOf("binaries"));
        File.CreateSymbolicLink(bundle.PathOf("binaries/escape.bin"), secret);
        Directory.CreateSymbolicLink(bundle.PathOf("catalogs"), bundle.Root);

        using var opened = BundleReader.Open(bundle.Folder);

        Assert.False(opened.Source.Contains("binaries/escape.bin"));
        Assert.Contains(opened.Snapshot.Integrity.Findings, f => f.Problem == IntegrityProblem.Refused && f.Path == "binaries/escape.bin" && f.Message.Contains("outside", StringComparison.Ordinal));
        Assert.Contains(opened.Snapshot.Integrity.Findings, f => f.Problem == IntegrityProblem.Refused && f.Path == "catalogs");
        Assert.DoesNotContain(opened.Source.Entries, e => e.StartsWith("catalogs/", StringComparison.Ordinal));
    }

    [Fact]
    public void Symbolic_link_inside_the_bundle_is_read()
    {
        using var bundle = new TempBundle().Write("binaries/real.bin", "MZ");
        File.CreateSymbolicLink(bundle.PathOf("binaries/alias.bin"), bundle.PathOf("binaries/real.bin"));
        bundle.Seal();

        using var opened = BundleReader.Open(bundle.Folder);

        Assert.Equal(IntegrityStatus.Verified, opened.Snapshot.Integrity.Status);
        Assert.Equal("MZ"u8.ToArray(), opened.Source.TryReadAllBytes("binaries/alias.bin", new AnomalyList()));
    }

    [Theory]
    [InlineData("../secret.txt", BundleAnomalyCodes.BadEntryName)]
    [InlineData("/etc/passwd", BundleAnomalyCodes.BadEntryName)]
    [InlineData("binaries\\x.bin", BundleAnomalyCodes.BadEntryName)]
    [InlineData("C:/x.bin", BundleAnomalyCodes.BadEntryName)]
    [InlineData("", BundleAnomalyCodes.BadEntryName)]
    [InlineData("binaries/absent.bin", BundleAnomalyCodes.EntryMissing)]
    public void TryReadAllBytes_refuses_names_that_are_not_entries(string entry, string code)
    {
        using var bundle = new TempBundle().Write("processes.csv", SampleParts.ProcessesCsv).Seal();
        File.WriteAllText(Path.Combine(bundle.Root, "secret.txt"), "outside");

        using var opened = BundleReader.Open(bundle.Folder);
        var sink = new AnomalyList();

        Assert.Null(opened.Source.TryReadAllBytes(entry, sink));
        Assert.Equal(code, Assert.Single(sink.Items).Code);
    }

    [Fact]
    public void File_larger_than_the_cap_is_refused_and_not_read_into_memory()
    {
        using var bundle = new TempBundle().Write("binaries/big.bin", new byte[10_000]).Seal();

        using var opened = BundleReader.Open(bundle.Folder, new BundleReaderOptions { MaxEntryBytes = 1000 });
        var sink = new AnomalyList();

        Assert.Null(opened.Source.TryReadAllBytes("binaries/big.bin", sink));
        Assert.Equal(BundleAnomalyCodes.EntryMissing, Assert.Single(sink.Items).Code);
        var finding = Assert.Single(opened.Snapshot.Integrity.Findings);
        Assert.Equal(IntegrityProblem.Refused, finding.Problem);
        Assert.Contains("1000-byte cap", finding.Message, StringComparison.Ordinal);
    }
}
