using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Pe.Authenticode;

namespace CsrssForensics.Cli.Commands;

/// <summary>
/// <c>bench [DIR] [--threads N]</c>: verifies every PE file under DIR (default: the installed .NET shared runtime folder)
/// and prints throughput next to a plain SHA-256 pass over the same in-memory bytes, measured in the same run.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var directory = new Argument<DirectoryInfo?>("dir") { Description = "Folder to scan recursively (default: the .NET shared runtime folder).", Arity = ArgumentArity.ZeroOrOne };
        var threads = new Option<int>("--threads") { Description = "Worker threads for verification and the parallel SHA-256 baseline.", DefaultValueFactory = _ => 2 };
        var command = new Command("bench", "Measure offline verification speed against plain SHA-256 over the same files.") { directory, threads };
        command.SetAction(parse => Run(parse.GetValue(directory), parse.GetValue(threads)));
        return command;
    }

    private static int Run(DirectoryInfo? directory, int threads)
    {
        if (threads < 1)
        {
            Console.Error.WriteLine("error: --threads must be at least 1");
            return ExitCodes.Trouble;
        }

        // RuntimeEnvironment.GetRuntimeDirectory() is .../shared/Microsoft.NETCore.App/<version>/; two parents up holds every shared framework.
        directory ??= new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory()).Parent?.Parent ?? new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory());
        if (!directory.Exists)
        {
            Console.Error.WriteLine($"error: {directory.FullName} does not exist");
            return ExitCodes.Trouble;
        }

        var files = new List<(string Path, byte[] Bytes)>();
        foreach (FileInfo file in directory.EnumerateFiles("*", SearchOption.AllDirectories).OrderBy(static f => f.FullName, StringComparer.Ordinal))
        {
            if (file.Length < 64 || file.Length > VerifyCommand.MaxFileBytes)
            {
                continue;
            }

            byte[] bytes = File.ReadAllBytes(file.FullName);
            if (bytes[0] == (byte)'M' && bytes[1] == (byte)'Z')
            {
                files.Add((file.FullName, bytes));
            }
        }

        long totalBytes = files.Sum(static f => (long)f.Bytes.Length);
        Console.WriteLine($"folder: {directory.FullName}");
        Console.WriteLine($"files: {files.Count} PE files, {totalBytes / 1e6:F1} MB (read into memory before timing)");
        if (files.Count == 0)
        {
            return ExitCodes.Clean;
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };

        // Warm-up so JIT and first-use costs are not charged to either side.
        _ = SHA256.HashData(files[0].Bytes);
        new AuthenticodeVerifier(TrustAnchors.PinnedMicrosoftOnly(), CatalogIndex.Empty, DateTimeOffset.UnixEpoch).Verify("warmup", files[0].Bytes, new AnomalyList());

        var watch = Stopwatch.StartNew();
        foreach ((string _, byte[] bytes) in files)
        {
            _ = SHA256.HashData(bytes);
        }

        TimeSpan sha1Thread = watch.Elapsed;
        watch.Restart();
        Parallel.ForEach(files, parallel, static file => SHA256.HashData(file.Bytes));
        TimeSpan shaParallel = watch.Elapsed;

        // Collection time stand-in: fixed, so runs are comparable (the bench measures speed, not verdicts over time).
        var verifier = new AuthenticodeVerifier(TrustAnchors.PinnedMicrosoftOnly(), CatalogIndex.Empty, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var verdicts = new ConcurrentDictionary<SignatureStatus, int>();
        long anomalies = 0;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        watch.Restart();
        Parallel.ForEach(files, parallel, file =>
        {
            var sink = new AnomalyList();
            FileVerification result = verifier.Verify(file.Path, file.Bytes, sink);
            verdicts.AddOrUpdate(result.Verdict, 1, static (_, n) => n + 1);
            Interlocked.Add(ref anomalies, sink.Items.Count);
        });
        TimeSpan verify = watch.Elapsed;
        long allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;

        // Second pass with the same verifier: chains and certificates cached, as for the later files of a large bundle.
        watch.Restart();
        Parallel.ForEach(files, parallel, file => verifier.Verify(file.Path, file.Bytes, new AnomalyList()));
        TimeSpan warm = watch.Elapsed;

        using Process self = Process.GetCurrentProcess();
        self.Refresh();
        double megabytes = totalBytes / 1e6;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"verify ({threads} threads): {verify.TotalSeconds:F3} s, {files.Count / verify.TotalSeconds:F0} files/s, {megabytes / verify.TotalSeconds:F0} MB/s, {verify.TotalMilliseconds / files.Count:F3} ms/file"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"verify again, caches warm ({threads} threads): {warm.TotalSeconds:F3} s, {files.Count / warm.TotalSeconds:F0} files/s, {megabytes / warm.TotalSeconds:F0} MB/s, {warm.TotalMilliseconds / files.Count:F3} ms/file"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"plain SHA-256 (1 thread): {sha1Thread.TotalSeconds:F3} s, {megabytes / sha1Thread.TotalSeconds:F0} MB/s; ratio verify/sha256 = {verify / sha1Thread:F2} (warm {warm / sha1Thread:F2})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"plain SHA-256 ({threads} threads): {shaParallel.TotalSeconds:F3} s, {megabytes / shaParallel.TotalSeconds:F0} MB/s; ratio verify/sha256 = {verify / shaParallel:F2} (warm {warm / shaParallel:F2})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"memory: peak working set {self.PeakWorkingSet64 / 1e6:F0} MB (includes the {megabytes:F0} MB of file bytes held for timing), allocated during verify {allocated / 1e6:F1} MB, gen2 collections {GC.CollectionCount(2)}"));
        Console.WriteLine($"chains built: {verifier.ChainBuildCount} (the rest answered from the cache); anomalies: {anomalies}");
        Console.WriteLine("verdicts: " + string.Join(", ", verdicts.OrderBy(static p => p.Key).Select(static p => $"{FileVerification.VerdictToken(p.Key)}={p.Value}")));
        return ExitCodes.Clean;
    }
}
