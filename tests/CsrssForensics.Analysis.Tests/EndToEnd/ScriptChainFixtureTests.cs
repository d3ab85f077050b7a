using CsrssForensics.Analysis.Correlation;
using CsrssForensics.Analysis.Tests.Support;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting;

namespace CsrssForensics.Analysis.Tests.EndToEnd;

/// <summary>
/// The fixtures of two classes of miss: a fake started through a script (copied, or seen only in the process tree),
/// and the files a miner ships beside its fake (driver, DLL, configuration naming a pool and a wallet).
/// </summary>
public sealed class ScriptChainFixtureTests
{
    private const string NetworkFolder = @"C:\Users\alice\AppData\Roaming\Microsoft\Network";
    private const string ChainFake = NetworkFolder + @"\csrss.exe";
    private const string ChainScript = NetworkFolder + @"\run.bat";
    private const string MinerFolder = @"C:\Users\alice\AppData\Local\Microsoft\Runtime";

    private static AnalysisReport Analyze(string scenario)
    {
        using var bundle = BundleReader.Open(RepositoryPaths.Fixture("bundles", scenario));
        return BundleAnalyzer.Analyze(bundle);
    }

    [Theory]
    [InlineData("startup-script-chain")]
    [InlineData("script-chain-process-tree")]
    [InlineData("miner-driver-siblings")]
    public void Reports_match_their_golden_files(string scenario)
    {
        var report = Analyze(scenario);

        Assert.Equal(IntegrityStatus.Verified, report.Integrity.Status);
        GoldenFile.Verify(scenario, "json", ReportWriter.ToJson(report));
        GoldenFile.Verify(scenario, "md", ReportWriter.ToMarkdown(report));
    }

    [Theory]
    [InlineData("startup-script-chain", "run-key", "NetworkHelper", "Run value 'NetworkHelper'", "(line 4 of the copied script)")]
    [InlineData("script-chain-process-tree", "startup-folder", "Network.lnk", "Startup item 'Network.lnk'", "(process tree: cmd.exe (pid 6400) running the script is the parent of pid 6412)")]
    public void A_fake_started_through_run_bat_is_linked_to_its_launcher_and_the_whole_chain_is_removed(
        string scenario, string kind, string name, string launcherText, string how)
    {
        var report = Analyze(scenario);
        var chain = $"{launcherText} runs {ChainScript}, which starts {ChainFake} {how}";

        // The launcher runs the script and is to be removed with the fake
        Assert.Equal(OverallStatus.Compromised, report.OverallStatus);
        var launcher = Assert.Single(report.Launchers, l => l.Kind == kind && l.Name == name);
        Assert.Equal(ChainScript, launcher.ResolvedTarget);
        Assert.Equal(ChainFake, Assert.Single(launcher.RemoveWith));
        Assert.Contains(launcher.Findings, f => f.Code == LauncherCodes.ScriptChain && f.Severity == Core.Evidence.AnomalySeverity.High);

        // Both verdicts on the fake (process and file) are fake and name the chain
        var verdicts = report.Verdicts.Where(v => v.Subject.Path == ChainFake).ToList();
        Assert.Equal(2, verdicts.Count);
        Assert.All(verdicts, v =>
        {
            Assert.Equal(Verdict.Fake, v.Verdict);
            Assert.Contains(v.Findings, f => f.Code == LauncherCodes.ScriptChain && f.Detail == chain + ".");
        });

        // The record and the actions name the launcher, the script and the fake
        Assert.Contains($"through {ChainScript}", Assert.Single(report.RecordBeforeCleanup).StartupSource, StringComparison.Ordinal);
        Assert.Contains(report.Actions, a => a.Kind == "do" && a.SubjectPath == ChainFake
            && a.Text == $"Remove the whole chain together: {chain}. Delete the launcher ({launcherText}), the script {ChainScript} and the fake {ChainFake}.");
        Assert.DoesNotContain(report.Actions, a => a.Text.Contains("No launcher was found", StringComparison.Ordinal));
    }

    [Fact]
    public void The_console_host_of_the_scripts_cmd_is_not_given_the_launcher()
    {
        var report = Analyze("script-chain-process-tree");

        var conhost = report.Verdicts.Single(v => v.Subject.Pid == 6404);
        Assert.NotEqual(Verdict.Fake, conhost.Verdict);
        Assert.NotEqual(Verdict.Suspicious, conhost.Verdict);
        Assert.DoesNotContain(conhost.Findings, f => f.Code is "CORE-LAUNCHER" or LauncherCodes.ScriptChain);
        Assert.DoesNotContain(report.Launchers, l => l.RemoveWith.Any(p => p.EndsWith("conhost.exe", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void Files_a_miner_ships_beside_its_fake_are_listed_each_with_why()
    {
        var report = Analyze("miner-driver-siblings");

        Assert.Equal(OverallStatus.Compromised, report.OverallStatus);
        Assert.Equal(Verdict.Fake, report.Verdicts.Single(v => v.Subject.Kind == SubjectKind.Process && v.Subject.Pid == 7120).Verdict);
        var folder = Assert.Single(report.SameFolderFiles);
        Assert.Equal(MinerFolder, folder.Folder);
        var byName = folder.Files.ToDictionary(f => f.Path[(MinerFolder.Length + 1)..], StringComparer.Ordinal);
        Assert.Equal(["config.json", "libuv-1.dll", "miner.log", "readme.txt", "WinRing0x64.sys"], byName.Keys.Order(StringComparer.OrdinalIgnoreCase));

        Assert.Equal("driver", byName["WinRing0x64.sys"].Kind);
        Assert.StartsWith("driver (.sys) beside a suspicious copy: kernel code", byName["WinRing0x64.sys"].Reason, StringComparison.Ordinal);
        Assert.Equal("library", byName["libuv-1.dll"].Kind);
        Assert.Contains("side-loading candidate", byName["libuv-1.dll"].Reason, StringComparison.Ordinal);
        Assert.Equal("other file", byName["miner.log"].Kind);
        Assert.Equal("config", byName["readme.txt"].Kind);

        var config = byName["config.json"];
        Assert.Equal("config", config.Kind);
        Assert.Contains("config naming a mining pool (stratum+tcp://pool.example.invalid:3333)", config.Reason, StringComparison.Ordinal);
        Assert.Contains("config naming a wallet address (Monero-style 4A", config.Reason, StringComparison.Ordinal);
        Assert.Contains("config with miner settings", config.Reason, StringComparison.Ordinal);
        Assert.Contains("config choosing a mining algorithm", config.Reason, StringComparison.Ordinal);
    }
}
