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

// programs.json, browser-extensions.json, defender.json and com.json are read one record at a time (ContextParts): a record of
// the wrong shape is then an anomaly for that record only, and the other records still load.

internal sealed class ProgramDocument
{
    public string? Name { get; set; }

    public string? Version { get; set; }

    public string? Publisher { get; set; }

    public string? InstallDate { get; set; }

    public string? InstallLocation { get; set; }

    public string? UninstallString { get; set; }

    public string? RegistryKey { get; set; }

    public string? User { get; set; }
}

internal sealed class BrowserExtensionDocument
{
    public string? Browser { get; set; }

    public string? User { get; set; }

    public string? Profile { get; set; }

    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Version { get; set; }

    public string? Path { get; set; }

    public List<string?>? Permissions { get; set; }
}

internal sealed class DefenderStatusDocument
{
    public bool? AmServiceEnabled { get; set; }

    public bool? AntivirusEnabled { get; set; }

    public bool? RealTimeProtectionEnabled { get; set; }

    public bool? IsTamperProtected { get; set; }

    public string? AmRunningMode { get; set; }

    public string? AmProductVersion { get; set; }

    public string? AntivirusSignatureVersion { get; set; }

    public string? AntivirusSignatureUpdatedUtc { get; set; }

    public string? QuickScanEndUtc { get; set; }

    public string? FullScanEndUtc { get; set; }
}

internal sealed class DefenderDetectionDocument
{
    public string? DetectionId { get; set; }

    public string? ThreatId { get; set; }

    public string? ThreatName { get; set; }

    public string? ProcessName { get; set; }

    public string? User { get; set; }

    public List<string?>? Resources { get; set; }

    public string? InitialDetectionUtc { get; set; }

    public string? RemediationUtc { get; set; }

    public string? ThreatStatusId { get; set; }

    public bool? ActionSuccess { get; set; }
}

internal sealed class ComRegistrationDocument
{
    public string? ClassId { get; set; }

    public string? Hive { get; set; }

    public string? User { get; set; }

    public string? Key { get; set; }

    public string? Name { get; set; }

    public string? InprocServer32 { get; set; }

    public string? ThreadingModel { get; set; }

    public string? LocalServer32 { get; set; }

    public string? TreatAs { get; set; }
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
[JsonSerializable(typeof(ProgramDocument))]
[JsonSerializable(typeof(BrowserExtensionDocument))]
[JsonSerializable(typeof(DefenderStatusDocument))]
[JsonSerializable(typeof(DefenderDetectionDocument))]
[JsonSerializable(typeof(ComRegistrationDocument))]
internal sealed partial class BundleJsonContext : JsonSerializerContext;
