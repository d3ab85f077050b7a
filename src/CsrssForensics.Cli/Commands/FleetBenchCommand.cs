using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CsrssForensics.Analysis;
using CsrssForensics.Fleet.Batch;
using CsrssForensics.Fleet.Generation;

namespace CsrssForensics.Cli.Commands;

/// <summary>
/// <c>bench-fleet --hosts N [--work DIR]</c>: generates N hosts (FleetGenerator), analyses them as one batch into one
/// case with the reports <c>analyze</c> writes by default, and prints bundles per second, CPU time, distinct binaries
/// verified and peak memory.
/// </summary>
internal static class FleetBenchCommand
{
    public static Command Create()
    {
        var hosts = new Option<int>("--hosts") { Description = "Hosts to generate.", DefaultValueFactory = _ => 100 };
        var work = new Option<DirectoryInfo?>("--work") { Description = "Folder for the generated bundles and the output (default: a new temporary folder, removed afterwards)." };
        var command = new Command("bench-fleet", "Measure a fleet run on generated hosts (figures for docs/performance.md).") { hosts, work };
        command.SetAction(parse => Run(parse.GetValue(hosts), parse.GetValue(work)));
        return command;
    }

    private static int Run(int hostCount, DirectoryInfo? work)
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
            var planted = FleetGenerator.Generate(bundles, hostCount);
            var generated = clock.Elapsed;

            clock.Restart();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var inputs = BundleInputs.Expand([bundles]);
            var options = new FleetOptions(output, FormatOption.DefaultFormats, AnalysisOptions.Default, Path.Combine(output, BatchAnalysis.DefaultCaseFile));
            var result = FleetRunner.Run(inputs, options, new NoProgress());
            var analysed = clock.Elapsed;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;

            var summary = result.Summary;
            var firstScreen = summary.Hosts.Take(planted.Count).Select(h => h.HostName).ToHashSet(StringComparer.Ordinal);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hosts                  {hostCount} ({planted.Count} planted fakes)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generate               {generated.TotalSeconds:F1} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"analyse (batch)        {analysed.TotalSeconds:F1} s, {hostCount / analysed.TotalSeconds:F1} bundles/s, {Environment.ProcessorCount} cores, CPU {cpu.TotalSeconds:F1} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"binaries               {summary.BinariesVerified} distinct verified, {summary.BinariesReused} reused ({summary.BinariesReusedFromCase} from the case)"));
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
