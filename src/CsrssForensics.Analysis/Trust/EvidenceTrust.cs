using System.Collections.Frozen;
using CsrssForensics.Analysis.Composition;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Wording;
using CsrssForensics.Rules;

namespace CsrssForensics.Analysis.Trust;

/// <summary>
/// Says how far each verdict can be trusted and keeps the tree's answer from claiming more than its evidence: a
/// verdict resting on the host's word, on nothing, or on a bundle file that failed its integrity check is never
/// <see cref="Verdict.Legitimate"/>. Runs after the decision tree, on every verdict, and records its own step in the
/// decision path so the auditor sees why a "legitimate" leaf became inconclusive.
/// </summary>
internal sealed class EvidenceTrust
{
    /// <summary>Node ID of the trust step appended to every decision path.</summary>
    public const string NodeId = "TRUST-010";

    private readonly FrozenDictionary<string, IntegrityFinding> _damaged;
    private readonly RuleSet _rules;

    // The same question on every subject: worded once.
    private readonly ReportLine _question = ReportWording.Line(ItemCodes.TrustQuestion);

    /// <param name="rules">Words the trust findings (producer trust in the rules data).</param>
    public EvidenceTrust(IntegrityReport integrity, RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(integrity);
        ArgumentNullException.ThrowIfNull(rules);
        _rules = rules;
        _damaged = integrity.Findings
            .Where(f => f.Problem is IntegrityProblem.Changed or IntegrityProblem.Missing or IntegrityProblem.Refused)
            .GroupBy(f => f.Path, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>The strength of a signature answer, before integrity is considered.</summary>
    public static EvidenceStrength StrengthOf(SignatureEvidence signature) => signature.Source switch
    {
        SignatureSource.OfflineEmbedded or SignatureSource.OfflineCatalog or SignatureSource.Offline => EvidenceStrength.VerifiedOffline,
        SignatureSource.HostReported => EvidenceStrength.HostReported,
        _ => EvidenceStrength.None,
    };

    /// <summary>Returns the verdict with its strength set, its trust step appended and, where needed, capped.</summary>
    public SubjectVerdict Apply(SubjectVerdict verdict, SubjectContext context)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(context);
        var damaged = DamagedEvidence(verdict, context);
        var copyUnreadable = context.Signature.Source == SignatureSource.None && !string.IsNullOrEmpty(context.File?.BinaryBundlePath);
        var strength = damaged.Count > 0 ? EvidenceStrength.None : StrengthOf(context.Signature);

        var findings = verdict.Findings;
        if (damaged.Count > 0)
        {
            findings = findings.Add(IntegrityFinding(damaged));
        }

        if (copyUnreadable && !damaged.Any(f => f.Path == context.File!.BinaryBundlePath))
        {
            findings = findings.Add(UnreadableCopyFinding(context.File!));
        }

        // The kernel's own process (System, pid 4) has no image file by design: its verdict rests on the process list
        // alone, which is always the host's word, and no copy could ever prove more.
        var imageless = damaged.Count == 0 && IsImageless(context);
        if (imageless)
        {
            strength = EvidenceStrength.HostReported;
        }

        var capped = verdict.Verdict == Verdict.Legitimate && strength != EvidenceStrength.VerifiedOffline && !imageless;
        var question = _question;
        var answer = imageless
            ? ReportWording.Line(ItemCodes.TrustImageless)
            : Answer(strength, context.Signature, damaged, copyUnreadable, capped ? Verdict.Inconclusive : null);
        var path = verdict.DecisionPath
            .Add(new DecisionStep(NodeId, question.Text, answer.Text, ["DESIGN"]) { QuestionLine = question, AnswerLine = answer });

        var cappedReason = capped ? CappedReason(context, strength, damaged, copyUnreadable) : null;
        return verdict with
        {
            Verdict = capped ? Verdict.Inconclusive : verdict.Verdict,
            Reason = cappedReason?.Text ?? verdict.Reason,
            ReasonLine = cappedReason ?? verdict.ReasonLine,
            DecisionPath = path,
            Findings = findings,
            Strength = strength,
        };
    }

    private static bool IsImageless(SubjectContext context) =>
        context.File is null
        && context.Process is { Pid: 4 } process
        && string.IsNullOrWhiteSpace(process.ImagePath)
        && string.Equals(process.Name.Trim(), "System", StringComparison.OrdinalIgnoreCase);

    private List<IntegrityFinding> DamagedEvidence(SubjectVerdict verdict, SubjectContext context)
    {
        // A bundle that passed its integrity check damages no evidence: nothing to collect per subject.
        if (_damaged.Count == 0)
        {
            return [];
        }

        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var evidence in verdict.Evidence.Concat(context.Signature.Evidence))
        {
            files.Add(evidence.BundleFile);
        }

        if (!string.IsNullOrEmpty(context.File?.BinaryBundlePath))
        {
            files.Add(context.File.BinaryBundlePath);
        }

        if (!string.IsNullOrEmpty(context.File?.CatalogBundlePath))
        {
            files.Add(context.File.CatalogBundlePath);
        }

        return [.. files.Where(_damaged.ContainsKey).Select(f => _damaged[f])];
    }

