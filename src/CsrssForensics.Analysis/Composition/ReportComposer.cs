using System.Collections.Immutable;
using System.Globalization;
using CsrssForensics.Analysis.Correlation;
using CsrssForensics.Analysis.Trust;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Windows.Paths;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Wording;
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
    private readonly ImmutableArray<Judgement> _judgements;
    private ILookup<string, SubjectContext>? _contextsByPathKey;
    private readonly ImmutableArray<SubjectVerdict> _verdicts;
    private readonly IReadOnlyList<Anomaly> _analysisAnomalies;
    private readonly HostContextCorrelation _hostContext;
    private readonly ImmutableArray<ExaminationGap> _gaps;

    public ReportComposer(
        BundleSnapshot snapshot,
        RuleSet rules,
        Correlation.Correlation correlation,
        ImmutableArray<Judgement> judgements,
        IReadOnlyList<Anomaly> analysisAnomalies)
    {
        _snapshot = snapshot;
        _rules = rules;
        _correlation = correlation;
        _judgements = judgements;
        _verdicts = [.. judgements.Select(j => j.Outcome)];
        _analysisAnomalies = analysisAnomalies;
        _hostContext = new HostContextCorrelation(snapshot);
        _gaps = ExaminationCoverage.Find(snapshot);
    }

    public AnalysisReport Compose()
    {
        // The process trees only read the judgements and the correlation's process indexes, which nothing writes any
        // more: they are built on another core while the rest is composed.
        var processTrees = Task.Run(ProcessTrees);
        var status = OverallStatusOf();
        var summary = SummaryOf(status);
        var notCollected = NotCollected();
        return new AnalysisReport(
            ReportVersion: "1.0",
            new ToolInfo("CsrssForensics", ToolVersion(), _rules.Version) { Rules = _rules.Provenance },
            BundleInfoOf(),
            HostSummaryOf(),
            status,
            string.Join(" ", summary.Select(line => line.Text)),
            ReportListCaps.Integrity(_snapshot.Integrity),
            VerdictsWithContext(),
            RecordBeforeCleanup(),
            SameFolderFiles(),
            Launchers(),
            [.. Actions(), .. RogueRootActions()],
            AfterCleanup(),
            ResourceUsage(),
            processTrees.GetAwaiter().GetResult(),
            [.. notCollected.Select(line => line.Text)],
            Anomalies())
        {
            NotCollectedLines = notCollected,
            HostContext = HostContextOf(),
            Gaps = _gaps,
            SummaryLines = summary,
            StrengthCounts = StrengthCounts(),
            RogueRoots = RogueRoots(),
            ObservedProcesses = _snapshot.Processes,
            ObservedFiles = _snapshot.Files,
        };
    }

    private OverallStatus OverallStatusOf()
    {
        if (_verdicts.Any(v => v.Verdict == Verdict.Fake))
        {
            return OverallStatus.Compromised;
        }

        // A bundle that is not what was collected, a verdict that needs a human, or an autostart entry with a
        // high-severity finding (a COM hijack, a system-named task starting a user-folder file), or a root certificate
        // that imitates Microsoft's in the host's stores needs a closer look.
        if (_verdicts.Any(v => v.Verdict == Verdict.Suspicious)
            || _snapshot.Integrity.Status == IntegrityStatus.Failed
            || HighLauncherFindings() > 0
            || !ImitationRoots.IsEmpty)
        {
            return OverallStatus.Suspicious;
        }

        // Clean is a claim about the machine: it needs every core process examined and every verdict proven offline.
        var unproven = _verdicts.Any(v => v.Verdict == Verdict.Inconclusive)
            || !_gaps.IsEmpty
            || _snapshot.Integrity.Status != IntegrityStatus.Verified;
        return unproven ? OverallStatus.Inconclusive : OverallStatus.Clean;
    }

    private int HighLauncherFindings() =>
        _correlation.Launchers.Sum(l => l.Findings.Count(f => f.Severity == AnomalySeverity.High));

    private EvidenceStrengthCounts StrengthCounts() => new(
        _verdicts.Count(v => v.Strength == EvidenceStrength.VerifiedOffline),
        _verdicts.Count(v => v.Strength == EvidenceStrength.HostReported),
        _verdicts.Count(v => v.Strength == EvidenceStrength.None));

    private ImmutableArray<ReportLine> SummaryOf(OverallStatus status)
    {
        static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
        string Count(Verdict verdict) => N(_verdicts.Count(v => v.Verdict == verdict));

        var lines = new List<ReportLine>();
        // A failed integrity check comes first: every sentence after it may rest on altered evidence.
        switch (_snapshot.Integrity.Status)
        {
            case IntegrityStatus.Failed:
                lines.Add(ReportWording.Line(ItemCodes.SummaryIntegrityFailed, ("files", N(_snapshot.Integrity.Findings.Length))));
                break;
            case IntegrityStatus.Unverified:
                lines.Add(ReportWording.Line(ItemCodes.SummaryIntegrityUnverified));
                break;
            default:
                break;
        }

        var strength = StrengthCounts();
        var gaps = _gaps.IsEmpty ? null : N(_gaps.Length);
        lines.Add(status switch
        {
            OverallStatus.Compromised => ReportWording.Line(ItemCodes.SummaryCompromised),
            _ when _verdicts.IsEmpty => ReportWording.Line(ItemCodes.SummaryNothingExamined),
            OverallStatus.Suspicious => ReportWording.Line(ItemCodes.SummarySuspicious),
            OverallStatus.Inconclusive => ReportWording.Line(
                strength.HostReported + strength.None > 0 ? ItemCodes.SummaryUnprovenEvidence : ItemCodes.SummaryIncompleteEvidence, ("gaps", gaps)),
            _ => ReportWording.Line(ItemCodes.SummaryClean),
        });
        lines.Add(ReportWording.Line(
            ItemCodes.SummaryVerdicts,
            ("fake", Count(Verdict.Fake)),
            ("suspicious", Count(Verdict.Suspicious)),
            ("inconclusive", Count(Verdict.Inconclusive)),
            ("legitimate", Count(Verdict.Legitimate))));
        lines.Add(ReportWording.Line(
            ItemCodes.SummaryEvidence,
            ("verifiedOffline", N(strength.VerifiedOffline)),
            ("hostReported", N(strength.HostReported)),
            ("none", N(strength.None))));
        var launchers = HighLauncherFindings();
        if (launchers > 0)
        {
            lines.Add(ReportWording.Line(ItemCodes.SummaryHighLauncherFindings, ("count", N(launchers))));
        }

        lines.Add(ReportWording.Line(ItemCodes.SummaryBundleIntegrity, ("status", _snapshot.Integrity.Status.ToString().ToLowerInvariant())));
        return [.. lines];
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
        _judgements.Select(j => (j.Outcome, j.Context));

    // Indexed once: a scan of every context per path made thousands of copies quadratic.
    private ILookup<string, SubjectContext> ContextsByPathKey => _contextsByPathKey ??=
        _judgements.Select(j => j.Context).Where(c => c.Subject.Path is not null).ToLookup(c => WindowsPath.Key(c.Subject.Path!), StringComparer.Ordinal);

    private static bool NeedsAction(SubjectVerdict verdict) => verdict.Verdict is Verdict.Fake or Verdict.Suspicious;

    /// <summary>What was not collected, as coded lines in ordinal order of their texts, each text once.</summary>
    private ImmutableArray<ReportLine> NotCollected()
    {
        var lines = new SortedDictionary<string, ReportLine>(StringComparer.Ordinal);
        void Add(ReportLine line) => lines.TryAdd(line.Text, line);

        foreach (var part in _snapshot.MissingParts)
        {
            Add(ReportWording.Line(ContextLineCodes.PartNotCollected, ("part", PartName(part))));
        }

        foreach (var (verdict, context) in WithContexts())
        {
            if (context.Signature.Source is SignatureSource.HostReported or SignatureSource.None && verdict.Subject.Path is not null)
            {
                Add(string.IsNullOrEmpty(context.File?.BinaryBundlePath)
                    ? ReportWording.Line(ContextLineCodes.BinaryNotCopied, ("path", verdict.Subject.Path))
                    : ReportWording.Line(ContextLineCodes.BinaryUnreadable, ("copy", context.File.BinaryBundlePath), ("path", verdict.Subject.Path)));
            }
        }

        foreach (var error in _snapshot.Manifest?.CollectionErrors ?? [])
        {
            Add(ReportWording.Line(ContextLineCodes.CollectorError, ("error", error)));
        }

        return [.. lines.Values];
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

    private ImmutableArray<Anomaly> Anomalies() => ReportListCaps.Anomalies(
        [.. _snapshot.Anomalies.Concat(_analysisAnomalies)
            .Distinct()
            .OrderBy(a => a.Evidence.BundleFile, StringComparer.Ordinal)
            .ThenBy(a => a.Evidence.Row ?? -1)
            .ThenBy(a => a.Evidence.Offset ?? -1)
            .ThenBy(a => a.Code, StringComparer.Ordinal)
            .ThenBy(a => a.Message, StringComparer.Ordinal)]);

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
