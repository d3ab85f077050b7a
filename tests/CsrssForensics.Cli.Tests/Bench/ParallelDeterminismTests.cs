using CsrssForensics.Analysis;
using CsrssForensics.Bundle;
using CsrssForensics.Cli.Bench;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting;

namespace CsrssForensics.Cli.Tests.Bench;

/// <summary>
/// Launchers are resolved, subjects judged and the report files written on several cores: one core and many must give
/// the same bytes on a bundle with many subjects, fakes and launchers among them.
/// </summary>
public sealed class ParallelDeterminismTests
{
    // 1,000 processes give over a hundred subjects of several core names, planted fakes and their launchers; they and
    // the 5,000 files.csv rows are enough for the subject collector's per-row work to be shared between cores.
    private static readonly ScaleSize _many = new("test", 1_000, 5_000, 100, 100);

    [Fact]
    public void One_core_and_many_cores_write_byte_identical_reports()
    {
        var root = CliRunner.TempDirectory();
        var bundle = Path.Combine(root, "bundle");
        ScaleBundleGenerator.Write(bundle, _many);

        var single = AnalyzeAndWrite(bundle, Path.Combine(root, "one"), parallelism: 1, out var singleVerdicts);
        var several = AnalyzeAndWrite(bundle, Path.Combine(root, "many"), parallelism: 8, out var severalVerdicts);

        Assert.True(singleVerdicts.Count > 100, $"only {singleVerdicts.Count} subjects were judged");
        Assert.Contains(singleVerdicts, v => v.Verdict == Verdict.Fake);
        Assert.Equal(singleVerdicts.Select(Describe), severalVerdicts.Select(Describe));
        Assert.Equal(6, single.Count);
        for (var index = 0; index < single.Count; index++)
        {
            Assert.Equal(Path.GetFileName(single[index]), Path.GetFileName(several[index]));
            Assert.True(
                File.ReadAllBytes(single[index]).AsSpan().SequenceEqual(File.ReadAllBytes(several[index])),
                $"{Path.GetFileName(single[index])} differs between one core and eight");
        }
    }

    private static IReadOnlyList<string> AnalyzeAndWrite(string bundle, string output, int parallelism, out IReadOnlyList<SubjectVerdict> verdicts)
    {
        using var opened = BundleReader.Open(bundle);
        var report = BundleAnalyzer.Analyze(opened, AnalysisOptions.Default with { Parallelism = parallelism });
        verdicts = report.Verdicts;
        return ReportWriter.WriteAllOnCores(report, output, ReportFormats.All, parallelism);
    }

    private static string Describe(SubjectVerdict verdict) =>
        $"{verdict.Verdict} {verdict.Subject.Kind} {verdict.Subject.Path} {verdict.Subject.Pid} {string.Join(",", verdict.Findings.Select(f => f.Code))}";
}
