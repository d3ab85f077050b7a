using System.Runtime.ExceptionServices;

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
    /// failure while writing, no temporary file is left behind and no target is replaced.
    /// </summary>
    /// <param name="files">The targets and their writers; each writer must only read shared state.</param>
    /// <param name="parallelism">
    /// How many temporary files are written at once. The renames still happen in list order after every write has
    /// finished, and a failure reports the first failing file in list order, as a one-by-one run would.
    /// </param>
    public static void WriteAll(IReadOnlyList<(string Path, Action<Stream> Write)> files, int parallelism = 1)
    {
        foreach (var (path, _) in files)
        {
            // Directory.Exists follows links; a link (even to a folder) is fine, the rename replaces the link itself.
            if (new FileInfo(path).LinkTarget is null && Directory.Exists(path))
            {
                throw new IOException($"'{path}' is a folder; the report cannot replace it (nothing was written)");
            }
        }

        var temporaries = files.Select(f => TemporaryPathFor(f.Path)).ToArray();
        var failures = new Exception?[files.Count];
        try
        {
            Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, (index, loop) =>
            {
                try
                {
                    WriteTemporary(temporaries[index], files[index].Write);
                }
                catch (Exception error)
                {
                    // Files after this one are not started (as one by one); those already running finish and are discarded.
                    failures[index] = error;
                    loop.Break();
                }
            });

            if (Array.Find(failures, f => f is not null) is { } failure)
            {
                ExceptionDispatchInfo.Capture(failure).Throw();
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

    private static void WriteTemporary(string temporary, Action<Stream> write)
    {
        // CreateNew fails on any existing name, a planted link included, so the bytes land in a new file.
        using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        write(stream);
        stream.Flush(flushToDisk: true);
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
