using System.Collections.Immutable;
using System.Runtime.ExceptionServices;
using CsrssForensics.Analysis.Composition;
using CsrssForensics.Analysis.Correlation;
using CsrssForensics.Analysis.Signatures;
using CsrssForensics.Analysis.Trust;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Pe.Authenticode;
using CsrssForensics.Rules;

namespace CsrssForensics.Analysis;

/// <summary>
/// The one place that composes the stages: bundle snapshot → PE and signature facts → correlation → decision tree →
/// report model. Everything it returns is derived from the bundle and the options; it reads no clock and no host store.
/// </summary>
public static class BundleAnalyzer
{
    /// <summary>Anomaly: a catalog or store file not read because those before it reached <see cref="AnalysisOptions.MaxHeldEntryBytes"/>.</summary>
    public const string HeldBytesCappedCode = "ANA0003";

    /// <summary>Analyses an opened bundle and builds the report model.</summary>
    public static AnalysisReport Analyze(OpenedBundle bundle, AnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        options ??= AnalysisOptions.Default;
        var snapshot = bundle.Snapshot;
        var rules = options.Rules ?? (options.RulesJson is null ? RuleSet.LoadEmbedded() : RuleSet.Load(options.RulesJson));
        RequireProducedFindings(rules);

        // The trust anchors and catalogs share nothing with the correlation: they are read on another core meanwhile.
        // Their anomalies come first in the report, as when the two ran one after the other.
        var trustAnomalies = new AnomalyList();
        var trustSetup = Task.Run(() => ReadTrust(bundle, options, trustAnomalies));
        var anomalies = new AnomalyList();
        var correlation = Correlation.Correlation.Build(snapshot, new BundleFileText(bundle.Source, anomalies), rules, options.Parallelism);
        var (storeFiles, verifier, shared) = trustSetup.GetAwaiter().GetResult();
        var examiner = new BinaryExaminer(bundle.Source, verifier, anomalies, shared);

        var subjects = new SubjectCollector(snapshot, rules, examiner, correlation) { Parallelism = options.Parallelism }.Collect();
        var judgements = Judge(subjects, rules, snapshot.Integrity, correlation, options.Parallelism);
        foreach (var cut in correlation.CapAnomalies())
        {
            anomalies.Report(cut);
        }

        return new ReportComposer(snapshot, rules, correlation, judgements, [.. trustAnomalies.Items, .. anomalies.Items])
        {
            // Only the host's own stores: roots the analyst adds with --roots are a deliberate choice, not evidence.
            ImitationRoots = [.. ImitationRoots.Find(storeFiles)],
        }.Compose();
    }

    /// <summary>
    /// The bundle's certificate stores and catalogs, read into the verifier every signature is checked with. The
    /// bundle's stores are the suspect host's word; the analyst's --roots are not: each root keeps its origin.
    /// </summary>
    private static (List<(string Name, byte[] Bytes)> StoreFiles, AuthenticodeVerifier Verifier, SharedBinaryContext? Shared) ReadTrust(
        OpenedBundle bundle, AnalysisOptions options, AnomalyList anomalies)
    {
        var snapshot = bundle.Snapshot;
        var storeFiles = ReadEntries(bundle.Source, snapshot.CertStoreEntries, anomalies, options.MaxHeldEntryBytes);
        var anchors = TrustAnchors.FromSources(storeFiles, options.ExtraRoots ?? [], anomalies);
        var catalogFiles = ReadEntries(bundle.Source, snapshot.CatalogEntries, anomalies, options.MaxHeldEntryBytes);
        var catalogs = CatalogIndex.Build(catalogFiles.Select(c => (c.Name, (ReadOnlyMemory<byte>)c.Bytes)), anomalies);
        var verifier = new AuthenticodeVerifier(anchors, catalogs, VerificationTime(snapshot));
        var shared = options.SharedBinaries is null ? null : new SharedBinaryContext(
            options.SharedBinaries, storeFiles, options.ExtraRoots ?? [], catalogFiles, VerificationTime(snapshot));
        return (storeFiles, verifier, shared);
    }

    /// <summary>
    /// Every finding the launcher, host-context and trust checks emit must be worded by the rules in force: an override
    /// written for an older release is rejected before the analysis starts, with every missing code listed.
    /// </summary>
    /// <exception cref="RuleSetException">A produced code or variant is not defined.</exception>
    public static void RequireProducedFindings(RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        rules.RequireProducedFindings(
            LauncherCodes.Produced.Select(p => (p.Code, FindingProducer.Launchers, p.Variants))
                .Concat(HostContextCodes.Produced.Select(p => (p.Code, FindingProducer.HostContext, p.Variants)))
                .Concat(TrustCodes.Produced.Select(p => (p.Code, FindingProducer.Trust, p.Variants))));
    }

