using System.Buffers.Binary;
using CsrssForensics.Bundle.Tests.Support;

namespace CsrssForensics.Bundle.Tests;

/// <summary>
/// Entries are opened one at a time from their central-directory record (no ZipArchive): what the record and the
/// local header say is checked before a byte of data is read, and a bad entry is an anomaly for that entry alone.
/// </summary>
public sealed class ZipEntryDataTests
{
    private static Dictionary<string, byte[]> Entries()
    {
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["processes.csv"] = BundleSealer.Utf8(SampleParts.ProcessesCsv),
            ["host.json"] = BundleSealer.Utf8(SampleParts.HostJson),
        };
        entries["manifest.json"] = BundleSealer.ManifestFor(entries);
        return entries;
    }

    // Applies change(zip, central record offset, local header offset) to host.json's headers.
    private static string ZipWithHostJson(TempBundle bundle, Action<byte[], int, int> change)
    {
        BundleSealer.WriteZip(bundle.ZipPath(), Entries());
        var zip = File.ReadAllBytes(bundle.ZipPath());
        for (var at = 0; at + 46 <= zip.Length; at++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at)) == 0x02014b50
                && System.Text.Encoding.UTF8.GetString(zip, at + 46, BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 28))) == "host.json")
            {
                change(zip, at, (int)BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at + 42)));
                File.WriteAllBytes(bundle.ZipPath(), zip);
                return bundle.ZipPath();
            }
        }

        throw new Xunit.Sdk.XunitException("host.json has no central record");
    }

    [Fact]
    public void Every_entry_of_an_ordinary_zip_reads_back_byte_for_byte()
    {
        using var bundle = new TempBundle();
        var entries = Entries();
        BundleSealer.WriteZip(bundle.ZipPath(), entries);

        using var opened = BundleReader.Open(bundle.ZipPath());

        Assert.Equal(Core.Snapshot.IntegrityStatus.Verified, opened.Snapshot.Integrity.Status);
        foreach (var (name, bytes) in entries)
        {
            Assert.Equal(bytes, opened.Source.TryReadAllBytes(name, new Core.Evidence.AnomalyList()));
        }
    }

    [Theory]
    [InlineData("method", "compression method 12 is not supported")]
    [InlineData("encrypted", "the entry is encrypted")]
    [InlineData("local-signature", "local header has a bad signature")]
    [InlineData("local-offset", "local header lies outside the archive")]
    public void An_entry_whose_headers_cannot_be_followed_is_unreadable_and_the_rest_is_read(string change, string message)
    {
        using var bundle = new TempBundle();
        var path = ZipWithHostJson(bundle, (zip, record, local) =>
        {
            switch (change)
            {
                case "method": BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(record + 10), 12); break;
                case "encrypted": zip[record + 8] |= 0x01; break;
                case "local-signature": zip[local] ^= 0xFF; break;
                default: BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(record + 42), 0x7FFFFFF0); break;
            }
        });

        using var opened = BundleReader.Open(path);

        Assert.Contains(opened.Snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.EntryUnreadable && a.Evidence.BundleFile == "host.json" && a.Message.Contains(message, StringComparison.Ordinal));
        Assert.Null(opened.Snapshot.Host);
        Assert.NotEmpty(opened.Snapshot.Processes);
    }
}
