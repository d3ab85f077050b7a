using CsrssForensics.Bundle.Tests.Support;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle.Tests.Hostile;

/// <summary>
/// Small inputs that once cost the square of their size. Each asserts a cost proxy that cannot flake (a refusal
/// before the work, an allocation ceiling), never a wall time.
/// </summary>
public sealed class HostileCostTests
{
    [Fact]
    public void Task_xml_nested_past_the_depth_cap_is_refused_with_its_anomaly()
    {
        const int depth = 200_000;
        var xml = "<?xml version=\"1.0\"?><Task>" + string.Concat(Enumerable.Repeat("<a>", depth)) + string.Concat(Enumerable.Repeat("</a>", depth)) + "</Task>";
        using var bundle = new TempBundle().Write("processes.csv", SampleParts.ProcessesCsv).Write("tasks/deep.xml", xml);

        var before = GC.GetAllocatedBytesForCurrentThread();
        using var opened = BundleReader.Open(bundle.Seal().Folder);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Empty(opened.Snapshot.Tasks);
        var anomaly = Assert.Single(opened.Snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.TaskTooDeep);
        Assert.Equal("tasks/deep.xml", anomaly.Evidence.BundleFile);
        // A tree of 200,000 elements would take far more than this; the refusal reads forward 65 levels.
        Assert.True(allocated < 64L * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Task_xml_at_the_depth_cap_is_still_read()
    {
        var padding = string.Concat(Enumerable.Repeat("<a>", 60)) + string.Concat(Enumerable.Repeat("</a>", 60));
        var xml = SampleParts.TaskXml(@"\deep").Replace("</Task>", "<Extra>" + padding + "</Extra></Task>", StringComparison.Ordinal);
        using var bundle = new TempBundle().Write("processes.csv", SampleParts.ProcessesCsv).Write("tasks/deep.xml", SampleParts.Utf16(xml));

        using var opened = BundleReader.Open(bundle.Seal().Folder);

        Assert.Single(opened.Snapshot.Tasks);
        Assert.DoesNotContain(opened.Snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.TaskTooDeep);
    }

    [Fact]
    public void Zip_over_the_entry_cap_is_refused_from_its_end_record_before_entries_are_read()
    {
        using var bundle = new TempBundle();
        HostileZips.ManyEntries(bundle.ZipPath(), 150_000);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.ThrowsAny<BundleOpenException>(() => BundleReader.Open(bundle.ZipPath()).Dispose());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("declares 150000 entries", error.Message, StringComparison.Ordinal);
        // Materialising 150,000 ZipArchiveEntry objects allocated gigabytes; the end record is 22 bytes.
        Assert.True(allocated < 16L * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Zip_with_a_lying_entry_count_is_refused_while_walking_the_directory()
    {
        using var bundle = new TempBundle();
        HostileZips.ManyEntries(bundle.ZipPath(), 30);
        var zip = File.ReadAllBytes(bundle.ZipPath());
        // Declare 3 entries in the end record (disk and total counts); the directory still holds 30.
        var end = zip.Length - 22;
        zip[end + 8] = 3;
        zip[end + 10] = 3;
        File.WriteAllBytes(bundle.ZipPath(), zip);

        var error = Assert.ThrowsAny<BundleOpenException>(
            () => BundleReader.Open(bundle.ZipPath(), new BundleReaderOptions { MaxEntries = 10 }).Dispose());

        Assert.Contains("more than 20 central-directory records", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zip_entries_whose_data_overlaps_are_refused_as_integrity_findings()
    {
        using var bundle = new TempBundle();
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["processes.csv"] = BundleSealer.Utf8(SampleParts.ProcessesCsv),
            ["host.json"] = BundleSealer.Utf8(SampleParts.HostJson),
            ["binaries/a.bin"] = new byte[4096],
            ["binaries/b.bin"] = new byte[4096],
        };
        entries["manifest.json"] = BundleSealer.ManifestFor(entries);
        HostileZips.Overlapping(bundle.ZipPath(), entries, victim: "binaries/b.bin", target: "binaries/a.bin");

        using var opened = BundleReader.Open(bundle.ZipPath());

        Assert.Equal(IntegrityStatus.Failed, opened.Snapshot.Integrity.Status);
        var refused = opened.Snapshot.Integrity.Findings
            .Where(f => f.Problem == IntegrityProblem.Refused && f.Message.Contains("overlaps", StringComparison.Ordinal))
            .Select(f => f.Path)
            .Order(StringComparer.Ordinal);
        Assert.Equal<string>(["binaries/a.bin", "binaries/b.bin"], refused);
        Assert.DoesNotContain("binaries/a.bin", opened.Source.Entries);
        Assert.Contains("processes.csv", opened.Source.Entries);
    }

    [Fact]
    public void Manifest_of_many_missing_records_reports_each_once_and_refused_entries_never_as_missing()
    {
        const int missing = 20_000;
        using var bundle = new TempBundle();
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["processes.csv"] = BundleSealer.Utf8(SampleParts.ProcessesCsv),
            ["binaries/a.bin"] = new byte[4096],
            ["binaries/b.bin"] = new byte[4096],
        };
        var listed = new Dictionary<string, byte[]>(entries, StringComparer.Ordinal);
        for (var i = 0; i < missing; i++)
        {
            listed["binaries/gone" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".bin"] = [1];
        }

        entries["manifest.json"] = BundleSealer.ManifestFor(listed);
        HostileZips.Overlapping(bundle.ZipPath(), entries, victim: "binaries/b.bin", target: "binaries/a.bin");

        using var opened = BundleReader.Open(bundle.ZipPath());

        var findings = opened.Snapshot.Integrity.Findings;
        Assert.Equal(missing, findings.Count(f => f.Problem == IntegrityProblem.Missing));
        Assert.DoesNotContain(findings, f => f.Problem == IntegrityProblem.Missing && f.Path.StartsWith("binaries/a", StringComparison.Ordinal));
        Assert.Equal(2, findings.Count(f => f.Problem == IntegrityProblem.Refused));
    }
}
