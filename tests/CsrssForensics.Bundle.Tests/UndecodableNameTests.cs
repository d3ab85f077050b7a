using System.Diagnostics;
using CsrssForensics.Bundle.Tests.Support;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle.Tests;

/// <summary>A file name that is not valid UTF-8 is a finding about that entry; the rest of the folder bundle is read.</summary>
public sealed class UndecodableNameTests
{
    [Fact]
    public void File_name_that_is_not_utf8_is_refused_with_an_anomaly_and_the_other_parts_are_read()
    {
        // Given a sealed bundle folder plus one file named with the bytes 'x', 0xFF, '.bin'
        using var bundle = new TempBundle().Write("processes.csv", SampleParts.ProcessesCsv).Write("host.json", SampleParts.HostJson).Seal();
        MakeFileWithRawName(bundle.PathOf("binaries"), "x\\377.bin");

        // When
        using var opened = BundleReader.Open(bundle.Folder);

        // Then the entry is refused by its visible form, with a stable code, and the other parts are analysed
        var refusal = Assert.Single(opened.Snapshot.Integrity.Findings, f => f.Problem == IntegrityProblem.Refused);
        Assert.Equal("binaries/x\uFFFD.bin", refusal.Path);
        Assert.Contains("not valid UTF-8", refusal.Message, StringComparison.Ordinal);
        var anomaly = Assert.Single(opened.Snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.UndecodableEntryName);
        Assert.Equal("binaries/x\uFFFD.bin", anomaly.Evidence.BundleFile);
        Assert.Equal(2, opened.Snapshot.Processes.Length);
        Assert.NotNull(opened.Snapshot.Host);
        Assert.DoesNotContain(opened.Source.Entries, e => e.Contains('\uFFFD', StringComparison.Ordinal));
    }

    [Fact]
    public void Folder_name_that_is_not_utf8_is_refused_without_being_descended_into()
    {
        using var bundle = new TempBundle().Write("processes.csv", SampleParts.ProcessesCsv).Seal();
        MakeFileWithRawName(bundle.Folder, "d\\376\\377/inner.bin");

        using var opened = BundleReader.Open(bundle.Folder);

        var refusal = Assert.Single(opened.Snapshot.Integrity.Findings, f => f.Problem == IntegrityProblem.Refused);
        Assert.Equal("d\uFFFD\uFFFD", refusal.Path);
        Assert.Equal(2, opened.Snapshot.Processes.Length);
    }

    [Fact]
    public void Name_holding_a_real_replacement_character_is_an_ordinary_entry()
    {
        // U+FFFD encoded as valid UTF-8 (EF BF BD) names a file that exists: nothing to refuse.
        using var bundle = new TempBundle().Write("processes.csv", SampleParts.ProcessesCsv).Write("binaries/x\uFFFD.bin", "MZ").Seal();

        using var opened = BundleReader.Open(bundle.Folder);

        Assert.Contains("binaries/x\uFFFD.bin", opened.Source.Entries);
        Assert.DoesNotContain(opened.Snapshot.Integrity.Findings, f => f.Problem == IntegrityProblem.Refused);
    }

    /// <summary>
    /// Creates <paramref name="rawName"/> (printf escapes, may hold one '/') under <paramref name="folder"/> with the
    /// shell, since .NET encodes every name it is given as UTF-8. Fails loudly when the file system refuses the name.
    /// </summary>
    internal static void MakeFileWithRawName(string folder, string rawName)
    {
        Directory.CreateDirectory(folder);
        var script = "p=\"$(printf \"$1\")\"; mkdir -p \"$(dirname \"$p\")\" && printf 'bytes' > \"$p\" && ls \"$p\" >/dev/null";
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = folder, UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", script, "sh", rawName })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"the file system under {folder} refused a name that is not UTF-8 ({rawName}): {error}");
        Assert.Contains(Directory.EnumerateFileSystemEntries(folder), p => p.Contains('\uFFFD', StringComparison.Ordinal));
    }
}