    /// <summary>
    /// The decision tree, then the trust check that keeps a verdict from claiming more than its evidence proves, in
    /// report order; each verdict stays with the context it was judged on. Subjects are judged independently (on up to
    /// <paramref name="parallelism"/> cores) into their own slot, and the stable sort then fixes the order, so the
    /// result is the same on any core count.
    /// </summary>
    internal static ImmutableArray<Judgement> Judge(
        ImmutableArray<SubjectContext> subjects, RuleSet rules, IntegrityReport integrity, Correlation.Correlation correlation,
        int parallelism = 1)
    {
        var trust = new EvidenceTrust(integrity, rules);
        var judged = new Judgement[subjects.Length];
        var failures = new Exception?[subjects.Length];
        Parallel.For(0, subjects.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, index =>
        {
            var context = subjects[index];
            try
            {
                judged[index] = new Judgement(context, trust.Apply(ToVerdict(context, rules.Evaluate(context), correlation), context));
            }
            catch (Exception error)
            {
                failures[index] = error;
            }
        });

        // The first subject's failure in collection order is the one reported, whatever the thread timing.
        if (Array.Find(failures, f => f is not null) is { } failure)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }

        return [.. judged
            .OrderBy(j => SeverityRank(j.Outcome.Verdict))
            .ThenBy(j => j.Subject.Kind)
            .ThenBy(j => j.Subject.Path ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(j => j.Subject.Pid ?? -1)];
    }

    /// <summary>
    /// Signatures are checked as of the signing timestamp when there is one, else as of collection: the evidence's
    /// own time, never this machine's clock. Without a recorded collection time, the boot time or the newest process
    /// start is the latest moment the evidence proves.
    /// </summary>
    private static DateTimeOffset VerificationTime(BundleSnapshot snapshot) =>
        snapshot.Manifest?.CollectedAtUtc
        ?? snapshot.Processes.Select(p => p.CreationTimeUtc).Where(t => t is not null).Max()
        ?? snapshot.Host?.BootTimeUtc
        ?? DateTimeOffset.UnixEpoch;

    /// <summary>Fakes first, then what needs a look, then what could not be checked, then the genuine components.</summary>
    private static int SeverityRank(Verdict verdict) => verdict switch
    {
        Verdict.Fake => 0,
        Verdict.Suspicious => 1,
        Verdict.Inconclusive => 2,
        _ => 3,
    };

    /// <summary>Reads entries kept for the whole run (catalogs, store files), in name order, until <paramref name="budget"/> bytes are held.</summary>
    private static List<(string Name, byte[] Bytes)> ReadEntries(IBundleSource source, ImmutableArray<string> entries, AnomalyList sink, long budget)
    {
        var result = new List<(string, byte[])>();
        long held = 0;
        foreach (var entry in entries)
        {
            var length = source.EntryLength(entry) ?? 0;
            if (length > budget - held)
            {
                sink.Report(new Anomaly(
                    HeldBytesCappedCode,
                    AnomalySeverity.Medium,
                    $"'{entry}' ({length} bytes) was not read: the catalogs or store files before it already hold {held} bytes and the cap is {budget}.",
                    new EvidenceRef(entry)));
                continue;
            }

            held += length;
            var bytes = source.TryReadAllBytes(entry, sink);
            if (bytes is not null)
            {
                result.Add((entry, bytes));
            }
        }

        return result;
    }

    private static SubjectVerdict ToVerdict(SubjectContext context, SubjectVerdictOutcome outcome, Correlation.Correlation correlation)
    {
        var evidence = new List<EvidenceRef>();
        if (context.Process is not null)
        {
            evidence.Add(context.Process.Source);
        }

        if (context.File is not null)
        {
            evidence.Add(context.File.Source);
        }

        evidence.AddRange(context.Signature.Evidence);
        evidence.AddRange(context.Launchers.Select(l => l.Evidence));

        // A launcher that reaches the subject through a script is named with the whole chain, so the verdict says
        // how the launcher and the subject connect ("Run value X runs run.bat, which starts csrss.exe").
        var chains = correlation.ScriptChainsTo(context.Subject.Path);
        var findings = chains.IsEmpty
            ? outcome.Findings
            : outcome.Findings.AddRange(chains.Select(c => correlation.Rules.Produce(
                LauncherCodes.ScriptChain, LauncherVariants.OnSubject, c.Evidence, ("chain", c.Describe()))));
        evidence.AddRange(chains.SelectMany(c => c.Evidence));

        return new SubjectVerdict(
            context.Subject,
            outcome.Verdict,
            outcome.Reason,
            outcome.DecisionPath,
            [.. evidence.Distinct()],
            findings,
            context.Signature)
        {
            ReasonLine = outcome.ReasonLine,
        };
    }

}
