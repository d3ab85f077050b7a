using CsrssForensics.Analysis.Tests.Support;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Report;
using CsrssForensics.Reporting;

namespace CsrssForensics.Analysis.Tests.EndToEnd;

/// <summary>
/// Seeded corruption of whole bundles, end to end: binaries replaced by damaged signed PEs or damaged in place, bytes
/// changed in the CSV, JSON and task XML parts. Analysis and every report format never throw, the manifest catches
/// the change, and the result is never "clean". A failure prints the seed to replay.
/// </summary>
public sealed class CorruptedBundleTests
{
    private const int Iterations = 40;

    public static TheoryData<string, int> Bundles() => new()
    {
        { "collector-stub", 101 },
        { "appdata-csrss-task", 202 },
        { "core-lookalikes-tree", 303 },
    };

    [Theory]
    [MemberData(nameof(Bundles))]
    public void Corrupted_bundles_are_analysed_and_reported_without_an_exception(string scenario, int seed)
    {
        byte[] signedPe = File.ReadAllBytes(RepositoryPaths.Fixture("pe", "sig-System.Buffers.dll"));
        var random = new Random(seed);
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            string work = Directory.CreateTempSubdirectory("corrupted-bundle-").FullName;
            try
            {
                string bundle = Path.Combine(work, scenario);
                CopyTree(RepositoryPaths.Fixture("bundles", scenario), bundle);
                Corrupt(bundle, signedPe, random);

                AnalysisReport report;
                try
                {
                    using var opened = BundleReader.Open(bundle);
                    report = BundleAnalyzer.Analyze(opened);
                    ReportWriter.WriteAll(report, Path.Combine(work, "out"), ReportWriter.ParseFormats("md,html,json,csv"));
                }
                catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
                {
                    throw new Xunit.Sdk.XunitException($"{scenario} seed {seed} iteration {iteration}: {ex}");
                }

                Assert.True(report.OverallStatus != OverallStatus.Clean, $"{scenario} seed {seed} iteration {iteration}: a changed bundle came out clean");
                Assert.Equal(4, Directory.GetFiles(Path.Combine(work, "out")).Length);
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    /// <summary>One to three changes per bundle; every one is a byte the manifest vouches for.</summary>
    private static void Corrupt(string bundle, byte[] signedPe, Random random)
    {
        string[] parts = [.. Directory.GetFiles(bundle, "*", SearchOption.AllDirectories)
            .Where(static f => !f.EndsWith("manifest.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
        for (int change = random.Next(1, 4); change > 0; change--)
        {
            string target = parts[random.Next(parts.Length)];
            byte[] bytes = File.ReadAllBytes(target);
            if (target.Contains($"{Path.DirectorySeparatorChar}binaries{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && random.Next(2) == 0)
            {
                bytes = (byte[])signedPe.Clone();
            }

            if (bytes.Length == 0)
            {
                bytes = [0];
            }

            for (int flips = random.Next(1, 6); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            File.WriteAllBytes(target, bytes);
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (string directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }

        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }
}
