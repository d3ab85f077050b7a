using CsrssForensics.Bundle;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;
using Xunit.Abstractions;

namespace CsrssForensics.Analysis.Tests.Fleet;

/// <summary>
/// A generated fleet of ordinary hosts must come back without an alarm, and the same hosts with one attack each must
/// not come back clean (issue 10, point 8).
/// </summary>
public sealed class CleanFleetTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20261120;
    private const int HostCount = 48;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "csrss-fleet-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void The_generator_is_deterministic_and_mixes_systems_sessions_and_apps()
    {
        var first = FleetHosts.Generate(Seed, HostCount);
        var second = FleetHosts.Generate(Seed, HostCount);

        Assert.Equal(first.Select(h => string.Join('|', h.Notes)), second.Select(h => string.Join('|', h.Notes)));
        Assert.True(first.Count >= 40);
        Assert.Contains(first, h => h.OsName.Contains("Windows 10", StringComparison.Ordinal));
        Assert.Contains(first, h => h.OsName.Contains("Windows 11", StringComparison.Ordinal));
        Assert.Contains(first, h => h.OsName.Contains("Server 2022", StringComparison.Ordinal));
        Assert.Contains(first, h => h.Notes.Any(n => n.StartsWith("Zoom", StringComparison.Ordinal)));
        Assert.Contains(first, h => h.Notes.Any(n => n.StartsWith("Teams", StringComparison.Ordinal)));
        Assert.Contains(first, h => h.Notes.Any(n => n.StartsWith("per-user installs", StringComparison.Ordinal)));
        Assert.Contains(first, h => h.Notes.Any(n => n.StartsWith("per-user Chrome", StringComparison.Ordinal)));
        Assert.Contains(first, h => h.Notes.Count(n => n.StartsWith("OneDrive", StringComparison.Ordinal)) > 1);
    }

    [Fact]
    public void Every_ordinary_host_comes_back_without_an_alarm()
    {
        var problems = new List<string>();
        var statuses = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var host in FleetHosts.Generate(Seed, HostCount))
        {
            var report = Analyze(host);
            var status = report.OverallStatus.ToString();
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var alarms = Alarms(report);
            if (alarms.Count > 0)
            {
                problems.Add($"{host.HostName} ({string.Join(", ", host.Notes)}): {report.OverallStatus}\n  " + string.Join("\n  ", alarms));
            }
        }

        output.WriteLine($"{problems.Count} of {HostCount} ordinary hosts raised an alarm; statuses: "
            + string.Join(", ", statuses.Select(p => $"{p.Key} {p.Value}")));
        Assert.True(problems.Count == 0, $"{problems.Count} of {HostCount} ordinary hosts raised an alarm:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Every_host_with_one_injected_attack_does_not_come_back_clean()
    {
        var hosts = FleetHosts.Generate(Seed, HostCount);
        var missed = new List<string>();
        for (var i = 0; i < hosts.Count; i++)
        {
            var attack = FleetAttacks.All[i % FleetAttacks.All.Length];
            FleetAttacks.Inject(hosts[i], attack);
            var report = Analyze(hosts[i]);
            var hasFake = report.Verdicts.Any(v => v.Verdict == Verdict.Fake);
            // The indirect start must also be linked: the shortcut is named for removal with the fake it starts.
            var chainLinked = attack != FleetAttack.StartupScriptChain
                || report.Launchers.Any(l => l.Name == "Network.lnk" && l.RemoveWith.Any(p => p.EndsWith(@"\Network\csrss.exe", StringComparison.Ordinal)));
            if (report.OverallStatus is OverallStatus.Clean or OverallStatus.Inconclusive || !hasFake || !chainLinked)
            {
                missed.Add($"{hosts[i].HostName} {attack}: {report.OverallStatus}, fake verdicts: {hasFake}, chain linked: {chainLinked}");
            }
        }

        Assert.True(missed.Count == 0, string.Join("\n", missed));
    }

    private AnalysisReport Analyze(FleetBundle host)
    {
        using var bundle = BundleReader.Open(host.WriteTo(_root));
        return BundleAnalyzer.Analyze(bundle);
    }

    /// <summary>
    /// What an ordinary host must not show: a fake or suspicious verdict, a medium or high finding on a verdict, a
    /// launcher or in the host context, or a status other than clean or inconclusive.
    /// </summary>
    private static List<string> Alarms(AnalysisReport report)
    {
        var alarms = new List<string>();

        // The generated bundles copy no binaries, so signatures are only the host's word: Inconclusive is the best they
        // can get (docs/trust.md), and only for that reason: no gap, and every unproven verdict host-reported.
        if (report.OverallStatus is not (OverallStatus.Clean or OverallStatus.Inconclusive))
        {
            alarms.Add("status " + report.OverallStatus);
        }

        alarms.AddRange(report.Gaps.Select(g => $"gap {g.Code} {g.Subject}"));
        alarms.AddRange(report.Verdicts
            .Where(v => v.Verdict == Verdict.Inconclusive && v.Strength != EvidenceStrength.HostReported)
            .Select(v => $"inconclusive for another reason than a host-reported signature: {v.Subject.Path ?? v.Subject.Name}: {v.Reason}"));

        foreach (var verdict in report.Verdicts.Where(v => v.Verdict is Verdict.Fake or Verdict.Suspicious))
        {
            alarms.Add($"{verdict.Verdict} {verdict.Subject.Path ?? verdict.Subject.Name}: {verdict.Reason}");
        }

        foreach (var verdict in report.Verdicts.Where(v => v.Verdict != Verdict.Legitimate))
        {
            alarms.AddRange(verdict.Findings.Where(IsAlarm).Select(f => $"{verdict.Verdict} {verdict.Subject.Path}: {f.Code} {f.Severity} {f.Detail}"));
        }

        foreach (var launcher in report.Launchers)
        {
            alarms.AddRange(launcher.Findings.Where(IsAlarm).Select(f => $"launcher {launcher.Name}: {f.Code} {f.Severity} {f.Detail}"));
        }

        if (report.HostContext is { } context)
        {
            alarms.AddRange(context.Findings.Where(IsAlarm).Select(f => $"host {f.Code} {f.Severity} {f.Detail}"));
        }

        return alarms;

        static bool IsAlarm(Finding finding) => finding.Severity is AnomalySeverity.Medium or AnomalySeverity.High;
    }
}
