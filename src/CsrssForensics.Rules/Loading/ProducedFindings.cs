using System.Collections.Frozen;
using System.Text.Json;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Rules.Model;

namespace CsrssForensics.Rules.Loading;

/// <summary>
/// Reads the parts of a finding entry that only code-produced findings use (<c>producer</c>, <c>variants</c>) and
/// checks what the schema cannot: a produced finding fills parameters, not facts, and a tree finding has no variants.
/// </summary>
internal static class ProducedFindings
{
    public static FindingProducer ReadProducer(JsonElement item) =>
        item.TryGetProperty("producer", out var producer)
            ? Enum.Parse<FindingProducer>(producer.GetString() ?? "tree", ignoreCase: true)
            : FindingProducer.Tree;

    public static FrozenDictionary<string, FindingVariant> ReadVariants(
        JsonElement item, string at, AnomalySeverity severity, string title, string detail, FindingProducer producer, List<string> errors)
    {
        CheckTemplate(detail, at + "/detail", producer, errors);
        if (!item.TryGetProperty("variants", out var variants))
        {
            return FrozenDictionary<string, FindingVariant>.Empty;
        }

        if (producer == FindingProducer.Tree)
        {
            errors.Add($"{at}/variants: only a produced finding (producer launchers, hostContext or trust) has variants");
        }

        var result = new Dictionary<string, FindingVariant>(StringComparer.Ordinal);
        foreach (var variant in variants.EnumerateObject())
        {
            var value = variant.Value;
            var variantDetail = value.TryGetProperty("detail", out var d) ? d.GetString() ?? detail : detail;
            CheckTemplate(variantDetail, $"{at}/variants/{variant.Name}/detail", producer, errors);
            result[variant.Name] = new FindingVariant(
                value.TryGetProperty("severity", out var s) ? Enum.Parse<AnomalySeverity>(s.GetString() ?? "Info") : severity,
                value.TryGetProperty("title", out var t) ? t.GetString() ?? title : title,
                variantDetail);
        }

        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }

    // Produced findings have no facts to fill: a {fact.name} placeholder in one would be printed as is.
    private static void CheckTemplate(string template, string at, FindingProducer producer, List<string> errors)
    {
        if (producer == FindingProducer.Tree)
        {
            return;
        }

        foreach (var name in FindingTemplate.Placeholders(template).Where(n => n.Contains('.', StringComparison.Ordinal)))
        {
            errors.Add($"{at}: placeholder {{{name}}} is a fact name; a produced finding fills parameters such as {{target}}");
        }
    }
}
