namespace CsrssForensics.Reporting;

/// <summary>
/// Writes a set of files so that none is ever seen half-written and none is written through a link: every target is
/// checked first, each file goes to a fresh temporary file in the same folder, and only then is each renamed over its
/// target. A rename replaces a symbolic link at the target's name; it never writes into the link's target.
/// </summary>
internal static class AtomicFiles
{
    private const string TemporarySuffix = ".tmp";

    /// <summary>
    /// Writes every file, each streamed straight into its temporary file by its writer, or, when a target is a folder, none (an <see cref="IOException"/> naming it). On an I/O
    /// failure while writing, no temporary file is left behind.
    /// </summary>
    public static void WriteAll(IReadOnlyList<(string Path, Action<Stream> Write)> files)
    {
        foreach (var (path, _) in files)
        {
            // Directory.Exists follows links; a link (even to a folder) is fine, the rename replaces the link itself.
            if (new FileInfo(path).LinkTarget is null && Directory.Exists(path))
            {
                throw new IOException($"'{path}' is a folder; the report cannot replace it (nothing was written)");
            }
        }

        var temporaries = new List<string>(files.Count);
        try
        {
            foreach (var (path, write) in files)
            {
                var temporary = TemporaryPathFor(path);
                temporaries.Add(temporary);

                // CreateNew fails on any existing name, a planted link included, so the bytes land in a new file.
                using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            for (var index = 0; index < files.Count; index++)
            {
                File.Move(temporaries[index], files[index].Path, overwrite: true);
            }
        }
        finally
        {
            foreach (var temporary in temporaries)
            {
                TryDelete(temporary);
            }
        }
    }

    private static string TemporaryPathFor(string path) =>
        Path.Combine(
            Path.GetDirectoryName(path) ?? ".",
            $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{TemporarySuffix}");

    private static void TryDelete(string path)
    {
        try
        {
            // After a successful rename the name is gone and this does nothing.
            File.Delete(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Best effort: the write's own error is the one to report.
        }
    }
}
