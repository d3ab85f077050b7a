using CsrssForensics.Bundle.Tests.Support;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle.Tests;

/// <summary>What is not a bundle is refused with one line naming what was expected; one top folder is looked into.</summary>
public sealed class NotABundleTests
{
    [Fact]
    public void Empty_folder_is_not_a_bundle()
    {
        using var bundle = new TempBundle();

        var refusal = Assert.Throws<NotABundleException>(() => BundleReader.Open(bundle.Folder));

        AssertNamesWhatWasExpected(refusal, bundle.Folder);
    }

    [Fact]
    public void Folder_of_random_files_is_not_a_bundle()
    {
        using var bundle = new TempBundle().Write("holiday.jpg", "not a picture").Write("notes/todo.txt", "buy milk").Write("report.csv", "a,b\n");

        var refusal = Assert.Throws<NotABundleException>(() => BundleReader.Open(bundle.Folder));

        AssertNamesWhatWasExpected(refusal, bundle.Folder);
    }

    [Fact]
    public void Folder_whose_single_top_folder_holds_random_files_is_not_a_bundle()
    {
        using var bundle = new TempBundle().Write("x/readme.txt", "hello").Write("x/sub/processes.csv", "nested too deep");

        Assert.Throws<NotABundleException>(() => BundleReader.Open(bundle.Folder));
    }

    [Fact]
    public void Empty_zip_is_not_a_bundle()
    {
        using var bundle = new TempBundle();
        var zip = bundle.ZipPath();
        BundleSealer.WriteZip(zip, []);

        var refusal = Assert.Throws<NotABundleException>(() => BundleReader.Open(zip));

        AssertNamesWhatWasExpected(refusal, zip);
    }

    [Fact]
    public void Zip_of_random_files_is_not_a_bundle()
    {
        using var bundle = new TempBundle();
        var zip = bundle.ZipPath();
        BundleSealer.WriteZip(zip, [Entry("a.txt", "x"), Entry("pics/b.png", "y"), Entry("processes.txt", "z")]);

        var refusal = Assert.Throws<NotABundleException>(() => BundleReader.Open(zip));

        AssertNamesWhatWasExpected(refusal, zip);
    }

    [Fact]
    public void Zip_of_refused_names_only_says_entries_were_refused()
    {
        using var bundle = new TempBundle();
        var zip = bundle.ZipPath();
        BundleSealer.WriteZip(zip, [Entry("../manifest.json", "{}"), Entry("/processes.csv", "pid\n")]);

        var refusal = Assert.Throws<NotABundleException>(() => BundleReader.Open(zip));

        Assert.Contains("2 entries refused, first: Entry '", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refusal.Message);
    }

    [Fact]
    public void Zip_with_two_top_folders_is_not_a_bundle()
    {
        using var bundle = new TempBundle();
        var zip = bundle.ZipPath();
        BundleSealer.WriteZip(zip, [Entry("a/manifest.json", "{}"), Entry("b/processes.csv", "pid\n")]);

        Assert.Throws<NotABundleException>(() => BundleReader.Open(zip));
    }

    [Fact]
    public void Path_that_does_not_exist_is_an_open_failure_that_says_so()
    {
        using var bundle = new TempBundle();
        var path = Path.Combine(bundle.Root, "nope");

        var failure = Assert.Throws<BundleOpenException>(() => BundleReader.Open(path));

        Assert.IsNotType<NotABundleException>(failure);
        Assert.Equal($"'{path}' does not exist.", failure.Message);
    }

