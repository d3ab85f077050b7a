using System.Collections.Immutable;
using System.Globalization;
using CsrssForensics.Analysis.Correlation;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Paths;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Rules;

namespace CsrssForensics.Analysis.Composition;

/// <summary>
/// Turns verdicts and correlation into the report sections the seed asks for: what to record before cleanup, the
/// folder around each copy, launchers to remove, what to do and not do, the after-cleanup checklist and the real load.
/// </summary>
internal sealed partial class ReportComposer
{
    /// <summary>CPU or GPU percentage from which a process is listed as a real source of load.</summary>
    private const double LoadThresholdPercent = 5.0;

    private readonly BundleSnapshot _snapshot;
    private readonly RuleSet _rules;
    private readonly Correlation.Correlation _correlation;
    private readonly ImmutableArray<SubjectContext> _contexts;
    private readonly ImmutableArray<SubjectVerdict> _verdicts;
    private readonly IReadOnlyList<Anomaly> _analysisAnomalies;
    private readonly HostContextCorrelation _hostContext;

    public ReportComposer(
        BundleSnapshot snapshot,
        RuleSet rules,
        Correlation.Correlation correlation,
        ImmutableArray<SubjectContext> contexts,
        ImmutableArray<SubjectVerdict> verdicts,
        IReadOnlyList<Anomaly> analysisAnomalies)
    {
        _snapshot = snapshot;
        _rules = rules;
        _correlation = correlation;
        _contexts = contexts;
        _verdicts = verdicts;
        _analysisAnomalies = analysisAnomalies;
        _hostContext = new HostContextCorrelation(snapshot);
    }

    public AnalysisReport Compose()
    {
        var status = OverallStatusOf();
        return new AnalysisReport(
            ReportVersion: "1.0",
            new ToolInfo("CsrssForensics", ToolVersion(), _rules.Version),
            BundleInfoOf(),
            HostSummaryOf(),
            status,
            SummaryOf(status),
            _snapshot.Integrity,
            VerdictsWithContext(),
            RecordBeforeCleanup(),
            SameFolderFiles(),
            Launchers(),
            [.. Actions(), .. RogueRootActions()],
            AfterCleanup(),
            ResourceUsage(),
            ProcessTrees(),
            NotCollected(),
            Anomalies())
        {
            HostContext = HostContextOf(),
            RogueRoots = RogueRoots(),
        };
    }

    private OverallStatus OverallStatusOf()
    {
        if (_verdicts.Any(v => v.Verdict == Verdict.Fake))
        {
            return OverallStatus.Compromised;
        }

        // A core process that cannot be verified, a bundle that is not what was collected, or an autostart entry with a
        // high-severity finding (a COM hijack, a system-named task starting a user-folder file) is not "clean".
        var doubtful = _verdicts.Any(v => v.Verdict is Verdict.Suspicious or Verdict.Inconclusive)
            || _snapshot.Integrity.Status != IntegrityStatus.Verified
            || HighLauncherFindings() > 0
            || !ImitationRoots.IsEmpty;
        return doubtful ? OverallStatus.Suspicious : OverallStatus.Clean;
    }

    private int HighLauncherFindings() =>
        _correlation.Launchers.Sum(l => l.Findings.Count(f => f.Severity == AnomalySeverity.High));

    private string SummaryOf(OverallStatus status)
    {
        string Count(Verdict verdict) => _verdicts.Count(v => v.Verdict == verdict).ToString(CultureInfo.InvariantCulture);
        var head = status switch
        {
            OverallStatus.Compromised => "Evidence-backed fake core-process copies were found.",
            OverallStatus.Suspicious => "Nothing is proven fake, but some items need a closer look or could not be verified.",
            _ => "Every core process checked is the genuine Windows component.",
        };
        var launchers = HighLauncherFindings();
        var launcherText = launchers == 0 ? string.Empty : $" High-severity autostart findings: {launchers.ToString(CultureInfo.InvariantCulture)} (see Launchers).";
        return $"{head} Verdicts: {Count(Verdict.Fake)} fake, {Count(Verdict.Suspicious)} suspicious, "
            + $"{Count(Verdict.Inconclusive)} inconclusive, {Count(Verdict.Legitimate)} legitimate."
            + launcherText
            + $" Bundle integrity: {_snapshot.Integrity.Status.ToString().ToLowerInvariant()}.";
    }

