namespace CsrssForensics.Core.Verdicts;

/// <summary>
/// One subject judged: the context the decision tree and the trust check read (process, file, signature, launchers)
/// and the verdict they gave. Evaluation hands these to composition whole, so nothing downstream has to find a
/// verdict's context again by its subject (two subjects can compare equal; a lookup would pick either context).
/// </summary>
public sealed record Judgement(SubjectContext Context, SubjectVerdict Outcome)
{
    /// <summary>What was judged: the same subject as the context's and the verdict's.</summary>
    public Subject Subject => Outcome.Subject;
}
