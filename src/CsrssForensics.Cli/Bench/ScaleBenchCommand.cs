using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace CsrssForensics.Cli.Bench;

/// <summary>
/// <c>bench analyze [--sizes 1k,5k,20k,50k] [--work DIR] [--rounds R] [--tiny BUNDLE] [--exe FILE] [--floor-script
/// FILE]</c>: generates the scale bundles of issue 13 (cached under --work), then for each runs the reading floor and a
/// full <c>analyze</c> (all four formats) as fresh child processes and prints wall time, peak memory and the ratio to
/// the floor, the minimum of R rounds, and the median of the R per-round ratios. Each round runs the floor and the
/// analysis back to back, so a machine whose speed drifts over minutes slows both sides of a round alike. <c>--exe</c> measures another build of this tool (the published executable);
/// <c>--floor-script</c> also runs the floor as a plain Python script, the yardstick the issue describes. <c>bench floor BUNDLE</c> is the floor alone; <c>bench generate DIR --size S</c> writes one bundle.
/// </summary>
internal static class ScaleBenchCommand
{
    private const double MiB = 1024 * 1024;

    public static Command CreateAnalyze()
    {
        var sizes = new Option<string>("--sizes") { Description = "Comma-separated sizes: 1k, 5k, 20k, 50k (or all).", DefaultValueFactory = _ => "1k,5k,20k" };
        var work = new Option<DirectoryInfo>("--work") { Description = "Folder for the generated bundles (kept and reused) and the reports.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(Path.GetTempPath(), "csrss-forensics-scale")) };
        var rounds = new Option<int>("--rounds") { Description = "Rounds per size, each running the floor and the analysis back to back; the minimum and the median per-round ratio are reported.", DefaultValueFactory = _ => 3 };
        var tiny = new Option<FileSystemInfo?>("--tiny") { Description = "A small bundle (e.g. fixtures/bundles/clean-two-sessions) whose analysis, and --version, are timed as the startup figures." };
        var exe = new Option<FileInfo?>("--exe") { Description = "The csrss-forensics executable to measure, e.g. the published single file (default: this one)." };
        var floorScript = new Option<FileInfo?>("--floor-script") { Description = "Also run this plain floor script with python3 (tests/perf/reading-floor.py) and print the ratio to it." };
        var command = new Command("analyze", "Generate the scale bundles and time analyze against the reading floor.") { sizes, work, rounds, tiny, exe, floorScript };
        command.SetAction(parse => RunAnalyze(
            parse.GetValue(sizes)!, parse.GetValue(work)!, parse.GetValue(rounds), parse.GetValue(tiny), new Measured(parse.GetValue(exe), parse.GetValue(floorScript))));
        return command;
    }

    public static Command CreateFloor()
    {
        var bundle = new Argument<DirectoryInfo>("bundle") { Description = "Bundle folder." };
        var command = new Command("floor", "The reading floor alone: SHA-256 every file, parse every CSV row, task XML and JSON part.") { bundle };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            FloorCounts counts = ReadingFloor.Read(parse.GetValue(bundle)!.FullName);
            Console.WriteLine(Invariant($"floor: {counts.Files} files, {counts.Bytes} bytes, {counts.CsvRows} CSV rows, {counts.XmlDocuments} XML, {counts.JsonDocuments} JSON"));
            return ExitCodes.Clean;
        });
        return command;
    }

    public static Command CreateGenerate()
    {
        var folder = new Argument<DirectoryInfo>("dir") { Description = "New folder to write the bundle into." };
        var size = new Option<string>("--size") { Description = "1k, 5k, 20k or 50k.", DefaultValueFactory = _ => "1k" };
        var command = new Command("generate", "Write one synthetic scale bundle (deterministic, sealed with a manifest).") { folder, size };
        command.SetAction(parse =>
        {
            IReadOnlyList<ScaleSize> chosen = ScaleSize.Parse(parse.GetValue(size)!) is { Count: 1 } one ? one : throw new CliFailure(ExitCodes.UsageError, "--size must name one of 1k, 5k, 20k, 50k");
            DirectoryInfo target = parse.GetValue(folder)!;
            if (target.Exists && target.EnumerateFileSystemInfos().Any())
            {
                throw new CliFailure(ExitCodes.UsageError, $"{target.FullName} is not empty");
            }

            ScaleBundleGenerator.Write(target.FullName, chosen[0]);
            Console.WriteLine($"wrote {TerminalText.Printable(target.FullName)}: {chosen[0].Description}");
            return ExitCodes.Clean;
        });
        return command;
    }

    /// <summary>Which build is measured (null: this one) and the optional script floor.</summary>
    private sealed record Measured(FileInfo? Exe, FileInfo? FloorScript)
    {
        public ChildResult Run(params string[] arguments) =>
            Exe is null ? ChildRun.Run(arguments) : ChildRun.RunProgram(Exe.FullName, arguments);

        public ChildResult? Script(string bundle) =>
            FloorScript is null ? null : ChildRun.RunProgram("python3", [FloorScript.FullName, bundle]);
    }

    private static int RunAnalyze(string sizeList, DirectoryInfo work, int rounds, FileSystemInfo? tiny, Measured measured)
    {
        IReadOnlyList<ScaleSize> sizes = ScaleSize.Parse(sizeList) ?? throw new CliFailure(ExitCodes.UsageError, "--sizes: expected 1k, 5k, 20k, 50k or all");
        if (rounds < 1)
        {
            throw new CliFailure(ExitCodes.UsageError, "--rounds must be at least 1");
        }

        Directory.CreateDirectory(work.FullName);
        Console.WriteLine(Invariant($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; min of {rounds} round(s) and median of per-round ratios; each run a fresh process"));
        if (measured.Exe is not null)
        {
            Console.WriteLine($"measured executable: {TerminalText.Printable(measured.Exe.FullName)}");
        }

        if (measured.FloorScript is { Exists: false } missing)
        {
            throw new CliFailure(ExitCodes.UsageError, $"--floor-script: {missing.FullName} does not exist");
        }

        if (tiny is not null)
        {
            PrintStartup(tiny, work, rounds, measured);
        }

        var rows = new List<(ScaleSize Size, long Bytes, ChildResult Floor, ChildResult? Script, ChildResult Analyze, double MedianRatio)>();
        foreach (ScaleSize size in sizes)
        {
            var watch = Stopwatch.StartNew();
            string bundle = ScaleBundleGenerator.Ensure(work.FullName, size);
            long bytes = new DirectoryInfo(bundle).EnumerateFiles("*", SearchOption.AllDirectories).Sum(static f => f.Length);
            Console.WriteLine(Invariant($"{size.Description}: {bytes / 1e6:F1} MB bundle ready in {watch.Elapsed.TotalSeconds:F1} s"));
            string reports = Path.Combine(work.FullName, $"reports-{size.Name}");
            var floors = new List<ChildResult>();
            var scripts = new List<ChildResult>();
            var analyses = new List<ChildResult>();
            for (int round = 0; round < rounds; round++)
            {
                floors.Add(ChildRun.Run("bench", "floor", bundle));
                if (measured.Script(bundle) is { } run)
                {
                    scripts.Add(run);
                }

                analyses.Add(measured.Run("analyze", bundle, "--out", reports, "--force", "--quiet"));
            }

            ChildResult floor = ChildRun.Fastest(floors);
            ChildResult? script = scripts.Count == 0 ? null : ChildRun.Fastest(scripts);
            ChildResult analyze = ChildRun.Fastest(analyses);
            // The floor a round's analysis is judged against: the script when there is one (the yardstick).
            double medianRatio = MedianRatio(analyses, scripts.Count == 0 ? floors : scripts);
            Console.WriteLine(Invariant($"  floor   {floor.Wall.TotalSeconds,7:F2} s wall {floor.Cpu.TotalSeconds,7:F2} s cpu {floor.PeakBytes / MiB,6:F0} MiB  {FirstLine(floor.Output)}"));
            if (script is not null)
            {
                Console.WriteLine(Invariant($"  script  {script.Wall.TotalSeconds,7:F2} s wall {script.Cpu.TotalSeconds,7:F2} s cpu {script.PeakBytes / MiB,6:F0} MiB  exit {script.ExitCode}: {FirstLine(script.Output)}"));
            }

            Console.WriteLine(Invariant($"  analyze {analyze.Wall.TotalSeconds,7:F2} s wall {analyze.Cpu.TotalSeconds,7:F2} s cpu {analyze.PeakBytes / MiB,6:F0} MiB  exit {analyze.ExitCode}: {FirstLine(analyze.Output)}"));
            rows.Add((size, bytes, floor, script, analyze, medianRatio));
        }

        Console.WriteLine();
        Console.WriteLine("| size | bundle MB | floor wall s | floor cpu s | floor MiB | script floor wall s | analyze wall s | analyze cpu s | analyze MiB | wall / floor | cpu / floor | wall / script floor | median of rounds | exit |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            string scriptWall = row.Script is null ? "-" : Invariant($"{row.Script.Wall.TotalSeconds:F2}");
            string scriptRatio = row.Script is null ? "-" : Invariant($"{row.Analyze.Wall / row.Script.Wall:F1}x");
            Console.WriteLine(Invariant(
                $"| {row.Size.Name} | {row.Bytes / 1e6:F1} | {row.Floor.Wall.TotalSeconds:F2} | {row.Floor.Cpu.TotalSeconds:F2} | {row.Floor.PeakBytes / MiB:F0} | {scriptWall} | {row.Analyze.Wall.TotalSeconds:F2} | {row.Analyze.Cpu.TotalSeconds:F2} | {row.Analyze.PeakBytes / MiB:F0} | {row.Analyze.Wall / row.Floor.Wall:F1}x | {row.Analyze.Cpu / row.Floor.Cpu:F1}x | {scriptRatio} | {row.MedianRatio:F2}x | {row.Analyze.ExitCode} |"));
        }

        // Growth exponent between neighbouring sizes, bundle bytes as the size: 1.0 is linear.
        for (int i = 1; i < rows.Count; i++)
        {
            double growth = Math.Log((double)rows[i].Bytes / rows[i - 1].Bytes);
            double wall = Math.Log(rows[i].Analyze.Wall / rows[i - 1].Analyze.Wall) / growth;
            double cpu = Math.Log(rows[i].Analyze.Cpu / rows[i - 1].Analyze.Cpu) / growth;
            Console.WriteLine(Invariant($"time exponent {rows[i - 1].Size.Name} -> {rows[i].Size.Name}: wall {wall:F2}, cpu {cpu:F2}"));
        }

        return ExitCodes.Clean;
    }

    private static void PrintStartup(FileSystemInfo tiny, DirectoryInfo work, int rounds, Measured measured)
    {
        ChildResult version = ChildRun.Best(rounds, () => measured.Run("--version"));
        string reports = Path.Combine(work.FullName, "reports-tiny");
        ChildResult small = ChildRun.Best(rounds, () => measured.Run("analyze", tiny.FullName, "--out", reports, "--force", "--quiet"));
        Console.WriteLine(Invariant(
            $"startup: --version {version.Wall.TotalSeconds:F2} s wall {version.Cpu.TotalSeconds:F2} s cpu {version.PeakBytes / MiB:F0} MiB; analyze {TerminalText.Printable(tiny.Name)} {small.Wall.TotalSeconds:F2} s wall {small.Cpu.TotalSeconds:F2} s cpu {small.PeakBytes / MiB:F0} MiB, exit {small.ExitCode}"));
    }

    /// <summary>The median over rounds of analysis wall time / floor wall time, each pair from the same round.</summary>
    private static double MedianRatio(List<ChildResult> analyses, List<ChildResult> floors)
    {
        var ratios = analyses.Zip(floors, (analysis, floor) => analysis.Wall / floor.Wall).Order().ToList();
        int middle = ratios.Count / 2;
        return ratios.Count % 2 == 1 ? ratios[middle] : (ratios[middle - 1] + ratios[middle]) / 2;
    }

    private static string FirstLine(string text)
    {
        string line = text.Split('\n', 2)[0].Trim();
        return TerminalText.Printable(line.Length > 100 ? line[..100] + "..." : line);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
