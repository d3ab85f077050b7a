using CsrssForensics.Analysis;
using CsrssForensics.Fleet.Batch;
using CsrssForensics.Fleet.Summary;
using CsrssForensics.Reporting;
using CsrssForensics.Rules;

namespace CsrssForensics.Cli.Commands;

/// <summary>
/// <c>analyze</c> over many bundles: checks the output before anything runs, runs the batch with a progress display
/// on stderr, prints one line per host and exits with the worst outcome (docs/exit-codes.md).
/// </summary>
internal static class BatchAnalysis
{
    /// <summary>The batch output folder when <c>--out</c> is not given.</summary>
    public const string DefaultOutput = "csrss-forensics-fleet";

    /// <summary>The case database's file name in the batch output when <c>--case</c> is not given.</summary>
    public const string DefaultCaseFile = "case.duckdb";

    /// <summary>
    /// A batch: more than one argument, a pattern, or one folder that holds bundles rather than being one. A single
    /// bundle keeps the single-bundle behaviour exactly.
    /// </summary>
    public static bool IsBatch(IReadOnlyList<FileSystemInfo> bundles) =>
        bundles.Count > 1
        || bundles[0].ToString().AsSpan().IndexOfAny('*', '?') >= 0
        || BundleInputs.IsFolderOfBundles(bundles[0].FullName);

    public static int Run(
        IReadOnlyList<FileSystemInfo> bundles, DirectoryInfo? output, ReportFormats formats, bool force, FileInfo? caseFile, AnalysisOptions options, bool quiet)
    {
        var inputs = BundleInputs.Expand(bundles.Select(b => b.ToString()));
        if (inputs.Count == 0)
        {
            throw new CliFailure(ExitCodes.UnreadableInput, "no bundle matches the paths given");
        }

        var outPath = Path.GetFullPath(output?.FullName ?? DefaultOutput);
        var casePath = Path.GetFullPath(caseFile?.FullName ?? Path.Combine(outPath, DefaultCaseFile));
        CheckOutput(outPath, casePath, inputs, force);

        FleetResult result;
        try
        {
            var fleetOptions = new FleetOptions(outPath, formats, options, casePath);
            result = quiet
                ? FleetRunner.Run(inputs, fleetOptions, new SilentProgress())
                : FleetProgressDisplay.Run(inputs, fleetOptions);
        }
        catch (RuleSetException error)
        {
            throw new CliFailure(ExitCodes.UnreadableInput, $"--rules: {error.Message}", error);
        }
        catch (DuckDB.NET.Data.DuckDBException error)
        {
            throw new CliFailure(ExitCodes.CannotWriteOutput, $"the case '{casePath}' cannot be used: {error.Message}", error);
        }

        Render(result, casePath, quiet);
        return result.Summary.Hosts.Count == 0 ? ExitCodes.Clean : ExitCodeFor(result.Summary.Hosts.Min(h => h.Status));
    }

    /// <summary>The worst status decides: compromised (1), then unreadable (65), suspicious (2), inconclusive (3), clean (0).</summary>
    internal static int ExitCodeFor(HostStatus worst) => worst switch
    {
        HostStatus.Compromised => ExitCodes.Compromised,
        HostStatus.Unreadable => ExitCodes.UnreadableInput,
        HostStatus.Suspicious => ExitCodes.Suspicious,
        HostStatus.Inconclusive => ExitCodes.Inconclusive,
        _ => ExitCodes.Clean,
    };

    private static void CheckOutput(string outPath, string casePath, IReadOnlyList<BundleInput> inputs, bool force)
    {
        var realOut = RealPaths.Of(outPath);
        var realCase = RealPaths.Of(casePath);
        foreach (var input in inputs.Where(i => Directory.Exists(i.Path) || File.Exists(i.Path)))
        {
            var real = RealPaths.Of(input.Path);
            if (OutputFolder.IsSameOrInside(realOut, real) || OutputFolder.IsSameOrInside(realCase, real))
            {
                throw new CliFailure(ExitCodes.CannotWriteOutput, $"--out or --case is inside the bundle '{input.Path}' (or is it): the evidence is never written to");
            }
        }

        if (new DirectoryInfo(outPath).LinkTarget is { } target)
        {
            throw new CliFailure(ExitCodes.CannotWriteOutput, $"--out '{outPath}' is a symbolic link (to '{target}'); reports are never written through a link: give the real folder");
        }

        if (File.Exists(outPath))
        {
            throw new CliFailure(ExitCodes.CannotWriteOutput, $"--out '{outPath}' is a file, not a folder");
        }

        var earlier = FleetSummaryWriter.FileNames.FirstOrDefault(n => File.Exists(Path.Combine(outPath, n)) || Directory.Exists(Path.Combine(outPath, n)));
        if (earlier is not null && !force)
        {
            throw new CliFailure(ExitCodes.CannotWriteOutput, $"--out '{outPath}' already holds a fleet summary ({earlier}); add --force to replace it (host reports are never overwritten), or choose another folder");
        }

        try
        {
            Directory.CreateDirectory(outPath);
            Directory.CreateDirectory(Path.GetDirectoryName(casePath)!);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CliFailure(ExitCodes.CannotWriteOutput, $"--out '{outPath}' cannot be created: {error.Message}", error);
        }
    }

    private static void Render(FleetResult result, string casePath, bool quiet)
    {
        var summary = result.Summary;
        var counts = string.Join(", ", summary.StatusCounts.Where(c => c.Value > 0).Select(c => $"{c.Value} {c.Key}"));
        Console.WriteLine($"FLEET: {summary.Bundles} bundles ({counts}); {summary.BinariesVerified} distinct binaries verified, {summary.BinariesReused} results reused ({summary.BinariesReusedFromCase} from earlier runs in the case)");
        if (quiet)
        {
            return;
        }

        foreach (var host in summary.Hosts)
        {
            var where = host.ReportFolder ?? ("unreadable: " + host.Error);
            Console.WriteLine($"  {HostStatuses.Word(host.Status),-12} {TerminalText.Printable(host.HostName ?? host.InputName)}  {TerminalText.Printable(where)}");
        }

        foreach (var path in result.Written)
        {
            Console.WriteLine($"wrote {TerminalText.Printable(path)}");
        }

        Console.WriteLine($"case {TerminalText.Printable(casePath)}");
    }

    private sealed class SilentProgress : IFleetProgress
    {
        public void Started(int total)
        {
        }

        public void Finished(FleetProgressUpdate update)
        {
        }
    }
}
