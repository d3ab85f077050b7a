using System.Reflection;
using System.Text.Json;
using Json.Schema;

namespace CsrssForensics.Rules.Loading;

/// <summary>Validates a rules document against the embedded <c>schemas/rules.schema.json</c>.</summary>
internal static class SchemaValidator
{
    private const int MaxErrors = 100;

    private static readonly Lazy<JsonSchema> _schema = new(Build);

    /// <summary>The schema errors, each as <c>instance location: message</c>, sorted; empty when valid.</summary>
    public static List<string> Validate(JsonElement document) => Validate(_schema.Value, document, "schemas/rules.schema.json");

    /// <summary>The errors of <paramref name="document"/> against another schema (the overlay's), formatted the same way.</summary>
    internal static List<string> Validate(JsonSchema schema, JsonElement document, string schemaFile)
    {
        var results = schema.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        var errors = new SortedSet<string>(StringComparer.Ordinal);
        if (results.IsValid)
        {
            return [];
        }

        Collect(results, errors, document);
        if (errors.Count == 0)
        {
            errors.Add($"(root): the document does not match {schemaFile}");
        }

        return [.. errors.Take(MaxErrors)];
    }

    /// <summary>The schema text shipped with the assembly (for tools that want to show or export it).</summary>
    public static string SchemaText()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("rules.schema.json")
            ?? throw new InvalidOperationException("The embedded resource rules.schema.json is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    // Only failed branches are walked: a passing subschema (e.g. the matching alternative of a oneOf) can still hold
    // error annotations from its own failed alternatives, and those are not problems of the document.
    private static void Collect(EvaluationResults results, SortedSet<string> errors, JsonElement document)
    {
        // An "if" that does not hold only selects the "else" branch; its failure is not a problem of the document.
        if (results.IsValid || results.EvaluationPath.ToString().EndsWith("/if", StringComparison.Ordinal))
        {
            return;
        }

        if (results.Errors is not null)
        {
            foreach (var (keyword, message) in results.Errors)
            {
                var location = results.InstanceLocation.ToString();
                errors.Add($"{(location.Length == 0 ? "(root)" : location)}: {message}{Found(results, document)} [schema {results.EvaluationPath}/{keyword}]");
            }
        }

        if (results.Details is not null)
        {
            foreach (var detail in results.Details)
            {
                Collect(detail, errors, document);
            }
        }
    }

    // Shows the offending value when it is short and scalar, so "must be one of the enum" says what was written.
    private static string Found(EvaluationResults results, JsonElement document)
    {
        var value = results.InstanceLocation.Evaluate(document);
        if (value is not JsonElement element || element.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            return string.Empty;
        }

        var text = element.GetRawText();
        return text.Length > 80 ? string.Empty : $" (found {text})";
    }

    private static JsonSchema Build() =>
        // A private registry: building the schema must not collide with other schemas registered globally under the same $id.
        JsonSchema.FromText(SchemaText(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
}
