using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CsrssForensics.Analysis;
using CsrssForensics.Fleet.Batch;
using CsrssForensics.Fleet.Generation;
using CsrssForensics.Reporting;

namespace CsrssForensics.Cli.Commands;

/// <summary>
/// <c>bench-fleet --hosts N [--genuine FILE] [--work DIR]</c>: generates N hosts (FleetGenerator), analyses them as one
/// batch into one case, and prints bundles per second, distinct binaries verified and peak memory.
/// </summary>
internal static class FleetBenchCommand
{
    public static Command Create()
    {
        var hosts = new Option<int>("--hosts") { Description = "Hosts to generate.", DefaultValueFactory = _ => 100 };
        var genuine = new Option<FileInfo?>("--genuine") { Description = "A signed PE copied as every host's System32 csrss.exe (e.g. fixtures/pe/sig-System.Buffers.dll); without it the genuine images are listed, not copied." };
        var work = new Option<DirectoryInfo?>("--work") { Description = "Folder for the generated bundles and the output (default: a new temporary folder, removed afterwards)." };
        var command = new Command("bench-fleet", "Measure a fleet run on generated hosts (figures for docs/performance.md).") { hosts, genuine, work };
        command.SetAction(parse => Run(parse.GetValue(hosts), parse.GetValue(genuine), parse.GetValue(work)));
        return command;
    }

    private static int Run(int hostCount, FileInfo? genuine, DirectoryInfo? work)
    {
        if (hostCount < 1)
        {
            throw new CliFailure(ExitCodes.UsageError, "--hosts must be at least 1");
        }

        var root = work?.FullName ?? Path.Combine(Path.GetTempPath(), "csrss-forensics-bench-fleet-" + Guid.NewGuid().ToString("N"));
        var bundles = Path.Combine(root, "bundles");
        var output = Path.Combine(root, "out");
        if (Directory.Exists(bundles) || Directory.Exists(output))
        {
            throw new CliFailure(ExitCodes.CannotWriteOutput, $"--work '{root}' already holds bundles/ or out/; give an empty folder");
        }

        try
        {
            var clock = Stopwatch.StartNew();
            var planted = FleetGenerator.Generate(bundles, hostCount, genuine is null ? null : File.ReadAllBytes(genuine.FullName));
            var generated = clock.Elapsed;

            clock.Restart();
            var inputs = BundleInputs.Expand([bundles]);
            var options = new FleetOptions(output, ReportFormats.All, AnalysisOptions.Default, Path.Combine(output, BatchAnalysis.DefaultCaseFile));
            var result = FleetRunner.Run(inputs, options, new NoProgress());
            var analysed = clock.Elapsed;
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;

            var summary = result.Summary;
            var firstScreen = summary.Hosts.Take(planted.Count).Select(h => h.HostName).ToHashSet(StringComparer.Ordinal);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hosts                  {hostCount} ({planted.Count} planted fakes)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generate               {generated.TotalSeconds:F1} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"analyse (batch)        {analysed.TotalSeconds:F1} s, {hostCount / analysed.TotalSeconds:F1} bundles/s, {Environment.ProcessorCount} cores"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"binaries               {summary.BinariesVerified} distinct verified, {summary.BinariesReused} reused"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set       {peak / (1024.0 * 1024):F0} MiB"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"statuses               {string.Join(", ", summary.StatusCounts.Select(c => $"{c.Value} {c.Key}"))}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"planted in top rows    {planted.Count(p => firstScreen.Contains(p.HostName))} of {planted.Count}"));
            return ExitCodes.Clean;
        }
        finally
        {
            if (work is null && Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private sealed class NoProgress : IFleetProgress
    {
        public void Started(int total)
        {
        }

        public void Finished(FleetProgressUpdate update)
        {
        }
    }
}
