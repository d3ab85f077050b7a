using System.Diagnostics;

namespace CsrssForensics.Cli.Bench;

/// <summary>One run of this tool in a child process: wall time, peak memory and exit code.</summary>
/// <remarks><paramref name="Cpu"/> (user + system time) is what a loaded, shared machine disturbs least.</remarks>
internal sealed record ChildResult(TimeSpan Wall, TimeSpan Cpu, long PeakBytes, int ExitCode, string Output);

/// <summary>
/// Runs this same executable as a child so every measured run starts cold (JIT, caches, heap) as a user's run does,
/// and so its peak memory is its own. Peak memory is the kernel's high-water mark of the child's resident set
/// (<see cref="Process.PeakWorkingSet64"/>, VmHWM on Linux), sampled every few milliseconds until it exits: the mark
/// only grows, so the last sample misses at most what the last few milliseconds added. CPU time is sampled the same
/// way (an exited child's times cannot be read).
/// </summary>
internal static class ChildRun
{
    private static readonly TimeSpan _sample = TimeSpan.FromMilliseconds(5);

    /// <summary>The fastest of <paramref name="rounds"/> runs (the least disturbed by the other work on the machine).</summary>
    public static ChildResult Best(int rounds, Func<ChildResult> run) => Fastest(Enumerable.Range(0, rounds).Select(_ => run()).ToList());

    /// <summary>The run with the least wall time; the first of equals.</summary>
    public static ChildResult Fastest(IReadOnlyList<ChildResult> runs) => runs.MinBy(r => r.Wall)!;

    public static ChildResult Run(params string[] arguments) => RunProgram(Executable(), Prefix().Concat(arguments));

    /// <summary>Runs another program (e.g. <c>openssl</c>) the same way.</summary>
    public static ChildResult RunProgram(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var watch = Stopwatch.StartNew();
        using Process child = Process.Start(start) ?? throw new InvalidOperationException("the child process did not start");
        Task<string> output = child.StandardOutput.ReadToEndAsync();
        Task<string> errors = child.StandardError.ReadToEndAsync();
        long peak = 0;
        TimeSpan cpu = TimeSpan.Zero;
        while (!child.WaitForExit(_sample))
        {
            try
            {
                child.Refresh();
                peak = Math.Max(peak, child.PeakWorkingSet64);
                cpu = child.TotalProcessorTime;
            }
            catch (InvalidOperationException)
            {
                // Exited between the wait and the read.
            }
        }

        TimeSpan wall = watch.Elapsed;
        return new ChildResult(wall, cpu, peak, child.ExitCode, output.Result + errors.Result);
    }

    /// <summary>The apphost, or <c>dotnet</c> when the tool was started as <c>dotnet csrss-forensics.dll</c>.</summary>
    private static string Executable() => Environment.ProcessPath ?? "dotnet";

    private static IEnumerable<string> Prefix()
    {
        string host = Path.GetFileNameWithoutExtension(Environment.ProcessPath ?? "dotnet");
        // AppContext.BaseDirectory rather than Assembly.Location, which a single-file build leaves empty.
        return host.Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? [Path.Combine(AppContext.BaseDirectory, typeof(ChildRun).Assembly.GetName().Name + ".dll")]
            : [];
    }
}
