using System.Collections.Immutable;
using CsrssForensics.Rules.Facts;

namespace CsrssForensics.Rules.Model;

/// <summary>Three-valued answer: a missing fact is neither yes nor no.</summary>
internal enum Tri
{
    False,
    True,
    Unknown,
}

/// <summary>A rule condition over facts.</summary>
internal abstract record Condition
{
    public abstract Tri Evaluate(IReadOnlyDictionary<string, FactValue> facts);
}

/// <summary>All must hold: false if any is false, unknown if any is unknown, else true.</summary>
internal sealed record AllCondition(ImmutableArray<Condition> Items) : Condition
{
    public override Tri Evaluate(IReadOnlyDictionary<string, FactValue> facts)
    {
        var unknown = false;
        foreach (var item in Items)
        {
            var value = item.Evaluate(facts);
            if (value == Tri.False)
            {
                return Tri.False;
            }

            unknown |= value == Tri.Unknown;
        }

        return unknown ? Tri.Unknown : Tri.True;
    }
}

/// <summary>One must hold: true if any is true, unknown if any is unknown, else false.</summary>
internal sealed record AnyCondition(ImmutableArray<Condition> Items) : Condition
{
    public override Tri Evaluate(IReadOnlyDictionary<string, FactValue> facts)
    {
        var unknown = false;
        foreach (var item in Items)
        {
            var value = item.Evaluate(facts);
            if (value == Tri.True)
            {
                return Tri.True;
            }

            unknown |= value == Tri.Unknown;
        }

        return unknown ? Tri.Unknown : Tri.False;
    }
}

/// <summary>Negation; unknown stays unknown.</summary>
internal sealed record NotCondition(Condition Inner) : Condition
{
    public override Tri Evaluate(IReadOnlyDictionary<string, FactValue> facts) => Inner.Evaluate(facts) switch
    {
        Tri.True => Tri.False,
        Tri.False => Tri.True,
        _ => Tri.Unknown,
    };
}

/// <summary>The operators of the closed set.</summary>
internal enum FactOperator
{
    Eq,
    Ne,
    In,
    NotIn,
    Contains,
    True,
    False,
    Gt,
    Gte,
    Lt,
    Lte,
    Known,
    Unknown,
}

/// <summary>A test of one fact against a literal or a parameter (already resolved at load time).</summary>
internal sealed record FactCondition(string Fact, FactOperator Operator, ImmutableArray<FactValue> Operands) : Condition
{
    public override Tri Evaluate(IReadOnlyDictionary<string, FactValue> facts)
    {
        var value = facts.TryGetValue(Fact, out var found) ? found : FactValue.Unknown;
        switch (Operator)
        {
            case FactOperator.Known:
                return value.IsKnown ? Tri.True : Tri.False;
            case FactOperator.Unknown:
                return value.IsKnown ? Tri.False : Tri.True;
        }

        if (!value.IsKnown)
        {
            return Tri.Unknown;
        }

        return Operator switch
        {
            FactOperator.True => From(value.Kind == FactKind.Boolean && value.Boolean),
            FactOperator.False => From(value.Kind == FactKind.Boolean && !value.Boolean),
            FactOperator.Eq => From(Operands.Any(o => Same(value, o))),
            FactOperator.Ne => From(!Operands.Any(o => Same(value, o))),
            FactOperator.In => From(Operands.Any(o => Same(value, o))),
            FactOperator.NotIn => From(!Operands.Any(o => Same(value, o))),
            FactOperator.Contains => From(Operands.Any(o => Contains(value, o))),
            FactOperator.Gt => From(value.Number > Operands[0].Number),
            FactOperator.Gte => From(value.Number >= Operands[0].Number),
            FactOperator.Lt => From(value.Number < Operands[0].Number),
            FactOperator.Lte => From(value.Number <= Operands[0].Number),
            _ => Tri.Unknown,
        };
    }

    private static Tri From(bool value) => value ? Tri.True : Tri.False;

    private static bool Same(FactValue value, FactValue operand) => value.Kind switch
    {
        FactKind.Text => operand.Kind == FactKind.Text && string.Equals(value.Text, operand.Text, StringComparison.OrdinalIgnoreCase),
        FactKind.Number => operand.Kind == FactKind.Number && value.Number.Equals(operand.Number),
        FactKind.Boolean => operand.Kind == FactKind.Boolean && value.Boolean == operand.Boolean,
        _ => false,
    };

    private static bool Contains(FactValue value, FactValue operand) => value.Kind switch
    {
        FactKind.List => value.List.Any(item => string.Equals(item, operand.Text, StringComparison.OrdinalIgnoreCase)),
        FactKind.Text => operand.Text is not null && value.Text is not null && value.Text.Contains(operand.Text, StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
