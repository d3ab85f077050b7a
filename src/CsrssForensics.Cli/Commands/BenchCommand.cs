using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using CsrssForensics.Cli.Bench;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Pe.Authenticode;

namespace CsrssForensics.Cli.Commands;

/// <summary>
/// <c>bench [DIR] [--threads N] [--rounds R]</c>: verifies every PE file under DIR (default: the installed .NET shared
/// runtime folder) and prints throughput next to a plain SHA-256 pass over the same in-memory bytes, measured in the
/// same run. Like BenchmarkDotNet it warms the JIT first and reports the median of several rounds; each round starts
/// a fresh verifier, so its chain and certificate caches start cold as they do for a new bundle.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var directory = new Argument<DirectoryInfo?>("dir") { Description = "Folder to scan recursively (default: the .NET shared runtime folder).", Arity = ArgumentArity.ZeroOrOne };
        var threads = new Option<int>("--threads") { Description = "Worker threads for verification and the parallel SHA-256 baseline.", DefaultValueFactory = _ => 2 };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds after the warm-up; medians are reported.", DefaultValueFactory = _ => 5 };
        var command = new Command("bench", "Measure offline verification speed against plain SHA-256 over the same files (bench analyze: analysis at scale). Exit codes: see the table below.")
        {
            directory, threads, rounds, ScaleBenchCommand.CreateAnalyze(), ScaleBenchCommand.CreateFloor(), ScaleBenchCommand.CreateGenerate(),
        };
        command.SetAction(parse => Run(parse.GetValue(directory), parse.GetValue(threads), parse.GetValue(rounds)));
        return command;
    }

    private static int Run(DirectoryInfo? directory, int threads, int rounds)
    {
        if (threads < 1 || rounds < 1)
        {
            throw new CliFailure(ExitCodes.UsageError, "--threads and --rounds must be at least 1");
        }

        // RuntimeEnvironment.GetRuntimeDirectory() is .../shared/Microsoft.NETCore.App/<version>/; two parents up holds every shared framework.
        directory ??= new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory()).Parent?.Parent ?? new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory());
        if (!directory.Exists)
        {
            throw new CliFailure(ExitCodes.UnreadableInput, $"{directory.FullName} does not exist");
        }

        List<BenchFile> files = LoadPeFiles(directory);
        long totalBytes = files.Sum(static f => (long)f.Bytes.Length);
        double megabytes = totalBytes / 1e6;
        Console.WriteLine($"folder: {TerminalText.Printable(directory.FullName)}");
        Console.WriteLine(Invariant($"files: {files.Count} PE files, {megabytes:F1} MB (read into memory before timing)"));
        if (files.Count == 0)
        {
            return ExitCodes.Clean;
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };

        // Warm-up, not timed: every code path runs often enough for the tiered JIT to finish optimising it, so rounds
        // compare steady-state code on both sides (SHA-256 itself is native code and needs no warming).
        for (int pass = 0; pass < 2; pass++)
        {
            HashAll(files, parallel);
            VerifyAll(NewVerifier(), files, parallel);
        }

        var measured = new List<Round>(rounds);
        for (int round = 0; round < rounds; round++)
        {
            measured.Add(MeasureRound(files, parallel));
        }

        Round median = measured.OrderBy(static r => r.Verify.Wall).ElementAt(measured.Count / 2);
        TimeSpan sha1Thread = Median(measured.Select(static r => r.Sha256OneThread));
        TimeSpan shaParallel = Median(measured.Select(static r => r.Sha256Parallel));
        TimeSpan verify = median.Verify.Wall;

        Console.WriteLine($"rounds: {rounds} after a 2-pass warm-up; medians below (per round: verify / SHA-256 on {threads} threads, seconds)");
        Console.WriteLine("  " + string.Join("  ", measured.Select(r => Invariant($"{r.Verify.Wall.TotalSeconds:F3}/{r.Sha256Parallel.TotalSeconds:F3}"))));
        Console.WriteLine(Invariant(
            $"verify ({threads} threads, fresh verifier so caches start cold): {verify.TotalSeconds:F3} s, {files.Count / verify.TotalSeconds:F0} files/s, {megabytes / verify.TotalSeconds:F0} MB/s, {verify.TotalMilliseconds / files.Count:F3} ms/file"));
        Console.WriteLine(Invariant(
            $"plain SHA-256 (1 thread): {sha1Thread.TotalSeconds:F3} s, {megabytes / sha1Thread.TotalSeconds:F0} MB/s; ratio verify/sha256 = {verify / sha1Thread:F2}"));
        if (threads > 1)
        {
            Console.WriteLine(Invariant(
                $"plain SHA-256 ({threads} threads): {shaParallel.TotalSeconds:F3} s, {megabytes / shaParallel.TotalSeconds:F0} MB/s; ratio verify/sha256 = {verify / shaParallel:F2}"));
        }

        PrintBreakdown(median.Verify, files.Count, threads, shaParallel);

        PrintStreamingMemory(files);
        VerifyAgainstOpenSsl.Print([.. files.Select(static f => f.Path)], threads, rounds);
        using Process self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(Invariant(
            $"memory: peak working set {self.PeakWorkingSet64 / 1e6:F0} MB (includes the {megabytes:F0} MB of file bytes held for timing), allocated during one verify pass {median.Verify.AllocatedBytes / 1e6:F1} MB, gen2 collections {GC.CollectionCount(2)}"));
        Console.WriteLine($"anomalies: {median.Verify.Anomalies}");
        Console.WriteLine("verdicts: " + string.Join(", ", median.Verify.Verdicts.OrderBy(static p => p.Key).Select(static p => $"{FileVerification.VerdictToken(p.Key)}={p.Value}")));
        return ExitCodes.Clean;
    }

    /// <summary>
    /// Where the verifying threads spent their time. The image hash and the signature checks are per file and no cache
    /// can remove them: their sum divided by the threads is the fastest any verifier making the same checks could be.
    /// </summary>
    private static void PrintBreakdown(Pass pass, int fileCount, int threads, TimeSpan shaParallel)
    {
        VerificationStatistics stats = pass.Statistics;
        TimeSpan total = pass.ThreadTime;
        TimeSpan rest = total - stats.HashTime - stats.SignatureCheckTime - stats.ChainBuildTime - stats.CertificateDecodeTime;
        string Share(TimeSpan part) => Invariant($"{part.TotalSeconds:F3} s ({part / total:P0})");
        Console.WriteLine(Invariant($"thread time of the median verify pass: {total.TotalSeconds:F3} s over {threads} threads"));
        Console.WriteLine($"  image hash passes: {Share(stats.HashTime)}");
        Console.WriteLine(Invariant(
            $"  signature checks: {Share(stats.SignatureCheckTime)}, {stats.SignatureChecks} checks ({(double)stats.SignatureChecks / fileCount:F2} per file, {stats.SignatureCheckTime.TotalMicroseconds / Math.Max(1, stats.SignatureChecks):F0} us each)"));
        Console.WriteLine($"  chain builds: {Share(stats.ChainBuildTime)}, {stats.ChainBuilds} built (the rest answered from the cache)");
        Console.WriteLine($"  certificate decoding: {Share(stats.CertificateDecodeTime)}, {stats.CertificatesDecoded} distinct certificates");
        Console.WriteLine($"  parsing, caches and the rest: {Share(rest)}");
        Console.WriteLine($"  byte-identical copies of a file verified before (hashed, signature outcome reused): {stats.IdenticalFilesReused}");
        TimeSpan floor = (stats.HashTime + stats.SignatureCheckTime) / threads;
        Console.WriteLine(Invariant(
            $"per-file work no cache removes (hash + signature checks) / {threads} threads: {floor.TotalSeconds:F3} s, ratio {floor / shaParallel:F2} against SHA-256 on {threads} threads"));
    }

    /// <summary>The largest file again, streamed from disk as <c>verify</c> does: what it allocates does not grow with its size.</summary>
    private static void PrintStreamingMemory(List<BenchFile> files)
    {
        BenchFile largest = files.MaxBy(static f => f.Bytes.Length)!;
        using FileStream stream = new(largest.Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        AuthenticodeVerifier verifier = NewVerifier();
        long before = GC.GetAllocatedBytesForCurrentThread();
        verifier.Verify(largest.Path, stream, new AnomalyList(), VerificationHashes.None);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Console.WriteLine(Invariant(
            $"streaming: the largest file ({largest.Bytes.Length / 1e6:F1} MB) verified from disk with {allocated / 1e6:F2} MB allocated (fixed {AuthenticodeVerifier.StreamBufferBytes / 1024} KB read buffer; only headers and certificate table held)"));
    }

    private static Round MeasureRound(List<BenchFile> files, ParallelOptions parallel)
    {
        var watch = Stopwatch.StartNew();
        foreach (BenchFile file in files)
        {
            _ = SHA256.HashData(file.Bytes);
        }

        TimeSpan oneThread = watch.Elapsed;
        TimeSpan hashParallel = HashAll(files, parallel);
        return new Round(oneThread, hashParallel, VerifyAll(NewVerifier(), files, parallel));
    }

    private static TimeSpan HashAll(List<BenchFile> files, ParallelOptions parallel)
    {
        var watch = Stopwatch.StartNew();
        Parallel.ForEach(files, parallel, static file => SHA256.HashData(file.Bytes));
        return watch.Elapsed;
    }

    /// <summary>Collection time stand-in: fixed, so runs are comparable (the bench measures speed, not verdicts over time).</summary>
    private static AuthenticodeVerifier NewVerifier() =>
        new(TrustAnchors.PinnedMicrosoftOnly(), CatalogIndex.Empty, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static Pass VerifyAll(AuthenticodeVerifier verifier, List<BenchFile> files, ParallelOptions parallel)
    {
        VerificationStatistics before = verifier.Statistics;
        var verdicts = new ConcurrentDictionary<SignatureStatus, int>();
        long anomalies = 0;
        long threadTicks = 0;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var watch = Stopwatch.StartNew();
        Parallel.ForEach(files, parallel, file =>
        {
            long started = Stopwatch.GetTimestamp();
            var sink = new AnomalyList();
            FileVerification result = verifier.Verify(file.Path, file.Bytes, sink);
            Interlocked.Add(ref threadTicks, Stopwatch.GetTimestamp() - started);
            verdicts.AddOrUpdate(result.Verdict, 1, static (_, n) => n + 1);
            Interlocked.Add(ref anomalies, sink.Items.Count);
        });
        TimeSpan wall = watch.Elapsed;
        long allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        return new Pass(wall, Stopwatch.GetElapsedTime(0, threadTicks), Difference(verifier.Statistics, before), allocated, anomalies, verdicts);
    }

    private static VerificationStatistics Difference(VerificationStatistics after, VerificationStatistics before) => new(
        after.HashTime - before.HashTime,
        after.SignatureChecks - before.SignatureChecks,
        after.SignatureCheckTime - before.SignatureCheckTime,
        after.ChainBuilds - before.ChainBuilds,
        after.ChainBuildTime - before.ChainBuildTime,
        after.CertificatesDecoded - before.CertificatesDecoded,
        after.CertificateDecodeTime - before.CertificateDecodeTime,
        after.IdenticalFilesReused - before.IdenticalFilesReused);

    private static List<BenchFile> LoadPeFiles(DirectoryInfo directory)
    {
        var files = new List<BenchFile>();
        foreach (FileInfo file in directory.EnumerateFiles("*", SearchOption.AllDirectories).OrderBy(static f => f.FullName, StringComparer.Ordinal))
        {
            if (file.Length < 64 || file.Length > VerifyCommand.MaxFileBytes)
            {
                continue;
            }

            byte[] bytes = File.ReadAllBytes(file.FullName);
            if (bytes[0] == (byte)'M' && bytes[1] == (byte)'Z')
            {
                files.Add(new BenchFile(file.FullName, bytes));
            }
        }

        return files;
    }

    private static TimeSpan Median(IEnumerable<TimeSpan> values)
    {
        List<TimeSpan> sorted = [.. values.Order()];
        return sorted[sorted.Count / 2];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record BenchFile(string Path, byte[] Bytes);

    private sealed record Pass(TimeSpan Wall, TimeSpan ThreadTime, VerificationStatistics Statistics, long AllocatedBytes, long Anomalies, ConcurrentDictionary<SignatureStatus, int> Verdicts);

    private sealed record Round(TimeSpan Sha256OneThread, TimeSpan Sha256Parallel, Pass Verify);
}
