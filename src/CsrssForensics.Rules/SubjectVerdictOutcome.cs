using System.Collections.Immutable;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Rules;

/// <summary>What the rules concluded about one subject, with the path taken through the tree and the facts it saw.</summary>
/// <param name="Facts">Every fact of the closed set, as stable text (<c>unknown</c> for missing evidence), ordinal-sorted.</param>
public sealed record SubjectVerdictOutcome(
    Verdict Verdict,
    string Reason,
    ImmutableArray<DecisionStep> DecisionPath,
    ImmutableArray<Finding> Findings,
    IReadOnlyDictionary<string, string> Facts)
{
    /// <summary><see cref="Reason"/> as a coded line: the leaf's reason code and the placeholder values it was filled with.</summary>
    public ReportLine? ReasonLine { get; init; }
}