    // Each answer is a wording-table line; a legitimate leaf capped by this step says so in an optional segment.
    private static ReportLine Answer(
        EvidenceStrength strength, SignatureEvidence signature, List<IntegrityFinding> damaged, bool copyUnreadable, Verdict? cappedTo)
    {
        var cappedText = cappedTo?.ToString().ToLowerInvariant();
        if (damaged.Count > 0)
        {
            var damage = string.Join(", ", damaged.Select(d => $"{d.Path} {d.Problem.ToString().ToLowerInvariant()}"));
            return ReportWording.Line(ItemCodes.TrustIntegrityFailed, ("damage", damage), ("cappedTo", cappedText));
        }

        return strength switch
        {
            EvidenceStrength.VerifiedOffline => ReportWording.Line(signature.Source switch
            {
                SignatureSource.OfflineEmbedded => ItemCodes.TrustVerifiedEmbedded,
                SignatureSource.OfflineCatalog => ItemCodes.TrustVerifiedCatalog,
                _ => ItemCodes.TrustVerifiedUnsigned,
            }),
            EvidenceStrength.HostReported => ReportWording.Line(
                ItemCodes.TrustHostReported, ("hostStatus", signature.HostStatus ?? "?"), ("cappedTo", cappedText)),
            _ when copyUnreadable => ReportWording.Line(ItemCodes.TrustCopyUnreadable, ("cappedTo", cappedText)),
            _ => ReportWording.Line(ItemCodes.TrustNoEvidence, ("cappedTo", cappedText)),
        };
    }

    private static ReportLine CappedReason(SubjectContext context, EvidenceStrength strength, List<IntegrityFinding> damaged, bool copyUnreadable)
    {
        if (damaged.Count > 0)
        {
            return ReportWording.Line(ItemCodes.ReasonIntegrityFailed, ("files", string.Join(", ", damaged.Select(d => d.Path))));
        }

        if (copyUnreadable)
        {
            return ReportWording.Line(ItemCodes.ReasonCopyUnreadable, ("copy", context.File!.BinaryBundlePath));
        }

        return strength == EvidenceStrength.HostReported
            ? ReportWording.Line(ItemCodes.ReasonHostReported, ("hostStatus", context.Signature.HostStatus ?? string.Empty))
            : ReportWording.Line(ItemCodes.ReasonNoEvidence);
    }

    private Finding IntegrityFinding(List<IntegrityFinding> damaged) => _rules.Produce(
        TrustCodes.IntegrityFailed, null, [.. damaged.Select(d => d.Evidence)], ("problems", string.Join("; ", damaged.Select(d => d.Message))));

    private Finding UnreadableCopyFinding(FileRecord file) => _rules.Produce(
        TrustCodes.CopyUnreadable, null, [file.Source with { Detail = file.BinaryBundlePath }], ("copy", file.BinaryBundlePath));
}
