using System.Text.Json;
using CsrssForensics.Bundle.Tests.Support;
using CsrssForensics.Tests.Shared;
using Json.Schema;

namespace CsrssForensics.Bundle.Tests;

/// <summary>The JSON Schemas in schemas/ accept what collectors write and reject the hostile shapes the reader refuses.</summary>
public sealed class SchemaTests
{
    private static string RepoFolder() => TestEnvironment.RepositoryRoot;

    private static JsonSchema Schema(string name) =>
        JsonSchema.FromText(
            File.ReadAllText(Path.Combine(RepoFolder(), "schemas", name)),
            new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    private static bool IsValid(string schema, string json)
    {
        using var document = JsonDocument.Parse(json);
        return Schema(schema).Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List }).IsValid;
    }

    public static TheoryData<string, string> FixtureParts()
    {
        var data = new TheoryData<string, string>();
        var parts = new Dictionary<string, string>
        {
            ["manifest.json"] = "manifest.schema.json",
            ["host.json"] = "host.schema.json",
            ["autoruns.json"] = "autoruns.schema.json",
            ["programs.json"] = "programs.schema.json",
            ["browser-extensions.json"] = "browser-extensions.schema.json",
            ["defender.json"] = "defender.schema.json",
            ["com.json"] = "com.schema.json",
        };
        foreach (var folder in Directory.EnumerateDirectories(Path.Combine(RepoFolder(), "fixtures", "bundles")).Order(StringComparer.Ordinal))
        {
            foreach (var (part, schema) in parts)
            {
                if (File.Exists(Path.Combine(folder, part)))
                {
                    data.Add(Path.GetFileName(folder) + "/" + part, schema);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FixtureParts))]
    public void Committed_fixture_parts_match_their_schema(string part, string schema)
    {
        var json = File.ReadAllText(Path.Combine(RepoFolder(), "fixtures", "bundles", part));

        Assert.True(IsValid(schema, json), $"{part} does not match {schema}");
    }

    [Fact]
    public void Sample_parts_and_sealer_manifest_match_their_schemas()
    {
        using var bundle = SampleParts.FullBundle();

        Assert.True(IsValid("manifest.schema.json", File.ReadAllText(bundle.PathOf("manifest.json"))));
        Assert.True(IsValid("host.schema.json", SampleParts.HostJson));
        Assert.True(IsValid("autoruns.schema.json", SampleParts.AutorunsJson));
        Assert.True(IsValid("com.schema.json", SampleParts.ComJson));
    }

    [Theory]
    [InlineData("../evil.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("a/./b")]
    [InlineData("a//b")]
    [InlineData("C:x")]
    [InlineData("tasks\\\\x.xml")]
    [InlineData("")]
    public void Manifest_schema_rejects_entry_names_the_reader_refuses(string path)
    {
        var json = $$"""
            { "format": "csrss-forensics-bundle", "formatVersion": "1.0",
              "files": [ { "path": "{{path}}", "size": 1, "sha256": "{{new string('a', 64)}}" } ] }
            """;

        Assert.False(IsValid("manifest.schema.json", json));
    }

    [Theory]
    [InlineData("""{ "format": "other", "formatVersion": "1.0", "files": [] }""")]
    [InlineData("""{ "format": "csrss-forensics-bundle", "formatVersion": "2.0", "files": [] }""")]
    [InlineData("""{ "format": "csrss-forensics-bundle", "formatVersion": "1.0", "files": [ { "path": "a", "size": -1, "sha256": "00" } ] }""")]
    [InlineData("""{ "format": "csrss-forensics-bundle", "formatVersion": "1.0", "collectedAtUtc": "2026-11-20 08:15", "files": [] }""")]
    [InlineData("""{ "format": "csrss-forensics-bundle", "formatVersion": "1.0" }""")]
    public void Manifest_schema_rejects_bad_manifests(string json)
    {
        Assert.False(IsValid("manifest.schema.json", json));
    }

    [Theory]
    [InlineData("autoruns.schema.json", """{ "entries": [ { "kind": "Bootkit", "location": "x" } ] }""")]
    [InlineData("autoruns.schema.json", """{ "entries": [ { "kind": "RunKey" } ] }""")]
    [InlineData("host.schema.json", """{ "sessions": [ { "user": "x" } ] }""")]
    [InlineData("host.schema.json", """{ "bootTimeUtc": "yesterday" }""")]
    [InlineData("browser-extensions.schema.json", """{ "extensions": [ { "browser": "Opera", "id": "x" } ] }""")]
    [InlineData("programs.schema.json", """{ "programs": [ { "name": "x" } ] }""")]
    [InlineData("defender.schema.json", """{ "status": { "antivirusEnabled": "yes" } }""")]
    [InlineData("com.schema.json", """{ "registrations": [ { "classId": "{A6BA00FE-40E8-477C-B713-C64A14F28F44}", "hive": "HKCR", "key": "x" } ] }""")]
    [InlineData("com.schema.json", """{ "registrations": [ { "classId": "A6BA00FE-40E8-477C-B713-C64A14F28F44", "hive": "HKLM", "key": "x" } ] }""")]
    [InlineData("com.schema.json", """{ "registrations": [ { "classId": "{A6BA00FE-40E8-477C-B713-C64A14F28F44}", "hive": "HKLM" } ] }""")]
    [InlineData("com.schema.json", """{ }""")]
    public void Part_schemas_reject_bad_records(string schema, string json)
    {
        Assert.False(IsValid(schema, json));
    }
}
