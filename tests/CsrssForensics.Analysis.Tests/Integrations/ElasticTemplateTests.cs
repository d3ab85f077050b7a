using System.Text.Json;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Analysis.Tests.Integrations;

/// <summary>integrations/elastic: the index template maps every field of the ECS event schema, with a compatible type.</summary>
public sealed class ElasticTemplateTests
{
    private static readonly Dictionary<string, string[]> _compatible = new(StringComparer.Ordinal)
    {
        ["string"] = ["keyword", "wildcard", "text", "match_only_text", "constant_keyword"],
        ["date-time"] = ["date", "date_nanos"],
        ["integer"] = ["long", "integer"],
        ["boolean"] = ["boolean"],
    };

    [Fact]
    public void Template_and_schema_have_the_same_fields_with_compatible_types()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ecs-event.schema.json")));
        using var template = JsonDocument.Parse(File.ReadAllText(TestEnvironment.PathOf("integrations", "elastic", "csrss-forensics-template.json")));
        var schemaFields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        SchemaLeaves(schema.RootElement, string.Empty, schemaFields);
        var mappings = template.RootElement.GetProperty("template").GetProperty("mappings");
        var templateFields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        MappingLeaves(mappings.GetProperty("properties"), string.Empty, templateFields);

        Assert.Equal(schemaFields.Keys, templateFields.Keys);
        Assert.All(schemaFields, field =>
            Assert.True(
                _compatible[field.Value].Contains(templateFields[field.Key]),
                $"{field.Key}: schema {field.Value}, template {templateFields[field.Key]}"));
        Assert.Contains("csrss-forensics-*", template.RootElement.GetProperty("index_patterns").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("date", templateFields["@timestamp"]);
    }

    // A leaf's JSON type; arrays take their items' type (Elasticsearch maps an array as its element type).
    private static void SchemaLeaves(JsonElement node, string path, SortedDictionary<string, string> leaves)
    {
        if (node.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                SchemaLeaves(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", leaves);
            }

            return;
        }

        if (node.TryGetProperty("items", out var items))
        {
            SchemaLeaves(items, path, leaves);
            return;
        }

        leaves[path] = node.TryGetProperty("format", out var format) && format.GetString() == "date-time" ? "date-time"
            : node.TryGetProperty("type", out var type) ? type.GetString()!
            : node.TryGetProperty("enum", out var values) && values[0].ValueKind == JsonValueKind.Number ? "integer"
            : "string";
    }

    private static void MappingLeaves(JsonElement properties, string path, SortedDictionary<string, string> leaves)
    {
        foreach (var property in properties.EnumerateObject())
        {
            var name = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            if (property.Value.TryGetProperty("properties", out var inner))
            {
                MappingLeaves(inner, name, leaves);
            }
            else
            {
                leaves[name] = property.Value.GetProperty("type").GetString()!;
            }
        }
    }
}
