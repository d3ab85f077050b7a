using CsrssForensics.Analysis;
using CsrssForensics.Bundle;
using CsrssForensics.Cli.Commands;
using CsrssForensics.Reporting;
using Xunit.Abstractions;

namespace CsrssForensics.Cli.Tests.Hostile;

/// <summary>
/// The hostile-bundle suite (issue 12): each generated bundle gives the expected refusal or finding and exit code,
/// writes nothing outside --out, leaves the evidence byte-identical, and stays under a cost ceiling measured as
/// bytes allocated per input byte (a proxy for time that does not depend on the machine's load).
/// </summary>
[Collection(AllocationCeilings.Name)]
public sealed class HostileBundleSuiteTests(ITestOutputHelper output)
{
    // Analysing the 11 KB base bundle (rules, roots, four report writers) allocates about 10 MB; a linear reader
    // then adds a bounded number of bytes per input byte (the 4 MB CSV field, copied into four reports, ~80).
    // A quadratic one blows through this at a few MB.
    private const long FixedAllowance = 64L * 1024 * 1024;
    private const long AllowancePerInputByte = 128;

    private static readonly string[] _reportFiles = ["report.csv", "report.html", "report.json", "report.jsonl", "report.md", "report.timesketch.jsonl"];

    public static TheoryData<string> Cases() => new(HostileCases.All.Keys.Order(StringComparer.Ordinal));

    public static TheoryData<string> CliCases() => new(HostileCases.All.Values.Where(c => c.ThroughCli).Select(c => c.Name).Order(StringComparer.Ordinal));

    [Fact]
    public void The_suite_holds_at_least_sixty_uniquely_named_cases_and_a_cli_subset()
    {
        Assert.True(HostileCases.All.Count >= 60, $"only {HostileCases.All.Count} hostile cases");
        Assert.True(HostileCases.All.Values.Count(c => c.ThroughCli) >= 12);
        Assert.True(HostileCases.All.Values.Select(c => c.Class).Distinct().Count() >= 15);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hostile_bundle_gets_its_finding_and_exit_code_and_changes_nothing_but_the_output(string name)
    {
        // Given
        var hostile = HostileCases.All[name];
        using var workspace = new HostileWorkspace();
        var bundle = hostile.Build(workspace);
        var before = workspace.Snapshot();
        var inputBytes = workspace.EvidenceBytes();

        // When
        // Every thread's bytes: the bundle reader parses files.csv on a second thread. Nothing else runs meanwhile
        // (AllocationCeilings disables parallel tests for this class).
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var (outcome, exit) = AnalyzeInProcess(bundle, workspace.Output);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        // Then
        output.WriteLine($"{name}: exit {exit}, {inputBytes} input bytes, {allocated} bytes allocated");
        Assert.True(hostile.ExpectedExit == exit, $"{name}: exit {exit}, expected {hostile.ExpectedExit}; {outcome.Failure ?? outcome.Report?.Summary}");
        hostile.Expect(outcome);
        Assert.Equal(before, workspace.Snapshot());
        AssertOnlyReportsIn(workspace.Output, outcome.Report is not null);
        AssertNothingPlantedInTemp();
        var perByte = hostile.AllowancePerInputByte ?? AllowancePerInputByte;
        Assert.True(
            allocated <= FixedAllowance + (perByte * inputBytes),
            $"{name}: {allocated} bytes allocated for {inputBytes} input bytes, over {FixedAllowance} + {perByte} per byte");
    }

    [Theory]
    [MemberData(nameof(CliCases))]
    public void Hostile_bundle_through_the_real_cli_gives_the_same_exit_code_and_prints_no_control_characters(string name)
    {
        var hostile = HostileCases.All[name];
        using var workspace = new HostileWorkspace();
        var bundle = hostile.Build(workspace);
        var before = workspace.Snapshot();

        var (exit, stdout, stderr) = CliRunner.Run("analyze", bundle, "--out", workspace.Output, "--format", "all");

        Assert.True(hostile.ExpectedExit == exit, $"{name}: exit {exit}, expected {hostile.ExpectedExit}; {stderr}");
        foreach (var text in new[] { stdout, stderr })
        {
            Assert.DoesNotContain(text, c => c is '\u001b' or '\r' or '\u0007' or '\u0000' or '\u202E' or '\u200B' or '\u009b');
        }

        Assert.Equal(before, workspace.Snapshot());
        AssertOnlyReportsIn(workspace.Output, exit < ExitCodes.UsageError);
        AssertNothingPlantedInTemp();
    }

    /// <summary>What the analyze command does, minus the console: the same exit-code mapping for every case.</summary>
    private static (HostileOutcome Outcome, int ExitCode) AnalyzeInProcess(string bundle, string output)
    {
        try
        {
            using var opened = BundleReader.Open(bundle);
            // One thread for judging and writing, so this thread's allocation count covers all of it.
            var report = BundleAnalyzer.Analyze(opened, AnalysisOptions.Default with { Parallelism = 1 });
            ReportWriter.WriteAllOnCores(report, output, ReportFormats.All, parallelism: 1);
            return (new HostileOutcome(report, null, output), AnalyzeCommand.ExitCodeFor(report.OverallStatus));
        }
        catch (BundleOpenException error)
        {
            return (new HostileOutcome(null, error.Message, output), ExitCodes.UnreadableInput);
        }
    }

    private static void AssertOnlyReportsIn(string output, bool expectReports)
    {
        string[] names = Directory.Exists(output)
            ? [.. Directory.GetFileSystemEntries(output).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)]
            : [];
        Assert.Equal(expectReports ? _reportFiles : [], names);
    }

    private static void AssertNothingPlantedInTemp()
    {
        foreach (var planted in new[] { "evil.txt", "csrss-hostile-evil.txt" })
        {
            Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), planted)), $"{planted} was written outside the output folder");
        }
    }
}
