using System.Text.Json.Serialization;

namespace CsrssForensics.Bundle.Parsing;

// Wire shapes of the JSON parts, as in docs/bundle-format.md and schemas/*.schema.json. Everything is nullable:
// presence and meaning are checked when these are turned into Core records, where each problem becomes an anomaly.

internal sealed class ManifestDocument
{
    public string? Format { get; set; }

    public string? FormatVersion { get; set; }

    public CollectorDocument? Collector { get; set; }

    public string? CollectedAtUtc { get; set; }

    public string? Operator { get; set; }

    public string? Hostname { get; set; }

    public List<ManifestFileDocument?>? Files { get; set; }

    public List<CollectionErrorDocument?>? Errors { get; set; }
}

internal sealed class CollectorDocument
{
    public string? Name { get; set; }

    public string? Version { get; set; }
}

internal sealed class ManifestFileDocument
{
    public string? Path { get; set; }

    public long? Size { get; set; }

    public string? Sha256 { get; set; }
}

internal sealed class CollectionErrorDocument
{
    public string? Item { get; set; }

    public string? Message { get; set; }
}

internal sealed class HostDocument
{
    public string? Hostname { get; set; }

    public string? OsVersion { get; set; }

    public string? OsBuild { get; set; }

    public string? TimeZone { get; set; }

    public string? BootTimeUtc { get; set; }

    public string? SystemRoot { get; set; }

    public string? SubSystemsWindows { get; set; }

    public List<SessionDocument?>? Sessions { get; set; }
}

internal sealed class SessionDocument
{
    public int? Id { get; set; }

    public string? User { get; set; }

    public string? State { get; set; }
}

internal sealed class AutorunsDocument
{
    public List<AutorunDocument?>? Entries { get; set; }
}

internal sealed class AutorunDocument
{
    public string? Kind { get; set; }

    public string? Location { get; set; }

    public string? Name { get; set; }

    public string? Command { get; set; }

    public string? User { get; set; }
}

/// <summary>Source-generated (reflection-free, trim-safe) serializer metadata for the bundle's JSON parts.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    AllowDuplicateProperties = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    AllowTrailingCommas = false,
    MaxDepth = 32)]
[JsonSerializable(typeof(ManifestDocument))]
[JsonSerializable(typeof(HostDocument))]
[JsonSerializable(typeof(AutorunsDocument))]
internal sealed partial class BundleJsonContext : JsonSerializerContext;
