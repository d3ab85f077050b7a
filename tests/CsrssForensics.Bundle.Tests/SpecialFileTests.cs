using System.Diagnostics;
using CsrssForensics.Bundle.Tests.Support;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle.Tests;

/// <summary>A FIFO in a bundle folder is refused, never opened (opening one for reading blocks until a writer comes).</summary>
public sealed class SpecialFileTests
{
    [Fact]
    public void Fifo_in_a_bundle_folder_is_refused_and_not_opened()
    {
        using var bundle = new TempBundle().Write("processes.csv", SampleParts.ProcessesCsv).Seal();
        MakeFifo(bundle.PathOf("host.json"));

        using var opened = BundleReader.Open(bundle.Folder);

        Assert.DoesNotContain("host.json", opened.Source.Entries);
        var refusal = Assert.Single(opened.Snapshot.Integrity.Findings, f => f.Problem == IntegrityProblem.Refused);
        Assert.Contains("not a regular file (FIFO, socket or device)", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(2, opened.Snapshot.Processes.Length);
    }

    [Fact]
    public void Regular_files_and_folders_are_not_special()
    {
        using var bundle = new TempBundle().Write("a.txt", "a");
        MakeFifo(bundle.PathOf("pipe"));

        Assert.False(SpecialFiles.IsSpecial(bundle.PathOf("a.txt")));
        Assert.False(SpecialFiles.IsSpecial(bundle.Folder));
        Assert.False(SpecialFiles.IsSpecial(bundle.PathOf("missing")));
        Assert.True(SpecialFiles.IsSpecial(bundle.PathOf("pipe")));
    }

    private static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo") { ArgumentList = { path }, UseShellExecute = false })!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0 && File.Exists(path), "mkfifo (coreutils) is needed for this test");
    }
}
