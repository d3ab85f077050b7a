using System.Collections.Immutable;
using System.Text.Json;
using CsrssForensics.Rules.Facts;
using CsrssForensics.Rules.Model;

namespace CsrssForensics.Rules.Loading;

/// <summary>Conditions: reading them and checking each fact's operator, operand types and closed values.</summary>
internal static partial class RuleSetLoader
{
    private sealed partial class Reader
    {
        private Condition ReadCondition(JsonElement element, string at)
        {
            if (element.TryGetProperty("all", out var all))
            {
                return new AllCondition([.. all.EnumerateArray().Select((c, i) => ReadCondition(c, $"{at}/all/{i}"))]);
            }

            if (element.TryGetProperty("any", out var any))
            {
                return new AnyCondition([.. any.EnumerateArray().Select((c, i) => ReadCondition(c, $"{at}/any/{i}"))]);
            }

            if (element.TryGetProperty("not", out var not))
            {
                return new NotCondition(ReadCondition(not, at + "/not"));
            }

            var fact = element.GetProperty("fact").GetString() ?? string.Empty;
            var op = ParseOperator(element.GetProperty("op").GetString() ?? string.Empty);
            var kind = FactNames.Types.TryGetValue(fact, out var k) ? k : FactKind.Unknown;
            var operands = ImmutableArray<FactValue>.Empty;
            if (element.TryGetProperty("param", out var param))
            {
                var name = param.GetString() ?? string.Empty;
                if (!_parameters.TryGetValue(name, out var value))
                {
                    _errors.Add($"{at}/param: parameter '{name}' is not defined in /parameters");
                }
                else
                {
                    operands = value.Kind == FactKind.List ? [.. value.List.Select(FactValue.Of)] : [value];
                }
            }
            else if (element.TryGetProperty("values", out var values))
            {
                operands = [.. values.EnumerateArray().Select(Literal)];
            }
            else if (element.TryGetProperty("value", out var single))
            {
                operands = [Literal(single)];
            }

            CheckTypes(fact, kind, op, operands, at);
            return new FactCondition(fact, op, operands);
        }

        private void CheckTypes(string fact, FactKind kind, FactOperator op, ImmutableArray<FactValue> operands, string at)
        {
            switch (op)
            {
                case FactOperator.True or FactOperator.False when kind != FactKind.Boolean:
                    _errors.Add($"{at}/op: '{Name(op)}' needs a boolean fact, but '{fact}' is {kind}");
                    return;
                case FactOperator.Gt or FactOperator.Gte or FactOperator.Lt or FactOperator.Lte:
                    if (kind != FactKind.Number)
                    {
                        _errors.Add($"{at}/op: '{Name(op)}' needs a number fact, but '{fact}' is {kind}");
                    }
                    else if (operands.Length != 1 || operands[0].Kind != FactKind.Number)
                    {
                        _errors.Add($"{at}: '{Name(op)}' on '{fact}' needs one number to compare with");
                    }

                    return;
                case FactOperator.Contains when kind is not (FactKind.List or FactKind.Text):
                    _errors.Add($"{at}/op: 'contains' needs a list or text fact, but '{fact}' is {kind}");
                    return;
                case FactOperator.Eq or FactOperator.Ne or FactOperator.In or FactOperator.NotIn:
                    if (kind == FactKind.List)
                    {
                        _errors.Add($"{at}/op: '{Name(op)}' cannot test the list fact '{fact}'; use 'contains'");
                        return;
                    }

                    foreach (var operand in operands)
                    {
                        if (operand.Kind != kind)
                        {
                            _errors.Add($"{at}: '{fact}' is {kind} but is compared with {operand.Kind} '{operand.Display}'");
                        }
                        else if (operand.Kind == FactKind.Text)
                        {
                            CheckClosedValue(fact, operand.Text ?? string.Empty, at);
                        }
                    }

                    return;
            }
        }

        private void CheckClosedValue(string fact, string value, string at)
        {
            if (FactNames.ClosedValues.TryGetValue(fact, out var allowed) && !allowed.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                _errors.Add($"{at}: '{value}' is not a value of '{fact}' (one of: {string.Join(", ", allowed)})");
            }
        }
    }
}
