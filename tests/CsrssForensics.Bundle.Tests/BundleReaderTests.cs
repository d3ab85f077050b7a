using System.Security.Cryptography;
using CsrssForensics.Bundle.Tests.Support;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle.Tests;

public sealed class BundleReaderTests
{
    [Fact]
    public void Sealed_folder_is_verified_and_every_part_is_parsed()
    {
        using var bundle = SampleParts.FullBundle();

        using var opened = BundleReader.Open(bundle.Folder);
        var snapshot = opened.Snapshot;

        Assert.Equal("bundle", snapshot.BundleName);
        Assert.Equal(IntegrityStatus.Verified, snapshot.Integrity.Status);
        Assert.Empty(snapshot.Integrity.Findings);
        Assert.Null(snapshot.Integrity.BundleSha256);
        Assert.Empty(snapshot.Anomalies);
        Assert.Empty(snapshot.MissingParts);

        Assert.NotNull(snapshot.Manifest);
        Assert.Equal("csrss-forensics-bundle", snapshot.Manifest.Format);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 8, 15, 0, TimeSpan.Zero), snapshot.Manifest.CollectedAtUtc);
        Assert.Equal(12, snapshot.Manifest.Files.Length);

        Assert.Equal(2, snapshot.Processes.Length);
        var csrss = snapshot.Processes[1];
        Assert.Equal(612, csrss.Pid);
        Assert.Equal(500, csrss.ParentPid);
        Assert.Equal("csrss.exe", csrss.Name);
        Assert.Equal(@"C:\Windows\System32\csrss.exe", csrss.ImagePath);
        Assert.Equal(@"C:\Windows\system32\csrss.exe ObjectDirectory=\Windows SharedSection=1024,20480,768", csrss.CommandLine);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 7, 1, 15, TimeSpan.Zero), csrss.CreationTimeUtc);
        Assert.Equal(0, csrss.SessionId);
        Assert.Equal(0.5, csrss.CpuPercent);
        Assert.Equal(5935104L, csrss.WorkingSetBytes);
        Assert.Equal(new EvidenceRef("processes.csv", 2), csrss.Source);
        Assert.Null(snapshot.Processes[0].ImagePath);

        var file = Assert.Single(snapshot.Files);
        Assert.Equal("055bc33cea97c8ef88827a2333b7d7aaeaac4d562cf2614ab5ba19cd2bcbdc5f", file.Sha256);
        Assert.Equal("CN=Microsoft Windows, O=Microsoft Corporation", file.HostSignature.SignerSubject);
        Assert.Equal("binaries/055bc33cea97c8ef88827a2333b7d7aaeaac4d562cf2614ab5ba19cd2bcbdc5f.bin", file.BinaryBundlePath);
        Assert.Null(file.ZoneIdentifier);

        Assert.NotNull(snapshot.Host);
        Assert.Equal(@"C:\Windows", snapshot.Host.SystemRoot);
        Assert.Equal(2, snapshot.Host.Sessions.Length);
        Assert.Equal("CORP\\alice", snapshot.Host.Sessions[1].User);

        var autorun = Assert.Single(snapshot.Autoruns);
        Assert.Equal(AutorunKind.RunKey, autorun.Kind);
        Assert.Equal(new EvidenceRef("autoruns.json", 0), autorun.Source);

        var task = Assert.Single(snapshot.Tasks);
        Assert.Equal(@"\Microsoft\Windows\Maintenance\csrss", task.TaskPath);

        Assert.Equal<string>(["binaries/055bc33cea97c8ef88827a2333b7d7aaeaac4d562cf2614ab5ba19cd2bcbdc5f.bin"], snapshot.BinaryEntries);
        Assert.Equal<string>(["catalogs/nt5.cat"], snapshot.CatalogEntries);
        Assert.Equal<string>(["certstores/LocalMachine-Root.pem"], snapshot.CertStoreEntries);

        var program = Assert.Single(snapshot.Programs);
        Assert.Equal(new DateOnly(2026, 11, 18), program.InstallDate);
        Assert.Equal(new EvidenceRef("programs.json", 0), program.Source);
        Assert.Equal("aaaabbbbccccddddeeeeffffgggghhhh", Assert.Single(snapshot.BrowserExtensions).Id);
        Assert.NotNull(snapshot.Defender?.Status);
        Assert.False(snapshot.Defender.Status.RealTimeProtectionEnabled);
        Assert.Equal("Trojan:Win32/Fake", Assert.Single(snapshot.Defender.Detections).ThreatName);
    }

    [Fact]
    public void Zip_bundle_reads_like_the_folder_and_carries_the_zip_hash()
    {
        using var bundle = SampleParts.FullBundle();
        var zip = bundle.ZipPath();
        BundleSealer.WriteZip(zip, Directory.EnumerateFiles(bundle.Folder, "*", SearchOption.AllDirectories)
            .Select(f => KeyValuePair.Create(Path.GetRelativePath(bundle.Folder, f).Replace('\\', '/'), File.ReadAllBytes(f))));

        using var fromFolder = BundleReader.Open(bundle.Folder);
        using var fromZip = BundleReader.Open(zip);

        Assert.Equal(IntegrityStatus.Verified, fromZip.Snapshot.Integrity.Status);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(zip))), fromZip.Snapshot.Integrity.BundleSha256);
        Assert.Equal("bundle.zip", fromZip.Snapshot.BundleName);
        Assert.Empty(fromZip.Snapshot.Anomalies);
        Assert.Equal<string>(fromFolder.Source.Entries, fromZip.Source.Entries);
        Assert.Equal<ProcessRecord>(fromFolder.Snapshot.Processes, fromZip.Snapshot.Processes);
        Assert.Equal<FileRecord>(fromFolder.Snapshot.Files, fromZip.Snapshot.Files);
        Assert.Equal(fromFolder.Snapshot.Tasks[0].TaskPath, fromZip.Snapshot.Tasks[0].TaskPath);
        Assert.Equal(
            fromFolder.Source.TryReadAllBytes("catalogs/nt5.cat", new AnomalyList()),
            fromZip.Source.TryReadAllBytes("catalogs/nt5.cat", new AnomalyList()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Anomalies_keep_the_part_order_although_files_csv_is_read_on_another_thread(bool zipped)
    {
        // files.csv is parsed beside the other parts; its anomalies still sit between processes.csv's and the tasks'.
        var files = new System.Text.StringBuilder("path,size\n");
        for (var i = 1; i <= 3000; i++)
        {
            files.Append(i is 2 or 2999 ? "" : $@"C:\Tools\t{i}.exe").Append(",1\n");
        }

        using var bundle = new TempBundle()
            .Write("processes.csv", "pid,name\nx,bad\n4,System\n")
            .Write("files.csv", files.ToString())
            .Write("tasks/Bad.xml", "<Task")
            .Seal();
        var path = bundle.Folder;
        if (zipped)
        {
            path = bundle.ZipPath();
            BundleSealer.WriteZip(path, Directory.EnumerateFiles(bundle.Folder, "*", SearchOption.AllDirectories)
                .Select(f => KeyValuePair.Create(Path.GetRelativePath(bundle.Folder, f).Replace('\\', '/'), File.ReadAllBytes(f))));
        }

        using var opened = BundleReader.Open(path);

        Assert.Equal(2998, opened.Snapshot.Files.Length);
        Assert.Equal(
            [("processes.csv", (int?)1), ("files.csv", 2), ("files.csv", 2999), ("tasks/Bad.xml", null)],
            opened.Snapshot.Anomalies.Select(a => (a.Evidence.BundleFile, a.Evidence.Row)).ToArray());
    }

    [Fact]
    public void Changed_file_fails_integrity_and_is_still_analysed()
    {
        using var bundle = SampleParts.FullBundle();
        var tampered = SampleParts.ProcessesCsv.Replace("csrss.exe,C:", "csrsx.exe,C:", StringComparison.Ordinal);
        bundle.Write("processes.csv", tampered);

        using var opened = BundleReader.Open(bundle.Folder);

        Assert.Equal(IntegrityStatus.Failed, opened.Snapshot.Integrity.Status);
        var finding = Assert.Single(opened.Snapshot.Integrity.Findings);
        Assert.Equal(IntegrityProblem.Changed, finding.Problem);
        Assert.Equal("processes.csv", finding.Path);
        Assert.Contains("SHA-256", finding.Message, StringComparison.Ordinal);
        Assert.Equal("csrsx.exe", opened.Snapshot.Processes[1].Name);
    }

    [Fact]
    public void File_of_another_size_is_a_changed_file()
    {
        using var bundle = SampleParts.FullBundle();
        bundle.Write("host.json", SampleParts.HostJson + " ");

        using var opened = BundleReader.Open(bundle.Folder);

        var finding = Assert.Single(opened.Snapshot.Integrity.Findings);
        Assert.Equal(IntegrityProblem.Changed, finding.Problem);
        Assert.Contains("bytes", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_an_integrity_finding_and_a_missing_part()
    {
        using var bundle = SampleParts.FullBundle();
        File.Delete(bundle.PathOf("autoruns.json"));

        using var opened = BundleReader.Open(bundle.Folder);

        Assert.Equal(IntegrityStatus.Failed, opened.Snapshot.Integrity.Status);
        var finding = Assert.Single(opened.Snapshot.Integrity.Findings);
        Assert.Equal(IntegrityProblem.Missing, finding.Problem);
        Assert.Equal("autoruns.json", finding.Path);
        Assert.Equal<BundlePart>([BundlePart.Autoruns], opened.Snapshot.MissingParts);
        Assert.Empty(opened.Snapshot.Autoruns);
    }

    [Fact]
    public void Extra_file_is_an_integrity_finding()
    {
        using var bundle = SampleParts.FullBundle();
        bundle.Write("binaries/planted.bin", "MZ");

        using var opened = BundleReader.Open(bundle.Folder);

        Assert.Equal(IntegrityStatus.Failed, opened.Snapshot.Integrity.Status);
        var finding = Assert.Single(opened.Snapshot.Integrity.Findings);
        Assert.Equal(IntegrityProblem.Extra, finding.Problem);
        Assert.Equal("binaries/planted.bin", finding.Path);
        Assert.Contains("binaries/planted.bin", opened.Snapshot.BinaryEntries);
    }

    [Fact]
    public void Missing_manifest_leaves_the_bundle_unverified_but_parsed()
    {
        using var bundle = SampleParts.FullBundle();
        File.Delete(bundle.PathOf("manifest.json"));

        using var opened = BundleReader.Open(bundle.Folder);

        Assert.Equal(IntegrityStatus.Unverified, opened.Snapshot.Integrity.Status);
        Assert.Null(opened.Snapshot.Manifest);
        var finding = Assert.Single(opened.Snapshot.Integrity.Findings);
        Assert.Equal(IntegrityProblem.Missing, finding.Problem);
        Assert.Equal("manifest.json", finding.Path);
        Assert.Contains(opened.Snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.ManifestMissing);
        Assert.Equal(2, opened.Snapshot.Processes.Length);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("""{ "format": "csrss-forensics-bundle", "format": "other", "files": [] }""")]
    public void Unreadable_manifest_leaves_the_bundle_unverified(string manifest)
    {
        using var bundle = SampleParts.FullBundle();
        bundle.Write("manifest.json", manifest);

        using var opened = BundleReader.Open(bundle.Folder);

        Assert.Equal(IntegrityStatus.Unverified, opened.Snapshot.Integrity.Status);
        Assert.Contains(opened.Snapshot.Integrity.Findings, f => f.Problem == IntegrityProblem.ManifestUnreadable);
        Assert.Contains(opened.Snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.ManifestMalformed);
    }

    [Fact]
    public void Manifest_record_with_a_hostile_path_is_a_finding()
    {
        using var bundle = new TempBundle().Write("processes.csv", SampleParts.ProcessesCsv);
        bundle.Write("manifest.json", """
            { "format": "csrss-forensics-bundle", "formatVersion": "1.0",
              "files": [ { "path": "../outside.txt", "size": 1, "sha256": "0000000000000000000000000000000000000000000000000000000000000000" },
                         { "path": "processes.csv", "size": 1, "sha256": "nothex" } ] }
            """);

        using var opened = BundleReader.Open(bundle.Folder);

        Assert.Equal(IntegrityStatus.Failed, opened.Snapshot.Integrity.Status);
        Assert.Equal(2, opened.Snapshot.Anomalies.Count(a => a.Code == BundleAnomalyCodes.ManifestBadRecord));
        Assert.Contains(opened.Snapshot.Integrity.Findings, f => f.Problem == IntegrityProblem.ManifestUnreadable && f.Path == "../outside.txt");

        // The record was unusable, so processes.csv is not vouched for: it is extra.
        Assert.Contains(opened.Snapshot.Integrity.Findings, f => f.Problem == IntegrityProblem.Extra && f.Path == "processes.csv");
    }

    [Fact]
    public void Unknown_format_is_noted_and_reading_goes_on()
    {
        using var bundle = new TempBundle().Write("processes.csv", SampleParts.ProcessesCsv);
        var manifest = System.Text.Encoding.UTF8.GetString(BundleSealer.ManifestFor(bundle.Folder)).Replace("\"1.0\"", "\"2.0\"", StringComparison.Ordinal);
        bundle.Write("manifest.json", manifest);

        using var opened = BundleReader.Open(bundle.Folder);

        Assert.Equal(IntegrityStatus.Verified, opened.Snapshot.Integrity.Status);
        Assert.Contains(opened.Snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.ManifestUnknownFormat);
    }

    [Fact]
    public void Bundle_with_only_a_manifest_lists_every_part_as_missing()
    {
        using var bundle = new TempBundle().Seal();

        using var opened = BundleReader.Open(bundle.Folder);

        Assert.Equal(IntegrityStatus.Verified, opened.Snapshot.Integrity.Status);
        Assert.Equal<BundlePart>(
            [
                BundlePart.Processes, BundlePart.Files, BundlePart.Binaries, BundlePart.Catalogs, BundlePart.Tasks, BundlePart.Autoruns,
                BundlePart.CertStores, BundlePart.Host, BundlePart.Programs, BundlePart.BrowserExtensions, BundlePart.Defender,
                BundlePart.Com,
            ],
            opened.Snapshot.MissingParts);
        Assert.Empty(opened.Snapshot.Anomalies);
    }

    [Fact]
    public void Path_that_is_neither_folder_nor_zip_throws_a_clear_exception()
    {
        using var bundle = new TempBundle();
        var notZip = Path.Combine(bundle.Root, "notes.zip");
        File.WriteAllText(notZip, "this is not a zip");

        var missing = Assert.Throws<BundleOpenException>(() => BundleReader.Open(Path.Combine(bundle.Root, "nope")));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        var bad = Assert.Throws<BundleOpenException>(() => BundleReader.Open(notZip));
        Assert.Contains("zip", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_never_writes_into_the_bundle()
    {
        using var bundle = SampleParts.FullBundle();
        var before = Directory.EnumerateFileSystemEntries(bundle.Root, "*", SearchOption.AllDirectories)
            .Select(f => (f, File.GetLastWriteTimeUtc(f))).Order().ToList();

        using (BundleReader.Open(bundle.Folder))
        {
        }

        var after = Directory.EnumerateFileSystemEntries(bundle.Root, "*", SearchOption.AllDirectories)
            .Select(f => (f, File.GetLastWriteTimeUtc(f))).Order().ToList();
        Assert.Equal(before, after);
    }

    [Fact]
    public void Nonsense_options_are_a_caller_error()
    {
        using var bundle = new TempBundle().Seal();

        Assert.Throws<ArgumentOutOfRangeException>(() => BundleReader.Open(bundle.Folder, new BundleReaderOptions { MaxEntries = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => BundleReader.Open(bundle.Folder, new BundleReaderOptions { MaxCompressionRatio = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => BundleReader.Open(bundle.Folder, new BundleReaderOptions { MaxEntryBytes = -1 }));
    }
}
