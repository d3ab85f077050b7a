using CsrssForensics.Bundle;
using CsrssForensics.Core.Report;
using CsrssForensics.Rules;
using CsrssForensics.Rules.Overlays;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Analysis.Tests.RulesOverlay;

/// <summary>
/// The worked example of docs/rules.md: the shipped overlay docs/examples/miner-in-temp.overlay.json, loaded as a user
/// would, fires on a small bundle holding a busy csrss.exe in a user's Temp folder, and only with the overlay.
/// </summary>
public sealed class MinerInTempOverlayTests : IDisposable
{
    private const string MinerPath = @"C:\Users\alice\AppData\Local\Temp\csrss.exe";
    private const string Code = "USR-MINER-TEMP";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "miner-overlay-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static RulesFile Example()
    {
        var path = TestEnvironment.PathOf("docs", "examples", "miner-in-temp.overlay.json");
        return new RulesFile(Path.GetFileName(path), File.ReadAllBytes(path));
    }

    // processes.csv and host.json as the collector writes them, sealed by a manifest; nothing else is needed here.
    private string Bundle(string cpuPercent)
    {
        var processes =
            "pid,parentPid,name,imagePath,commandLine,creationTimeUtc,sessionId,user,cpuPercent,gpuPercent,workingSetBytes\n" +
            "4,0,System,,,2026-11-20T07:01:12Z,0,NT AUTHORITY\\SYSTEM,0,0,151552\n" +
            $"7312,6120,csrss.exe,{MinerPath},{MinerPath},2026-11-20T09:30:00Z,1,CORP\\alice,{cpuPercent},0,40960000\n";
        var host = """
            {"hostname":"WS-0007","osVersion":"Microsoft Windows 11 Pro","osBuild":"10.0.22631","timeZone":"UTC",
             "bootTimeUtc":"2026-11-20T07:01:12Z","systemRoot":"C:\\Windows",
             "sessions":[{"id":0,"user":null,"state":"Disconnected"},{"id":1,"user":"CORP\\alice","state":"Active"}]}
            """;
        Directory.CreateDirectory(_root);
        File.WriteAllText(Path.Combine(_root, "processes.csv"), processes);
        File.WriteAllText(Path.Combine(_root, "host.json"), host);
        File.WriteAllBytes(
            Path.Combine(_root, "manifest.json"),
            TestManifest.Bytes(TestManifest.RecordsOf(_root), "TestBuilder", "WS-0007", "2026-11-20T10:00:00Z", indented: true));
        return _root;
    }

    private static AnalysisReport Analyze(string bundle, RuleSet rules)
    {
        using var opened = BundleReader.Open(bundle);
        return BundleAnalyzer.Analyze(opened, new AnalysisOptions { Rules = rules });
    }

    [Fact]
    public void Example_overlay_reports_a_busy_csrss_in_Temp_as_a_likely_miner()
    {
        var report = Analyze(Bundle("87.5"), RuleSet.Compose(null, [Example()]));

        var verdict = Assert.Single(report.Verdicts, v => v.Subject.Path == MinerPath);
        var finding = Assert.Single(verdict.Findings, f => f.Code == Code);
        Assert.Equal(Core.Evidence.AnomalySeverity.High, finding.Severity);
        Assert.Contains("87.5 % CPU", finding.Detail, StringComparison.Ordinal);
        Assert.NotEmpty(finding.Evidence);
        var overlay = Assert.Single(report.Tool.Rules!.Overlays);
        Assert.Equal(Example().Sha256, overlay.Sha256);
    }

    [Fact]
    public void Without_the_overlay_or_below_its_threshold_the_finding_does_not_appear()
    {
        var withoutOverlay = Analyze(Bundle("87.5"), RuleSet.LoadEmbedded());
        var idle = Analyze(Bundle("3"), RuleSet.Compose(null, [Example()]));

        Assert.DoesNotContain(withoutOverlay.Verdicts.SelectMany(v => v.Findings), f => f.Code == Code);
        Assert.Null(withoutOverlay.Tool.Rules);
        Assert.DoesNotContain(idle.Verdicts.SelectMany(v => v.Findings), f => f.Code == Code);
    }
}