    private static string ToolVersion()
    {
        var version = typeof(ReportComposer).Assembly.GetName().Version;
        return version is null ? "0.0.0" : version.ToString(3);
    }

    private BundleInfo BundleInfoOf()
    {
        var manifest = _snapshot.Manifest;
        return new BundleInfo(
            _snapshot.BundleName,
            manifest?.FormatVersion,
            manifest?.CollectorName,
            manifest?.CollectorVersion,
            manifest?.CollectedAtUtc,
            manifest?.Operator);
    }

    private HostSummary? HostSummaryOf()
    {
        var host = _snapshot.Host;
        return host is null
            ? null
            : new HostSummary(host.Hostname, host.OsVersion, host.OsBuild, host.TimeZone, host.BootTimeUtc, host.Sessions);
    }

    private IEnumerable<(SubjectVerdict Verdict, SubjectContext Context)> WithContexts() =>
        _verdicts.Select(v => (v, _contexts.First(c => c.Subject == v.Subject)));

    private static bool NeedsAction(SubjectVerdict verdict) => verdict.Verdict is Verdict.Fake or Verdict.Suspicious;

    private ImmutableArray<string> NotCollected()
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var part in _snapshot.MissingParts)
        {
            lines.Add($"Bundle part not collected: {PartName(part)}.");
        }

        foreach (var (verdict, context) in WithContexts())
        {
            if (context.Signature.Source is SignatureSource.HostReported or SignatureSource.None && verdict.Subject.Path is not null)
            {
                lines.Add($"Binary not copied, signature not verified offline: {verdict.Subject.Path}");
            }
        }

        foreach (var error in _snapshot.Manifest?.CollectionErrors ?? [])
        {
            lines.Add($"Collector error: {error}");
        }

        return [.. lines];
    }

    private static string PartName(BundlePart part) => part switch
    {
        BundlePart.Processes => "processes.csv",
        BundlePart.Files => "files.csv",
        BundlePart.Binaries => "binaries/",
        BundlePart.Catalogs => "catalogs/",
        BundlePart.Tasks => "tasks/",
        BundlePart.Autoruns => "autoruns.json",
        BundlePart.CertStores => "certstores/",
        BundlePart.Host => "host.json",
        BundlePart.Programs => "programs.json",
        BundlePart.BrowserExtensions => "browser-extensions.json",
        BundlePart.Defender => "defender.json",
        BundlePart.Com => "com.json",
        _ => part.ToString(),
    };

    private ImmutableArray<Anomaly> Anomalies() =>
        [.. _snapshot.Anomalies.Concat(_analysisAnomalies)
            .Distinct()
            .OrderBy(a => a.Evidence.BundleFile, StringComparer.Ordinal)
            .ThenBy(a => a.Evidence.Row ?? -1)
            .ThenBy(a => a.Evidence.Offset ?? -1)
            .ThenBy(a => a.Code, StringComparer.Ordinal)
            .ThenBy(a => a.Message, StringComparer.Ordinal)];

    private ImmutableArray<ResourceUsageRow> ResourceUsage() =>
        [.. _snapshot.Processes
            .Where(p => (p.CpuPercent ?? 0) >= LoadThresholdPercent || (p.GpuPercent ?? 0) >= LoadThresholdPercent)
            .OrderByDescending(p => Math.Max(p.CpuPercent ?? 0, p.GpuPercent ?? 0))
            .ThenBy(p => p.Pid)
            .Take(15)
            .Select(p => new ResourceUsageRow(
                p.Pid, p.Name, WindowsPath.Normalize(p.ImagePath, _snapshot.Host?.SystemRoot), p.CpuPercent, p.GpuPercent, p.WorkingSetBytes, p.Source))];

    private ImmutableArray<ProcessTreeView> ProcessTrees()
    {
        var verdictByPid = _verdicts
            .Where(v => v.Subject.Pid is not null)
            .GroupBy(v => v.Subject.Pid!.Value)
            .ToDictionary(g => g.Key, g => g.First().Verdict.ToString().ToLowerInvariant());
        return [.. WithContexts()
            .Where(x => x.Context.Process is not null && (x.Verdict.Verdict != Verdict.Legitimate || x.Verdict.Findings.Length > 0))
            .Select(x => _correlation.TreeAround(x.Context.Process!))
            .Select(tree => tree with
            {
                Nodes = [.. tree.Nodes.Select(n => n with { Verdict = n.Verdict ?? verdictByPid.GetValueOrDefault(n.Pid) })],
            })];
    }
}
