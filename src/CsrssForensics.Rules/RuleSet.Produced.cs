using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Rules.Model;

namespace CsrssForensics.Rules;

/// <summary>Findings the analysis code emits (launchers, host context): the code decides, the rules data words.</summary>
public sealed partial class RuleSet
{
    /// <summary>Every finding code of the rules data with who emits it, in document order.</summary>
    public IReadOnlyList<FindingDefinition> FindingDefinitions => _findingDefinitions.Value;

    /// <summary>
    /// Builds a produced finding: severity, title and detail come from the entry for <paramref name="code"/> (or its
    /// <paramref name="variant"/>), with the placeholders filled from <paramref name="parameters"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The code or variant is not in the rules data (a bug, or an override
    /// that <see cref="RequireProducedFindings"/> would have rejected).</exception>
    public Finding Produce(
        string code, string? variant, ImmutableArray<EvidenceRef> evidence, params ReadOnlySpan<(string Name, string? Value)> parameters)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (!_findingsByCode.TryGetValue(code, out var rule))
        {
            throw new InvalidOperationException($"Finding {code} is not defined in the rules data.");
        }

        var (severity, title, detail) = (rule.Severity, rule.Title, rule.Detail);
        if (variant is not null)
        {
            if (!rule.Variants.TryGetValue(variant, out var wording))
            {
                throw new InvalidOperationException($"Finding {code} has no variant '{variant}' in the rules data.");
            }

            (severity, title, detail) = (wording.Severity, wording.Title, wording.Detail);
        }

        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
        {
            values[name] = value;
        }

        return new Finding(code, severity, title, FindingTemplate.Fill(detail, name => (values.TryGetValue(name, out var v), v)), evidence);
    }

    /// <summary>
    /// Checks that every code (and variant) the analysis code emits is defined, so an override written for an older
    /// release fails at load with a list rather than in the middle of an analysis.
    /// </summary>
    /// <exception cref="RuleSetException">Codes or variants are missing; every one is listed.</exception>
    public void RequireProducedFindings(IEnumerable<(string Code, FindingProducer Producer, IReadOnlyList<string> Variants)> produced)
    {
        ArgumentNullException.ThrowIfNull(produced);
        var errors = new List<string>();
        foreach (var (code, producer, variants) in produced)
        {
            if (!_findingsByCode.TryGetValue(code, out var rule))
            {
                errors.Add($"/findings: finding {code} is emitted by the {producer} checks but is not defined");
                continue;
            }

            if (rule.Producer != producer)
            {
                errors.Add($"/findings: finding {code} is emitted by the {producer} checks but its producer is {rule.Producer}");
            }

            errors.AddRange(variants.Where(v => !rule.Variants.ContainsKey(v)).Select(v => $"/findings: finding {code} has no variant '{v}'"));
        }

        if (errors.Count > 0)
        {
            throw new RuleSetException(errors);
        }
    }

    private static IReadOnlyList<FindingDefinition> Define(IReadOnlyList<FindingRule> findings, IEnumerable<LeafNode> leaves)
    {
        var named = leaves.SelectMany(l => l.Findings).ToHashSet(StringComparer.Ordinal);
        return [.. findings.Select(f => new FindingDefinition(
            f.Code, f.Producer, [.. f.Variants.Keys.Order(StringComparer.Ordinal)], f.When is not null, named.Contains(f.Code), f.UserExtension))];
    }
}