    [Fact]
    public void Plain_file_that_is_not_a_zip_is_an_open_failure_naming_zip()
    {
        using var bundle = new TempBundle();
        var path = Path.Combine(bundle.Root, "notes.txt");
        File.WriteAllText(path, "just text");

        var failure = Assert.Throws<BundleOpenException>(() => BundleReader.Open(path));

        Assert.IsNotType<NotABundleException>(failure);
        Assert.Contains("zip", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_holding_only_a_manifest_is_a_bundle()
    {
        using var bundle = new TempBundle().Seal();

        using var opened = BundleReader.Open(bundle.Folder);

        Assert.Equal(IntegrityStatus.Verified, opened.Snapshot.Integrity.Status);
        Assert.Equal<string>(["manifest.json"], opened.Source.Entries);
    }

    [Fact]
    public void Folder_with_a_part_but_no_manifest_is_a_bundle_without_integrity()
    {
        using var bundle = new TempBundle().Write("processes.csv", SampleParts.ProcessesCsv);

        using var opened = BundleReader.Open(bundle.Folder);

        Assert.Equal(2, opened.Snapshot.Processes.Length);
        Assert.NotEqual(IntegrityStatus.Verified, opened.Snapshot.Integrity.Status);
    }

    [Fact]
    public void Flat_bundle_holding_only_a_tasks_folder_stays_flat()
    {
        using var bundle = new TempBundle().Write("tasks/Updater.xml", "<Task/>");

        using var opened = BundleReader.Open(bundle.Folder);

        Assert.Equal<string>(["tasks/Updater.xml"], opened.Source.Entries);
        Assert.Equal("bundle", opened.Snapshot.BundleName);
    }

    [Fact]
    public void Zip_whose_bundle_sits_in_one_top_folder_reads_like_the_flat_zip()
    {
        using var bundle = SampleParts.FullBundle();
        var files = FilesOf(bundle.Folder);
        var flatZip = bundle.ZipPath("flat.zip");
        var nestedZip = bundle.ZipPath("x.zip");
        BundleSealer.WriteZip(flatZip, files);
        BundleSealer.WriteZip(nestedZip, files.Select(f => KeyValuePair.Create("x/" + f.Key, f.Value)));

        using var flat = BundleReader.Open(flatZip);
        using var nested = BundleReader.Open(nestedZip);

        AssertSameSnapshot(flat, nested);
        Assert.Equal("x.zip/x", nested.Snapshot.BundleName);
        Assert.Equal(new EvidenceRef("processes.csv", 2), nested.Snapshot.Processes[1].Source);
        Assert.NotNull(nested.Source.TryReadAllBytes("catalogs/nt5.cat", new AnomalyList()));
    }

    [Fact]
    public void Folder_whose_bundle_sits_in_one_top_folder_reads_like_the_flat_folder()
    {
        using var bundle = SampleParts.FullBundle();
        using var outer = new TempBundle();
        foreach (var (name, bytes) in FilesOf(bundle.Folder))
        {
            outer.Write("x/" + name, bytes);
        }

        using var flat = BundleReader.Open(bundle.Folder);
        using var nested = BundleReader.Open(outer.Folder);

        AssertSameSnapshot(flat, nested);
        Assert.Equal("bundle/x", nested.Snapshot.BundleName);
    }

    [Fact]
    public void Tampered_file_in_a_nested_zip_still_fails_integrity()
    {
        using var bundle = SampleParts.FullBundle();
        var files = FilesOf(bundle.Folder);
        files["processes.csv"] = BundleSealer.Utf8(SampleParts.ProcessesCsv + "999,1,evil.exe,,,2026-11-20T07:01:12Z,0,,0,0,1\n");
        var zip = bundle.ZipPath("x.zip");
        BundleSealer.WriteZip(zip, files.Select(f => KeyValuePair.Create("x/" + f.Key, f.Value)));

        using var nested = BundleReader.Open(zip);

        Assert.Equal(IntegrityStatus.Failed, nested.Snapshot.Integrity.Status);
        Assert.Contains(nested.Snapshot.Integrity.Findings, f => f.Path == "processes.csv");
    }

    private static void AssertNamesWhatWasExpected(NotABundleException refusal, string path)
    {
        Assert.StartsWith($"'{path}' is not a bundle: no manifest.json and none of processes.csv, files.csv, autoruns.json, host.json, com.json, programs.json, defender.json, browser-extensions.json, tasks/, binaries/, catalogs/, certstores/ at its top or in its single top folder", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refusal.Message);
    }

    private static void AssertSameSnapshot(OpenedBundle flat, OpenedBundle nested)
    {
        Assert.Equal(flat.Snapshot.Integrity.Status, nested.Snapshot.Integrity.Status);
        Assert.Equal(IntegrityStatus.Verified, nested.Snapshot.Integrity.Status);
        Assert.Empty(nested.Snapshot.Integrity.Findings);
        Assert.Empty(nested.Snapshot.Anomalies);
        Assert.Equal<string>(flat.Source.Entries, nested.Source.Entries);
        Assert.Equal<BundlePart>(flat.Snapshot.MissingParts, nested.Snapshot.MissingParts);
        Assert.Equal<ProcessRecord>(flat.Snapshot.Processes, nested.Snapshot.Processes);
        Assert.Equal<FileRecord>(flat.Snapshot.Files, nested.Snapshot.Files);
        Assert.Equal<string>(flat.Snapshot.BinaryEntries, nested.Snapshot.BinaryEntries);
        Assert.Equal(flat.Snapshot.Tasks.Length, nested.Snapshot.Tasks.Length);
    }

    private static Dictionary<string, byte[]> FilesOf(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllBytes, StringComparer.Ordinal);

    private static KeyValuePair<string, byte[]> Entry(string name, string text) => KeyValuePair.Create(name, BundleSealer.Utf8(text));
}
