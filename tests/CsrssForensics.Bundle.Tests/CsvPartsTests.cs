using CsrssForensics.Bundle.Tests.Support;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle.Tests;

public sealed class CsvPartsTests
{
    private static BundleSnapshot Open(TempBundle bundle)
    {
        using var opened = BundleReader.Open(bundle.Seal().Folder);
        return opened.Snapshot;
    }

    [Fact]
    public void Columns_match_in_any_order_and_any_case_and_unknown_columns_are_ignored()
    {
        using var bundle = new TempBundle().Write("processes.csv",
            "Extra,NAME,Pid,creationtimeutc,cpuPercent\n" +
            "x,csrss.exe,612,2026-11-20T09:01:15+01:00,1.25\n");

        var snapshot = Open(bundle);

        var process = Assert.Single(snapshot.Processes);
        Assert.Equal(612, process.Pid);
        Assert.Equal("csrss.exe", process.Name);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 8, 1, 15, TimeSpan.Zero), process.CreationTimeUtc);
        Assert.Equal(TimeSpan.Zero, process.CreationTimeUtc!.Value.Offset);
        Assert.Equal(1.25, process.CpuPercent);
        Assert.Null(process.ParentPid);
        Assert.Empty(snapshot.Anomalies);
    }

    [Fact]
    public void Malformed_rows_become_anomalies_with_their_row_and_the_other_rows_are_read()
    {
        using var bundle = new TempBundle().Write("processes.csv",
            "pid,parentPid,name,creationTimeUtc,cpuPercent\n" +
            "4,0,System,2026-11-20T07:01:12Z,0\n" +          // row 1: fine
            "abc,4,bad.exe,2026-11-20T07:01:12Z,0\n" +        // row 2: pid not an integer -> skipped
            "700,4,csrss.exe,yesterday,NaN\n" +               // row 3: bad time and non-finite cpu -> kept, unknown
            "701,4,a\"b.exe,2026-11-20T07:01:12Z,0\n" +      // row 4: stray quote -> kept
            "702,4\n" +                                        // row 5: too few cells -> kept
            ",4,noname.exe,,\n" +                              // row 6: no pid -> skipped
            "703,4,last.exe,2026-11-20T07:01:12Z,3\n");       // row 7: fine

        var snapshot = Open(bundle);

        Assert.Equal<int>([4, 700, 701, 702, 703], snapshot.Processes.Select(p => p.Pid).ToArray());
        Assert.Equal<int>([1, 3, 4, 5, 7], snapshot.Processes.Select(p => p.Source.Row!.Value).ToArray());
        var p700 = snapshot.Processes[1];
        Assert.Null(p700.CreationTimeUtc);
        Assert.Null(p700.CpuPercent);
        Assert.Equal("a\"b.exe", snapshot.Processes[2].Name);

        var byRow = snapshot.Anomalies.Where(a => a.Evidence.BundleFile == "processes.csv")
            .Select(a => (a.Code, a.Evidence.Row)).ToList();
        Assert.Contains((BundleAnomalyCodes.CsvRowSkipped, 2), byRow);
        Assert.Contains((BundleAnomalyCodes.CsvBadCell, 3), byRow);
        Assert.Equal(2, byRow.Count(a => a == (BundleAnomalyCodes.CsvBadCell, 3)));
        Assert.Contains((BundleAnomalyCodes.CsvMalformedRow, 4), byRow);
        Assert.Contains((BundleAnomalyCodes.CsvMalformedRow, 5), byRow);
        Assert.Contains((BundleAnomalyCodes.CsvRowSkipped, 6), byRow);
        Assert.DoesNotContain(byRow, a => a.Row is 1 or 7);
    }

    [Theory]
    [InlineData("")]
    [InlineData("name,imagePath\ncsrss.exe,C:\\x.exe\n")]
    public void Csv_without_a_usable_header_is_a_missing_part(string content)
    {
        using var bundle = new TempBundle().Write("processes.csv", content);

        var snapshot = Open(bundle);

        Assert.Empty(snapshot.Processes);
        Assert.Contains(BundlePart.Processes, snapshot.MissingParts);
        Assert.Contains(snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.CsvBadHeader);
    }

    [Fact]
    public void Utf8_byte_order_mark_and_crlf_line_ends_are_read()
    {
        using var bundle = new TempBundle().Write("files.csv",
            [.. System.Text.Encoding.UTF8.GetPreamble(), .. BundleSealer.Utf8("path,size\r\nC:\\Windows\\System32\\csrss.exe,14336\r\n")]);

        var snapshot = Open(bundle);

        var file = Assert.Single(snapshot.Files);
        Assert.Equal(@"C:\Windows\System32\csrss.exe", file.Path);
        Assert.Equal(14336L, file.Size);
        Assert.Equal(HostSignature.NotCollected, file.HostSignature);
        Assert.Empty(snapshot.Anomalies);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("binaries\\x.bin")]
    [InlineData("C:\\Windows\\System32\\csrss.exe")]
    public void Hostile_bundle_path_in_files_csv_is_dropped(string bundlePath)
    {
        using var bundle = new TempBundle().Write("files.csv",
            $"path,bundlePath,catalogBundlePath\nC:\\x.exe,\"{bundlePath}\",catalogs/ok.cat\n");

        var snapshot = Open(bundle);

        var file = Assert.Single(snapshot.Files);
        Assert.Null(file.BinaryBundlePath);
        Assert.Equal("catalogs/ok.cat", file.CatalogBundlePath);
        var anomaly = Assert.Single(snapshot.Anomalies);
        Assert.Equal(BundleAnomalyCodes.CsvBadBundlePath, anomaly.Code);
        Assert.Equal(new EvidenceRef("files.csv", 1, Detail: "bundlePath"), anomaly.Evidence);
    }

    [Fact]
    public void Bad_sha256_and_size_are_unknown_values()
    {
        using var bundle = new TempBundle().Write("files.csv", "path,size,sha256\nC:\\x.exe,big,1234\n");

        var snapshot = Open(bundle);

        var file = Assert.Single(snapshot.Files);
        Assert.Null(file.Size);
        Assert.Null(file.Sha256);
        Assert.Equal(2, snapshot.Anomalies.Count(a => a.Code == BundleAnomalyCodes.CsvBadCell));
    }

    [Fact]
    public void Quoted_line_breaks_are_data_as_in_a_zone_identifier()
    {
        using var bundle = new TempBundle().Write("files.csv",
            "path,zoneIdentifier,reason\r\nC:\\x.exe,\"[ZoneTransfer]\r\nZoneId=3\r\n\",name-match\r\nC:\\y.exe,,sibling\r\n");

        var snapshot = Open(bundle);

        Assert.Equal(2, snapshot.Files.Length);
        Assert.Equal("[ZoneTransfer]\r\nZoneId=3\r\n", snapshot.Files[0].ZoneIdentifier);
        Assert.Equal("name-match", snapshot.Files[0].CollectionReason);
        Assert.Equal(2, snapshot.Files[1].Source.Row);
        Assert.Empty(snapshot.Anomalies);
    }

    [Fact]
    public void Unclosed_quote_is_reported()
    {
        using var bundle = new TempBundle().Write("processes.csv", "pid,name\n1,ok.exe\n2,\"never closed\n3,hidden.exe\n");

        var snapshot = Open(bundle);

        Assert.Equal(1, snapshot.Processes[0].Pid);
        Assert.Contains(snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.CsvMalformedRow && a.Evidence.Row == 2);
    }
}
