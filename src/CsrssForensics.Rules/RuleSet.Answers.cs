using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using CsrssForensics.Rules.Facts;
using CsrssForensics.Rules.Model;

namespace CsrssForensics.Rules;

/// <summary>The answer text of a decision step: the answer and the facts its condition read.</summary>
public sealed partial class RuleSet
{
    // "yes (path.inSystem32 = true, path.mock = false)": the names come from the rules, so they are listed once per
    // condition at load; only the values are read per subject.
    private string Answer(string answer, Condition condition, IReadOnlyDictionary<string, FactValue> facts)
    {
        // Built in a stack buffer (pooled if it outgrows it), so the only allocation is the finished text.
        var text = new DefaultInterpolatedStringHandler(0, 0, null, stackalloc char[256]);
        text.AppendLiteral(answer);
        text.AppendLiteral(" (");
        var first = true;
        foreach (var name in _conditionFacts[condition])
        {
            text.AppendLiteral(first ? string.Empty : ", ");
            text.AppendLiteral(name);
            text.AppendLiteral(" = ");
            text.AppendLiteral(facts.TryGetValue(name, out var value) ? value.Display : "unknown");
            first = false;
        }

        text.AppendLiteral(")");
        return text.ToStringAndClear();
    }

    // Conditions are records (equal by value); each decision node's own instance is the key.
    private static FrozenDictionary<Condition, string[]> ConditionFacts(IEnumerable<DecisionTree> trees)
    {
        var byCondition = new Dictionary<Condition, string[]>(ReferenceEqualityComparer.Instance);
        foreach (var decision in trees.SelectMany(t => t.Nodes.Values).OfType<DecisionNode>())
        {
            var names = new List<string>();
            Collect(decision.Condition, names);
            byCondition.TryAdd(decision.Condition, [.. names]);
        }

        return byCondition.ToFrozenDictionary(ReferenceEqualityComparer.Instance);
    }

    // The fact names in order of first appearance, each once.
    private static void Collect(Condition condition, List<string> names)
    {
        switch (condition)
        {
            case FactCondition fact:
                if (!names.Contains(fact.Fact))
                {
                    names.Add(fact.Fact);
                }

                break;
            case AllCondition all:
                foreach (var item in all.Items)
                {
                    Collect(item, names);
                }

                break;
            case AnyCondition any:
                foreach (var item in any.Items)
                {
                    Collect(item, names);
                }

                break;
            case NotCondition not:
                Collect(not.Inner, names);
                break;
        }
    }
}
