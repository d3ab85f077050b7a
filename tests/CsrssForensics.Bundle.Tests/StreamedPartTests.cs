using System.Text;
using CsrssForensics.Bundle.Tests.Support;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle.Tests;

/// <summary>
/// processes.csv and files.csv are parsed row by row from a counted stream, so their cap is a byte budget of its own
/// (MaxStreamedPartBytes) plus a row budget (MaxCsvRows), not the whole-entry cap every other entry keeps.
/// </summary>
public sealed class StreamedPartTests
{
    private static string FilesCsv(int rows)
    {
        var text = new StringBuilder("path,size,sha256\r\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"C:\\Program Files\\Vendor\\module{i}\\core.dll,{i},\r\n");
        }

        return text.ToString();
    }

    [Fact]
    public void A_files_csv_over_the_whole_entry_cap_is_streamed_and_verified()
    {
        var csv = FilesCsv(200);
        using var bundle = new TempBundle().Write("files.csv", csv).Write("binaries/big.bin", new byte[csv.Length]).Seal();

        using var opened = BundleReader.Open(bundle.Folder, new BundleReaderOptions { MaxEntryBytes = 1000 });

        Assert.Equal(200, opened.Snapshot.Files.Length);
        Assert.Equal(@"C:\Program Files\Vendor\module199\core.dll", opened.Snapshot.Files[^1].Path);
        // The same size is still refused for an entry that is read whole.
        var finding = Assert.Single(opened.Snapshot.Integrity.Findings);
        Assert.Equal("binaries/big.bin", finding.Path);
        Assert.Equal(IntegrityProblem.Refused, finding.Problem);
    }

    [Fact]
    public void A_files_csv_over_the_streamed_part_cap_is_refused()
    {
        var csv = FilesCsv(200);
        using var bundle = new TempBundle().Write("files.csv", csv).Seal();

        using var opened = BundleReader.Open(bundle.Folder, new BundleReaderOptions { MaxEntryBytes = 1000, MaxStreamedPartBytes = 2000 });

        Assert.Empty(opened.Snapshot.Files);
        Assert.Contains(BundlePart.Files, opened.Snapshot.MissingParts);
        var finding = Assert.Single(opened.Snapshot.Integrity.Findings);
        Assert.Equal(IntegrityProblem.Refused, finding.Problem);
        Assert.Contains("2000-byte cap", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_past_the_row_budget_are_dropped_with_one_anomaly()
    {
        using var bundle = new TempBundle().Write("files.csv", FilesCsv(50)).Seal();

        using var opened = BundleReader.Open(bundle.Folder, new BundleReaderOptions { MaxCsvRows = 20 });

        Assert.Equal(20, opened.Snapshot.Files.Length);
        var anomaly = Assert.Single(opened.Snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.CsvTooManyRows);
        Assert.Equal(21, anomaly.Evidence.Row);
    }

    [Fact]
    public void A_zip_files_csv_whose_crc_does_not_match_is_dropped_whole()
    {
        using var bundle = new TempBundle();
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["files.csv"] = BundleSealer.Utf8(FilesCsv(30)) };
        entries["manifest.json"] = BundleSealer.ManifestFor(entries);
        BundleSealer.WriteZip(bundle.ZipPath(), entries, System.IO.Compression.CompressionLevel.NoCompression);
        CorruptStoredData(bundle.ZipPath());

        using var opened = BundleReader.Open(bundle.ZipPath());

        Assert.Empty(opened.Snapshot.Files);
        Assert.Contains(BundlePart.Files, opened.Snapshot.MissingParts);
    }

    // Flips one stored byte of files.csv (the first entry: 30-byte local header + 9-byte name, then the data), so the
    // rows still parse but the entry no longer matches its CRC-32.
    private static void CorruptStoredData(string zip)
    {
        var bytes = File.ReadAllBytes(zip);
        bytes[60] ^= 0x5A;
        File.WriteAllBytes(zip, bytes);
    }
}
