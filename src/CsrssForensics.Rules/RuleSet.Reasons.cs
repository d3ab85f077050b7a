using System.Collections.Frozen;
using CsrssForensics.Rules.Model;

namespace CsrssForensics.Rules;

/// <summary>The leaf reasons of the trees by their stable codes, for readers that word a verdict from its code.</summary>
public sealed partial class RuleSet
{
    /// <summary>
    /// Every leaf's reason template (with its <c>{placeholders}</c>) by reason code (<c>REASON-GENUINE</c>). A verdict's
    /// reasonLine gives the code and the values; this is the text they fill.
    /// </summary>
    public IReadOnlyDictionary<string, string> LeafReasons =>
        _definition.Trees.Values
            .SelectMany(t => t.Nodes.Values)
            .OfType<LeafNode>()
            .ToFrozenDictionary(l => l.ReasonCode, l => l.Reason, StringComparer.Ordinal);
}
