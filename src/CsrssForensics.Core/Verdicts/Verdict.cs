using System.Collections.Immutable;
using System.Text.Json.Serialization;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Core.Verdicts;

/// <summary>The four verdicts of DESIGN.md, per process instance and per file.</summary>
public enum Verdict
{
    /// <summary>Expected location and a Microsoft signature (or, for a process, its image is such a file).</summary>
    Legitimate,

    /// <summary>Something is off and needs a human: wrong folder, odd launcher, odd parent, signature disagreement.</summary>
    Suspicious,

    /// <summary>Evidence-backed masquerade: a core-process name or look-alike, outside its folder, not Microsoft-signed.</summary>
    Fake,

    /// <summary>Evidence is missing (binary not collected, signature unknown); never read as legitimate.</summary>
    Inconclusive,
}

/// <summary>What a verdict is about.</summary>
public enum SubjectKind
{
    Process,
    File,
}

/// <summary>The process or file a verdict concerns.</summary>
/// <param name="Path">Normalised full path (<c>C:\Windows\System32\csrss.exe</c>), or null when the host did not say.</param>
public sealed record Subject(SubjectKind Kind, string Name, string? Path, int? Pid);

/// <summary>One step through the decision tree: which node asked what, and what the facts answered.</summary>
public sealed record DecisionStep(string NodeId, string Question, string Answer, ImmutableArray<string> References)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<string> References { get; init => field = value.OrEmpty(); } = References.OrEmpty();

    /// <summary><see cref="Question"/> as a coded line (<c>STEP-*</c>) when the analysis, not a rules node, asked it; null for a tree node.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Report.ReportLine? QuestionLine { get; init; }

    /// <summary><see cref="Answer"/> as a coded line (<c>STEP-*</c>) when the analysis, not a rules node, answered; null for a tree node.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Report.ReportLine? AnswerLine { get; init; }
}

/// <summary>A named observation that supports a verdict (e.g. "launched by scheduled task").</summary>
/// <param name="Code">Stable identifier such as <c>CSR-PATH-USERWRITABLE</c>.</param>
public sealed record Finding(
    string Code,
    AnomalySeverity Severity,
    string Title,
    string Detail,
    ImmutableArray<EvidenceRef> Evidence)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<EvidenceRef> Evidence { get; init => field = value.OrEmpty(); } = Evidence.OrEmpty();
}

/// <summary>The verdict for one subject, with the path taken and the evidence behind it.</summary>
public sealed record SubjectVerdict(
    Subject Subject,
    Verdict Verdict,
    string Reason,
    ImmutableArray<DecisionStep> DecisionPath,
    ImmutableArray<EvidenceRef> Evidence,
    ImmutableArray<Finding> Findings,
    SignatureEvidence? Signature)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<DecisionStep> DecisionPath { get; init => field = value.OrEmpty(); } = DecisionPath.OrEmpty();
    public ImmutableArray<EvidenceRef> Evidence { get; init => field = value.OrEmpty(); } = Evidence.OrEmpty();
    public ImmutableArray<Finding> Findings { get; init => field = value.OrEmpty(); } = Findings.OrEmpty();
    public SignatureEvidence? Signature { get; init; } = Signature;

    /// <summary>What the verdict's signature answer rests on; see <see cref="EvidenceStrength"/>.</summary>
    public EvidenceStrength Strength { get; init; }

    /// <summary>
    /// <see cref="Reason"/> as a coded line: the rules leaf's <c>reasonCode</c> with the placeholder values it was filled
    /// with, or a wording-table <c>REASON-CAPPED-*</c> code when the analysis capped the verdict for want of evidence.
    /// Null only for a verdict built without either (tests).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Report.ReportLine? ReasonLine { get; init; }
}
