using System.Collections.Frozen;
using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Rules.Model;

/// <summary>A node of a decision tree.</summary>
internal abstract record Node(string Id, ImmutableArray<string> References);

/// <summary>A yes/no question; a missing fact goes to <see cref="Unknown"/> (which defaults to <see cref="No"/>).</summary>
internal sealed record DecisionNode(string Id, string Question, Condition Condition, string Yes, string No, string? Unknown, ImmutableArray<string> References)
    : Node(Id, References);

/// <summary>A multi-way question on one text fact (e.g. signature status).</summary>
internal sealed record SwitchNode(string Id, string Question, string Fact, FrozenDictionary<string, string> Cases, string Default, ImmutableArray<string> References)
    : Node(Id, References);

/// <summary>A verdict with its reason and the findings that back it.</summary>
internal sealed record LeafNode(string Id, Verdict Verdict, string Reason, ImmutableArray<string> Findings, ImmutableArray<string> References)
    : Node(Id, References)
{
    /// <summary>The reason's stable code (<c>REASON-GENUINE</c>), unique across trees; reports carry it beside the text.</summary>
    public string ReasonCode { get; init; } = string.Empty;
}

/// <summary>One decision tree.</summary>
internal sealed record DecisionTree(string Id, string Description, string Root, FrozenDictionary<string, Node> Nodes);

/// <summary>Which evidence a finding points at.</summary>
internal enum FindingEvidence
{
    Subject,
    Parent,
    Children,
    Launchers,
    Signature,
    Binary,
    SameSession,
}

/// <summary>
/// A finding from the catalog. A <see cref="FindingProducer.Tree"/> finding is emitted when a leaf names it or when its
/// condition holds; the others are emitted by the analysis code, which supplies a variant and parameters.
/// </summary>
internal sealed record FindingRule(
    string Code,
    AnomalySeverity Severity,
    string Title,
    string Detail,
    Condition? When,
    ImmutableArray<FindingEvidence> Evidence,
    ImmutableArray<string> References)
{
    /// <summary>Who emits the finding.</summary>
    public FindingProducer Producer { get; init; }

    /// <summary>Alternative wordings by name (e.g. <c>ownAppData</c>); each overrides the severity, title or detail.</summary>
    public FrozenDictionary<string, FindingVariant> Variants { get; init; } = FrozenDictionary<string, FindingVariant>.Empty;

    /// <summary>A rule a user added that nothing in this build emits yet; exempt from the orphan check.</summary>
    public bool UserExtension { get; init; }
}

/// <summary>One named wording of a produced finding: the base values where it says nothing.</summary>
internal sealed record FindingVariant(AnomalySeverity Severity, string Title, string Detail);
