using System.Buffers.Binary;
using System.IO.Compression;
using CsrssForensics.Bundle.Tests.Support;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle.Tests;

public sealed class ZipSafetyTests
{
    private static Dictionary<string, byte[]> SealedEntries()
    {
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["processes.csv"] = BundleSealer.Utf8(SampleParts.ProcessesCsv),
            ["host.json"] = BundleSealer.Utf8(SampleParts.HostJson),
        };
        entries["manifest.json"] = BundleSealer.ManifestFor(entries);
        return entries;
    }

    [Theory]
    [InlineData("../evil.txt", "'.' or '..' segment")]
    [InlineData("binaries/../../evil.txt", "'.' or '..' segment")]
    [InlineData("/etc/evil.txt", "absolute name")]
    [InlineData("C:evil.txt", "contains ':'")]
    [InlineData("C:\\Windows\\evil.txt", "contains ':'")]
    [InlineData("\\evil.txt", "backslash-rooted name")]
    [InlineData("evil\0.txt", "NUL")]
    [InlineData("binaries//x.bin", "empty path segment")]
    public void Hostile_entry_names_are_refused_and_never_read(string name, string reason)
    {
        using var bundle = new TempBundle();
        var entries = SealedEntries();
        entries[name] = BundleSealer.Utf8("payload");
        BundleSealer.WriteZip(bundle.ZipPath(), entries);

        using var opened = BundleReader.Open(bundle.ZipPath());

        Assert.Equal(IntegrityStatus.Failed, opened.Snapshot.Integrity.Status);
        var finding = Assert.Single(opened.Snapshot.Integrity.Findings);
        Assert.Equal(IntegrityProblem.Refused, finding.Problem);
        Assert.Contains(reason, finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\0", finding.Path, StringComparison.Ordinal);
        Assert.Equal<string>(["host.json", "manifest.json", "processes.csv"], opened.Source.Entries);
        Assert.Equal(2, opened.Snapshot.Processes.Length);

        var sink = new AnomalyList();
        Assert.Null(opened.Source.TryReadAllBytes(name, sink));
        Assert.Single(sink.Items);
    }

    [Fact]
    public void Zip_bomb_like_entry_over_the_ratio_cap_is_refused()
    {
        using var bundle = new TempBundle();
        var entries = SealedEntries();
        entries["binaries/bomb.bin"] = new byte[8 * 1024 * 1024];
        BundleSealer.WriteZip(bundle.ZipPath(), entries, CompressionLevel.SmallestSize);

        using var opened = BundleReader.Open(bundle.ZipPath());

        var finding = Assert.Single(opened.Snapshot.Integrity.Findings);
        Assert.Equal(IntegrityProblem.Refused, finding.Problem);
        Assert.Equal("binaries/bomb.bin", finding.Path);
        Assert.Contains("compression ratio", finding.Message, StringComparison.Ordinal);
        Assert.Empty(opened.Snapshot.BinaryEntries);
        Assert.False(opened.Source.Contains("binaries/bomb.bin"));
    }

    [Fact]
    public void Entry_over_the_size_cap_is_refused()
    {
        using var bundle = new TempBundle();
        var entries = SealedEntries();
        var random = new byte[5000];
        new Random(7).NextBytes(random);
        entries["binaries/big.bin"] = random;
        BundleSealer.WriteZip(bundle.ZipPath(), entries);

        using var opened = BundleReader.Open(bundle.ZipPath(), new BundleReaderOptions { MaxEntryBytes = 4096 });

        var finding = Assert.Single(opened.Snapshot.Integrity.Findings);
        Assert.Equal(IntegrityProblem.Refused, finding.Problem);
        Assert.Contains("4096-byte cap", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_past_the_total_cap_are_refused_in_name_order()
    {
        using var bundle = new TempBundle();
        var entries = SealedEntries();
        var total = entries.Values.Sum(v => (long)v.Length);
        BundleSealer.WriteZip(bundle.ZipPath(), entries);

        using var opened = BundleReader.Open(bundle.ZipPath(), new BundleReaderOptions { MaxTotalBytes = total - 1 });

        // host.json and manifest.json fit; processes.csv, last in name order, does not.
        Assert.Equal<string>(["host.json", "manifest.json"], opened.Source.Entries);
        Assert.Contains(opened.Snapshot.Integrity.Findings, f => f.Problem == IntegrityProblem.Refused && f.Path == "processes.csv");
    }

    [Fact]
    public void Entries_past_the_count_cap_are_refused()
    {
        using var bundle = new TempBundle();
        var entries = SealedEntries();
        for (var i = 0; i < 5; i++)
        {
            entries[$"binaries/{i}.bin"] = [(byte)i];
        }

        BundleSealer.WriteZip(bundle.ZipPath(), entries);

        using var opened = BundleReader.Open(bundle.ZipPath(), new BundleReaderOptions { MaxEntries = 4 });

        Assert.Equal(4, opened.Source.Entries.Count);
        Assert.Equal(4, opened.Snapshot.Integrity.Findings.Count(f => f.Problem == IntegrityProblem.Refused));
    }

    [Fact]
    public void Symbolic_link_entry_is_refused()
    {
        using var bundle = new TempBundle();
        using (var file = File.Create(bundle.ZipPath()))
        using (var archive = new ZipArchive(file, ZipArchiveMode.Create))
        {
            foreach (var (name, bytes) in SealedEntries())
            {
                using var s = archive.CreateEntry(name).Open();
                s.Write(bytes);
            }

            var link = archive.CreateEntry("binaries/link.bin");
            link.ExternalAttributes = unchecked((int)0xA1FF0000);
            using var stream = link.Open();
            stream.Write("/etc/passwd"u8);
        }

        using var opened = BundleReader.Open(bundle.ZipPath());

        var finding = Assert.Single(opened.Snapshot.Integrity.Findings);
        Assert.Equal(IntegrityProblem.Refused, finding.Problem);
        Assert.Contains("symbolic link", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_entry_names_are_both_refused()
    {
        using var bundle = new TempBundle();
        var entries = SealedEntries().ToList();
        entries.Add(KeyValuePair.Create("processes.csv", BundleSealer.Utf8("pid,name\n1,evil.exe\n")));
        BundleSealer.WriteZip(bundle.ZipPath(), entries);

        using var opened = BundleReader.Open(bundle.ZipPath());

        Assert.False(opened.Source.Contains("processes.csv"));
        Assert.Contains(opened.Snapshot.Integrity.Findings, f => f.Problem == IntegrityProblem.Refused && f.Message.Contains("more than one", StringComparison.Ordinal));
        Assert.Empty(opened.Snapshot.Processes);
    }

    [Fact]
    public void Backslash_separated_names_from_Compress_Archive_are_accepted()
    {
        using var bundle = new TempBundle();
        var entries = SealedEntries();
        var task = SampleParts.Utf16(SampleParts.TaskXml(@"\Vendor\Job"));
        entries["tasks/Vendor/Job.xml"] = task;
        entries["manifest.json"] = BundleSealer.ManifestFor(entries);
        entries.Remove("tasks/Vendor/Job.xml");
        entries["tasks\\Vendor\\Job.xml"] = task;
        BundleSealer.WriteZip(bundle.ZipPath(), entries);

        using var opened = BundleReader.Open(bundle.ZipPath());

        Assert.Equal(IntegrityStatus.Verified, opened.Snapshot.Integrity.Status);
        Assert.Equal(@"\Vendor\Job", Assert.Single(opened.Snapshot.Tasks).TaskPath);
    }

    [Fact]
    public void Entry_whose_declared_size_lies_is_not_used()
    {
        using var bundle = new TempBundle();
        var entries = SealedEntries();
        var payload = new byte[4000];
        new Random(3).NextBytes(payload);
        entries["binaries/liar.bin"] = payload;
        entries["manifest.json"] = BundleSealer.ManifestFor(entries);
        BundleSealer.WriteZip(bundle.ZipPath(), entries);
        ShrinkDeclaredSize(bundle.ZipPath(), "binaries/liar.bin", 100);

        using var opened = BundleReader.Open(bundle.ZipPath());

        var sink = new AnomalyList();
        Assert.Null(opened.Source.TryReadAllBytes("binaries/liar.bin", sink));
        var anomaly = Assert.Single(sink.Items);
        Assert.Contains(anomaly.Code, new[] { BundleAnomalyCodes.EntryLengthMismatch, BundleAnomalyCodes.EntryCrcMismatch });

        // The manifest says 4000 bytes, the zip claims 100: a changed file, found without reading it.
        Assert.Contains(opened.Snapshot.Integrity.Findings, f => f.Problem == IntegrityProblem.Changed && f.Path == "binaries/liar.bin");
    }

    [Fact]
    public void Entry_altered_inside_the_zip_fails_its_crc_and_is_not_trusted()
    {
        using var bundle = new TempBundle();
        var entries = SealedEntries();
        entries["binaries/x.bin"] = "MZ-original-bytes"u8.ToArray();
        entries["manifest.json"] = BundleSealer.ManifestFor(entries);
        BundleSealer.WriteZip(bundle.ZipPath(), entries, CompressionLevel.NoCompression);
        var bytes = File.ReadAllBytes(bundle.ZipPath());
        var at = bytes.AsSpan().IndexOf("MZ-original-bytes"u8);
        bytes[at + 3] = (byte)'O';
        File.WriteAllBytes(bundle.ZipPath(), bytes);

        using var opened = BundleReader.Open(bundle.ZipPath());

        Assert.Contains(opened.Snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.EntryCrcMismatch && a.Evidence.BundleFile == "binaries/x.bin");
        Assert.Contains(opened.Snapshot.Integrity.Findings, f => f.Path == "binaries/x.bin");
        Assert.Null(opened.Source.TryReadAllBytes("binaries/x.bin", new AnomalyList()));
    }

    // Rewrites the uncompressed size of one entry in its local header and central directory record.
    private static void ShrinkDeclaredSize(string zipPath, string name, uint size)
    {
        var bytes = File.ReadAllBytes(zipPath);
        var nameBytes = System.Text.Encoding.UTF8.GetBytes(name);
        for (var i = 0; i + 46 < bytes.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            if (signature == 0x04034b50 && bytes.AsSpan(i + 30, nameBytes.Length).SequenceEqual(nameBytes))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 22), size);
            }
            else if (signature == 0x02014b50 && bytes.AsSpan(i + 46, Math.Min(nameBytes.Length, bytes.Length - i - 46)).SequenceEqual(nameBytes))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 24), size);
            }
        }

        File.WriteAllBytes(zipPath, bytes);
    }
}
