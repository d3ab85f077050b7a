namespace CsrssForensics.Rules;

/// <summary>Which stage emits a finding of the rules data (the <c>producer</c> of a finding entry).</summary>
public enum FindingProducer
{
    /// <summary>The decision-tree evaluator: a leaf names it, or its <c>when</c> condition holds.</summary>
    Tree,

    /// <summary>The launcher checks (scheduled tasks, autostart entries, COM handlers, script chains).</summary>
    Launchers,

    /// <summary>The host-context checks (Defender, installed programs, browser extensions).</summary>
    HostContext,

    /// <summary>The evidence-trust check run after the tree (bundle integrity, unreadable copies).</summary>
    Trust,
}

/// <summary>What the rules data says about one finding code, for listings and consistency checks.</summary>
/// <param name="Code">The stable code, e.g. <c>LNC-TASK-HIDDEN</c>.</param>
/// <param name="Producer">Who emits it.</param>
/// <param name="Variants">The named alternative wordings, ordinal order.</param>
/// <param name="HasCondition">True when a <c>when</c> condition can emit it.</param>
/// <param name="NamedByTree">True when a decision-tree leaf names it.</param>
/// <param name="UserExtension">True when marked as a user's rule that nothing in this build emits.</param>
public sealed record FindingDefinition(
    string Code,
    FindingProducer Producer,
    IReadOnlyList<string> Variants,
    bool HasCondition,
    bool NamedByTree,
    bool UserExtension);
