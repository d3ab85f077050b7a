namespace CsrssForensics.Rules.Overlays;

/// <summary>One rule in force, for <c>rules list</c> and <c>rules show</c>.</summary>
/// <param name="Id">Finding code, node id, core-process name, parameter name or known Windows name.</param>
/// <param name="Kind">One of <see cref="RuleKinds"/>.</param>
/// <param name="Severity">A finding's severity, a verdict node's verdict, otherwise "-".</param>
/// <param name="Source">Where the rule comes from: <c>built-in</c>, <c>rules FILE</c> or <c>overlay FILE</c> (with what it replaced).</param>
/// <param name="Json">The rule as written in the rules data (indented JSON).</param>
public sealed record RuleEntry(string Id, string Kind, string Severity, string Source, string Json)
{
    /// <summary>A verdict node's reason code (<c>REASON-GENUINE</c>); null for every other kind.</summary>
    public string? ReasonCode { get; init; }
}

/// <summary>The kinds of <see cref="RuleEntry"/>, in the order <c>rules list</c> shows them.</summary>
public static class RuleKinds
{
    /// <summary>A row of the core-process table.</summary>
    public const string CoreProcess = "core-process";

    /// <summary>A finding of the catalog.</summary>
    public const string Finding = "finding";

    /// <summary>A question node (yes/no or switch) of a decision tree.</summary>
    public const string Question = "question";

    /// <summary>A verdict (leaf) node of a decision tree.</summary>
    public const string Verdict = "verdict";

    /// <summary>A named expected value.</summary>
    public const string Parameter = "parameter";

    /// <summary>A real Windows name that is never a look-alike.</summary>
    public const string KnownName = "known-name";

    /// <summary>A finding taken out by an overlay (shown so <c>rules show</c> can say who disabled it).</summary>
    public const string Disabled = "disabled";
}
