using System.Collections.Immutable;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Reporting.Triage;

/// <summary>
/// The triage order every human format shares: non-legitimate verdicts worst first (each numbered once, so
/// Markdown and HTML name the same verdict "#3"), legitimate ones apart, reasons written once, the decision-tree nodes
/// and reference codes the verdicts used. Built from a normalized report, so it is deterministic.
/// </summary>
internal sealed class TriageView
{
    private TriageView(
        ImmutableArray<NumberedVerdict> findings,
        ImmutableArray<NumberedVerdict> legitimate,
        ImmutableArray<DecisionStep> nodes,
        ImmutableArray<string> referenceCodes)
    {
        Findings = findings;
        Legitimate = legitimate;
        Nodes = nodes;
        ReferenceCodes = referenceCodes;
    }

    /// <summary>Every fake, suspicious and inconclusive verdict, worst first; the model's order within one verdict.</summary>
    public ImmutableArray<NumberedVerdict> Findings { get; }

    /// <summary>Every legitimate verdict, numbered after the findings.</summary>
    public ImmutableArray<NumberedVerdict> Legitimate { get; }

    /// <summary>One step per decision-tree node used (its question and references), ordered by node ID.</summary>
    public ImmutableArray<DecisionStep> Nodes { get; }

    /// <summary>The reference codes cited by the decision paths, ordered.</summary>
    public ImmutableArray<string> ReferenceCodes { get; }

    public static TriageView Of(AnalysisReport report)
    {
        var ordered = report.Verdicts
            .Where(v => v.Verdict != Verdict.Legitimate)
            .Select((v, i) => (Verdict: v, Index: i))
            .OrderBy(p => Rank(p.Verdict.Verdict))
            .ThenBy(p => p.Index)
            .Select(p => p.Verdict)
            .Concat(report.Verdicts.Where(v => v.Verdict == Verdict.Legitimate))
            .ToList();

        var firstByReason = new Dictionary<string, int>(StringComparer.Ordinal);
        var numbered = new List<NumberedVerdict>(ordered.Count);
        foreach (var verdict in ordered)
        {
            var number = numbered.Count + 1;
            int? sameReasonAs = firstByReason.TryGetValue(verdict.Reason ?? string.Empty, out var first) ? first : null;
            firstByReason.TryAdd(verdict.Reason ?? string.Empty, number);
            numbered.Add(new NumberedVerdict(number, verdict, sameReasonAs));
        }

        var steps = report.Verdicts.SelectMany(v => v.DecisionPath).ToList();
        var nodes = steps
            .GroupBy(s => s.NodeId, StringComparer.Ordinal)
            .Select(g => g.First())
            .OrderBy(s => s.NodeId, StringComparer.Ordinal)
            .ToImmutableArray();
        var codes = steps
            .SelectMany(s => s.References)
            .Where(r => !string.IsNullOrEmpty(r))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToImmutableArray();

        return new TriageView(
            [.. numbered.Where(n => n.Verdict.Verdict != Verdict.Legitimate)],
            [.. numbered.Where(n => n.Verdict.Verdict == Verdict.Legitimate)],
            nodes,
            codes);
    }

    /// <summary>Worst first: fake, suspicious, inconclusive, legitimate.</summary>
    public static int Rank(Verdict verdict) => verdict switch
    {
        Verdict.Fake => 0,
        Verdict.Suspicious => 1,
        Verdict.Inconclusive => 2,
        _ => 3,
    };

    /// <summary>Counts per verdict, in the banner's order (fake, suspicious, inconclusive, legitimate).</summary>
    public static (int Fake, int Suspicious, int Inconclusive, int Legitimate) Counts(AnalysisReport report) =>
    (
        report.Verdicts.Count(v => v.Verdict == Verdict.Fake),
        report.Verdicts.Count(v => v.Verdict == Verdict.Suspicious),
        report.Verdicts.Count(v => v.Verdict == Verdict.Inconclusive),
        report.Verdicts.Count(v => v.Verdict == Verdict.Legitimate)
    );
}

/// <summary>A verdict with its number in the report; <paramref name="SameReasonAs"/> names the first verdict with the same reason.</summary>
internal sealed record NumberedVerdict(int Number, SubjectVerdict Verdict, int? SameReasonAs);
