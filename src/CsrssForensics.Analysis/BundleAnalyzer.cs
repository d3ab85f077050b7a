using System.Collections.Immutable;
using CsrssForensics.Analysis.Composition;
using CsrssForensics.Analysis.Signatures;
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
    /// <summary>Analyses an opened bundle and builds the report model.</summary>
    public static AnalysisReport Analyze(OpenedBundle bundle, AnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        options ??= AnalysisOptions.Default;
        var snapshot = bundle.Snapshot;
        var anomalies = new AnomalyList();
        var rules = options.RulesJson is null ? RuleSet.LoadEmbedded() : RuleSet.Load(options.RulesJson);

        var roots = ReadEntries(bundle.Source, snapshot.CertStoreEntries, anomalies)
            .Concat(options.ExtraRoots ?? [])
            .ToList();
        var anchors = TrustAnchors.FromPem(roots, anomalies);
        var catalogs = CatalogIndex.Build(
            ReadEntries(bundle.Source, snapshot.CatalogEntries, anomalies).Select(c => (c.Name, (ReadOnlyMemory<byte>)c.Bytes)),
            anomalies);
        var verifier = new AuthenticodeVerifier(anchors, catalogs, VerificationTime(snapshot));
        var examiner = new BinaryExaminer(bundle.Source, verifier, anomalies);
        var correlation = Correlation.Correlation.Build(snapshot);

        var subjects = new SubjectCollector(snapshot, rules, examiner, correlation).Collect();
        var verdicts = subjects
            .Select(context => ToVerdict(context, rules.Evaluate(context)))
            .OrderBy(v => v.Subject.Kind)
            .ThenBy(v => v.Subject.Path ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(v => v.Subject.Pid ?? -1)
            .ToImmutableArray();

        return new ReportComposer(snapshot, rules, correlation, subjects, verdicts, anomalies.Items).Compose();
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

    private static List<(string Name, byte[] Bytes)> ReadEntries(IBundleSource source, ImmutableArray<string> entries, IAnomalySink sink)
    {
        var result = new List<(string, byte[])>();
        foreach (var entry in entries)
        {
            var bytes = source.TryReadAllBytes(entry, sink);
            if (bytes is not null)
            {
                result.Add((entry, bytes));
            }
        }

        return result;
    }

    private static SubjectVerdict ToVerdict(SubjectContext context, SubjectVerdictOutcome outcome)
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

        var findings = outcome.Findings.ToList();
        if (context.File is not null
            && HostSignatureInterpreter.Disagrees(context.Signature, context.File.HostSignature)
            && findings.TrueForAll(f => f.Code != SignatureDisagreementCode))
        {
            findings.Add(new Finding(
                SignatureDisagreementCode,
                AnomalySeverity.High,
                "The host's signature report disagrees with offline verification",
                $"The suspect host reported '{context.File.HostSignature.Status}', but the bytes verify as {context.Signature.Status}.",
                [context.File.Source, .. context.Signature.Evidence]));
        }

        return new SubjectVerdict(
            context.Subject,
            outcome.Verdict,
            outcome.Reason,
            outcome.DecisionPath,
            [.. evidence.Distinct()],
            [.. findings],
            context.Signature);
    }

    private const string SignatureDisagreementCode = "SIG-HOST-DISAGREES";
}
