using CsrssForensics.Reporting;

namespace CsrssForensics.Cli.Commands;

/// <summary>
/// The <c>--out</c> folder, checked before any analysis: never inside (or equal to) the bundle folder, a folder and
/// not a file, creatable and writable, and holding no earlier report unless <c>--force</c>. With <c>--force</c>, earlier
/// report files of formats not asked for are removed, so the folder never mixes two runs. A symbolic link as the folder
/// is refused; a link at a report's name is replaced, never followed. Only files named
/// <c>report.md</c>, <c>report.html</c>, <c>report.json</c>, <c>report.csv</c>, <c>report.jsonl</c> and
/// <c>report.timesketch.jsonl</c> are ever removed.
/// </summary>
internal sealed class OutputFolder
{
    /// <summary>The file each format is written to by <see cref="ReportWriter.WriteAll"/>.</summary>
    internal static readonly (ReportFormats Format, string FileName)[] ReportFiles =
    [
        (ReportFormats.Markdown, "report.md"),
        (ReportFormats.Html, "report.html"),
        (ReportFormats.Json, "report.json"),
        (ReportFormats.Csv, "report.csv"),
        (ReportFormats.Jsonl, "report.jsonl"),
        (ReportFormats.Timesketch, "report.timesketch.jsonl"),
    ];

    private readonly bool _created;

    private OutputFolder(string path, bool created)
    {
        Path = path;
        _created = created;
    }

    /// <summary>The full path of the folder.</summary>
    public string Path { get; }

    /// <summary>Checks and creates the folder; throws <see cref="CliFailure"/> (73) naming the problem.</summary>
    public static OutputFolder Prepare(string outPath, string bundlePath, bool force)
    {
        var path = System.IO.Path.GetFullPath(outPath);
        if (Directory.Exists(bundlePath) && IsSameOrInside(RealPaths.Of(path), RealPaths.Of(bundlePath)))
        {
            throw Failure($"--out '{path}' is inside the bundle folder '{bundlePath}' (or is it): the evidence is never written to; choose a folder outside it");
        }

        // A link as --out would put the reports wherever the link points (a bundle, a system folder): refused, with
        // its target named so the responder can pass the real folder on purpose.
        if (new DirectoryInfo(path).LinkTarget is { } target)
        {
            throw Failure($"--out '{path}' is a symbolic link (to '{target}'); reports are never written through a link: give the real folder");
        }

        if (File.Exists(path))
        {
            throw Failure($"--out '{path}' is a file, not a folder");
        }

        var created = !Directory.Exists(path);
        if (!created)
        {
            CheckEarlierReports(path, force);
        }

        try
        {
            Directory.CreateDirectory(path);

            // Writable now, not after minutes of analysis: a probe file that deletes itself.
            using var probe = new FileStream(
                System.IO.Path.Combine(path, $".csrss-forensics-write-test-{Guid.NewGuid():N}"),
                FileMode.CreateNew,
                FileAccess.Write,
                FileShare.None,
                1,
                FileOptions.DeleteOnClose);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw Failure($"--out '{path}' cannot be created or written to: {error.Message}");
        }

        return new OutputFolder(path, created);
    }

    /// <summary>Writes the reports, first removing earlier report files of formats not asked for (the caller checked --force).</summary>
    public IReadOnlyList<string> Write(Core.Report.AnalysisReport report, ReportFormats formats)
    {
        try
        {
            // Stale formats go only once the new reports are in place: a failed write leaves the earlier run whole.
            var written = ReportWriter.WriteAll(report, Path, formats);
            foreach (var (format, fileName) in ReportFiles)
            {
                if (!formats.HasFlag(format))
                {
                    // Deletes a link at that name, never its target.
                    File.Delete(System.IO.Path.Combine(Path, fileName));
                }
            }

            return written;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw Failure($"cannot write the reports to '{Path}': {error.Message}");
        }
    }

    /// <summary>Removes the folder when this run created it and left it empty (the analysis failed before writing).</summary>
    public void RemoveIfCreatedAndEmpty()
    {
        try
        {
            if (_created && !Directory.EnumerateFileSystemEntries(Path).Any())
            {
                Directory.Delete(Path);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Best effort: an empty folder left behind does no harm, and the real error is the one to report.
        }
    }

    private static void CheckEarlierReports(string path, bool force)
    {
        foreach (var (_, fileName) in ReportFiles)
        {
            var file = System.IO.Path.Combine(path, fileName);
            // Looked at without following links: a link at a report's name counts as an earlier report and is
            // replaced (never written through) with --force.
            var info = new FileInfo(file);
            var isLink = info.LinkTarget is not null;
            if (!isLink && Directory.Exists(file))
            {
                throw Failure($"--out '{path}' holds a folder named {fileName}; remove it or choose another folder");
            }

            if ((isLink || info.Exists) && !force)
            {
                throw Failure($"--out '{path}' already holds reports ({fileName}); add --force to replace them, or choose another folder");
            }
        }
    }

    internal static bool IsSameOrInside(string path, string folder)
    {
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var trimmed = System.IO.Path.TrimEndingDirectorySeparator(folder);
        return string.Equals(System.IO.Path.TrimEndingDirectorySeparator(path), trimmed, comparison)
            || path.StartsWith(trimmed + System.IO.Path.DirectorySeparatorChar, comparison);
    }

    private static CliFailure Failure(string message) => new(ExitCodes.CannotWriteOutput, message);
}
