using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle.Parsing;

/// <summary>
/// programs.json, browser-extensions.json, defender.json and com.json to Core records. The file is parsed as a document first
/// and then record by record, so a record of the wrong shape (a number where a string belongs, a duplicate property)
/// costs only that record (BND0203, with its index); only a file that is not JSON, or whose list is not a list, is
/// malformed as a whole (BND0201) and its part treated as missing.
/// </summary>
internal static class ContextParts
{
    public const string ProgramsEntry = "programs.json";
    public const string BrowserExtensionsEntry = "browser-extensions.json";
    public const string DefenderEntry = "defender.json";
    public const string ComEntry = "com.json";

    /// <summary>Records read per list; a real host has a few hundred Uninstall keys, a flooded file is cut here.</summary>
    internal const int MaxRecords = 20_000;

    /// <summary>Strings kept per permissions or resources list.</summary>
    internal const int MaxListItems = 256;

    private static readonly JsonDocumentOptions _documentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 32,
    };

    private static readonly HashSet<string> _hives = new(StringComparer.Ordinal) { "HKLM", "HKU" };

    private static readonly HashSet<string> _browsers = new(StringComparer.Ordinal) { "Chrome", "Edge", "Firefox" };

    public static ImmutableArray<InstalledProgram>? ReadPrograms(byte[] bytes, IAnomalySink sink)
    {
        using var document = ParseRoot(ProgramsEntry, bytes, sink);
        if (document is null || !TryGetList(ProgramsEntry, document.RootElement, "programs", sink, out var list))
        {
            return null;
        }

        var result = ImmutableArray.CreateBuilder<InstalledProgram>();
        ForEachRecord(ProgramsEntry, "programs", list, BundleJsonContext.Default.ProgramDocument, sink, (record, evidence) =>
        {
            var index = Index(evidence);
            if (record.RegistryKey is null)
            {
                Bad(sink, evidence with { Detail = "registryKey" }, $"programs.json programs[{index}] has no registryKey; kept with an empty one.");
            }

            DateOnly? installDate = null;
            if (DateOnly.TryParseExact(record.InstallDate?.Trim(), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                installDate = date;
            }
            else if (!string.IsNullOrWhiteSpace(record.InstallDate))
            {
                sink.Report(new Anomaly(BundleAnomalyCodes.JsonBadValue, AnomalySeverity.Info,
                    $"programs.json programs[{index}] installDate '{Sources.EntryName.Printable(record.InstallDate)}' is not yyyyMMdd; kept as text, not used for dating.",
                    evidence with { Detail = "installDate" }));
            }

            result.Add(new InstalledProgram(
                record.Name, record.Version, record.Publisher, record.InstallDate, installDate, record.InstallLocation,
                record.UninstallString, record.RegistryKey ?? string.Empty, record.User, evidence));
        });
        return result.ToImmutable();
    }

    public static ImmutableArray<BrowserExtension>? ReadBrowserExtensions(byte[] bytes, IAnomalySink sink)
    {
        using var document = ParseRoot(BrowserExtensionsEntry, bytes, sink);
        if (document is null || !TryGetList(BrowserExtensionsEntry, document.RootElement, "extensions", sink, out var list))
        {
            return null;
        }

        var result = ImmutableArray.CreateBuilder<BrowserExtension>();
        ForEachRecord(BrowserExtensionsEntry, "extensions", list, BundleJsonContext.Default.BrowserExtensionDocument, sink, (record, evidence) =>
        {
            var index = Index(evidence);
            if (record.Browser is null || !_browsers.Contains(record.Browser))
            {
                Bad(sink, evidence with { Detail = "browser" },
                    $"browser-extensions.json extensions[{index}] browser '{Sources.EntryName.Printable(record.Browser)}' is not Chrome, Edge or Firefox; kept as written.");
            }

            if (record.Id is null)
            {
                Bad(sink, evidence with { Detail = "id" }, $"browser-extensions.json extensions[{index}] has no id; kept with an empty one.");
            }

            var permissions = Strings(BrowserExtensionsEntry, record.Permissions, $"extensions[{index}] permissions", evidence, sink);
            result.Add(new BrowserExtension(
                record.Browser ?? string.Empty, record.User, record.Profile, record.Id ?? string.Empty, record.Name, record.Version, record.Path,
                permissions, evidence));
        });
        return result.ToImmutable();
    }

    public static DefenderState? ReadDefender(byte[] bytes, IAnomalySink sink)
    {
        using var document = ParseRoot(DefenderEntry, bytes, sink);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        DefenderStatus? status = null;
        if (root.TryGetProperty("status", out var statusElement) && statusElement.ValueKind != JsonValueKind.Null)
        {
            var evidence = new EvidenceRef(DefenderEntry, Detail: "status");
            if (TryDeserialize(statusElement, BundleJsonContext.Default.DefenderStatusDocument, out var record, out var error))
            {
                status = new DefenderStatus(
                    record.AmServiceEnabled, record.AntivirusEnabled, record.RealTimeProtectionEnabled, record.IsTamperProtected,
                    record.AmRunningMode, record.AmProductVersion, record.AntivirusSignatureVersion,
                    Time(record.AntivirusSignatureUpdatedUtc, "status antivirusSignatureUpdatedUtc", evidence, sink),
                    Time(record.QuickScanEndUtc, "status quickScanEndUtc", evidence, sink),
                    Time(record.FullScanEndUtc, "status fullScanEndUtc", evidence, sink),
                    evidence);
            }
            else
            {
                sink.Report(new Anomaly(BundleAnomalyCodes.JsonBadRecord, AnomalySeverity.Low,
                    $"defender.json status is not an object of the documented shape ({error}); Defender status treated as not reported.", evidence));
            }
        }

        if (!TryGetList(DefenderEntry, root, "detections", sink, out var list))
        {
            return null;
        }

        var detections = ImmutableArray.CreateBuilder<DefenderDetection>();
        ForEachRecord(DefenderEntry, "detections", list, BundleJsonContext.Default.DefenderDetectionDocument, sink, (record, evidence) =>
        {
            var index = Index(evidence);
            detections.Add(new DefenderDetection(
                record.DetectionId, record.ThreatId, record.ThreatName, record.ProcessName, record.User,
                Strings(DefenderEntry, record.Resources, $"detections[{index}] resources", evidence, sink),
                Time(record.InitialDetectionUtc, $"detections[{index}] initialDetectionUtc", evidence, sink),
                Time(record.RemediationUtc, $"detections[{index}] remediationUtc", evidence, sink),
                record.ThreatStatusId, record.ActionSuccess, evidence));
        });
        return new DefenderState(status, detections.ToImmutable());
    }

    public static ImmutableArray<ComRegistration>? ReadComRegistrations(byte[] bytes, IAnomalySink sink)
    {
        using var document = ParseRoot(ComEntry, bytes, sink);
        if (document is null || !TryGetList(ComEntry, document.RootElement, "registrations", sink, out var list))
        {
            return null;
        }

        var result = ImmutableArray.CreateBuilder<ComRegistration>();
        ForEachRecord(ComEntry, "registrations", list, BundleJsonContext.Default.ComRegistrationDocument, sink, (record, evidence) =>
        {
            var index = Index(evidence);
            if (string.IsNullOrWhiteSpace(record.ClassId))
            {
                // Without the class id nothing can ask for this registration: it is as good as absent.
                sink.Report(new Anomaly(BundleAnomalyCodes.JsonBadRecord, AnomalySeverity.Low,
                    $"com.json registrations[{index.ToString(CultureInfo.InvariantCulture)}] has no classId; skipped, the other records are kept.",
                    evidence with { Detail = "classId" }));
                return;
            }

            var hive = record.Hive ?? string.Empty;
            if (!_hives.Contains(hive))
            {
                Bad(sink, evidence with { Detail = "hive" },
                    $"com.json registrations[{index}] hive '{Sources.EntryName.Printable(record.Hive)}' is not HKLM or HKU; kept as written.");
            }

            if (string.IsNullOrWhiteSpace(record.Key))
            {
                Bad(sink, evidence with { Detail = "key" }, $"com.json registrations[{index}] has no key; kept with an empty one.");
            }

            result.Add(new ComRegistration(
                record.ClassId.Trim(), hive, record.User, record.Key ?? string.Empty, record.Name, record.InprocServer32,
                record.ThreadingModel, record.LocalServer32, record.TreatAs, evidence));
        });
        return result.ToImmutable();
    }

    private static int Index(EvidenceRef evidence) => evidence.Row ?? -1;

    private static void Bad(IAnomalySink sink, EvidenceRef evidence, string message) =>
        sink.Report(new Anomaly(BundleAnomalyCodes.JsonBadValue, AnomalySeverity.Low, message, evidence));

    /// <summary>
    /// The document, when it is JSON whose root is an object without repeated property names. Duplicates inside a
    /// record are left to the record's own deserialization, so they cost that record only.
    /// </summary>
    private static JsonDocument? ParseRoot(string entry, byte[] bytes, IAnomalySink sink)
    {
        string error;
        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(Utf8Repair.Repaired(entry, bytes, sink), _documentOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = $"the root is {document.RootElement.ValueKind}, not an object";
            }
            else if (FirstDuplicate(document.RootElement) is { } duplicate)
            {
                error = $"the property '{Sources.EntryName.Printable(duplicate)}' appears twice";
            }
            else
            {
                return document;
            }
        }
        catch (JsonException exception)
        {
            error = exception.Message;
        }

        document?.Dispose();
        sink.Report(new Anomaly(BundleAnomalyCodes.JsonMalformed, AnomalySeverity.Medium,
            $"{entry} is malformed ({error}); the part is treated as missing.", new EvidenceRef(entry)));
        return null;
    }

    private static string? FirstDuplicate(JsonElement root)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!names.Add(property.Name))
            {
                return property.Name;
            }
        }

        return null;
    }

    /// <summary>The named array; absent or null reads as empty, anything else is a malformed file.</summary>
    private static bool TryGetList(string entry, JsonElement root, string name, IAnomalySink sink, out JsonElement list)
    {
        list = default;
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind == JsonValueKind.Array)
        {
            list = value;
            return true;
        }

        sink.Report(new Anomaly(BundleAnomalyCodes.JsonMalformed, AnomalySeverity.Medium,
            $"{entry} '{name}' is {value.ValueKind}, not an array; the part is treated as missing.", new EvidenceRef(entry, Detail: name)));
        return false;
    }

    private static void ForEachRecord<T>(
        string entry,
        string listName,
        JsonElement list,
        JsonTypeInfo<T> type,
        IAnomalySink sink,
        Action<T, EvidenceRef> add)
        where T : class
    {
        if (list.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var index = 0;
        foreach (var element in list.EnumerateArray())
        {
            var evidence = new EvidenceRef(entry, index);
            if (index >= MaxRecords)
            {
                sink.Report(new Anomaly(BundleAnomalyCodes.JsonTooManyRecords, AnomalySeverity.Medium,
                    $"{entry} '{listName}' has {list.GetArrayLength().ToString(CultureInfo.InvariantCulture)} records; only the first {MaxRecords.ToString(CultureInfo.InvariantCulture)} are read.",
                    evidence));
                return;
            }

            if (TryDeserialize(element, type, out var record, out var error))
            {
                add(record, evidence);
            }
            else
            {
                sink.Report(new Anomaly(BundleAnomalyCodes.JsonBadRecord, AnomalySeverity.Low,
                    $"{entry} {listName}[{index.ToString(CultureInfo.InvariantCulture)}] is not a record of the documented shape ({error}); skipped, the other records are kept.",
                    evidence));
            }

            index++;
        }
    }

    private static bool TryDeserialize<T>(JsonElement element, JsonTypeInfo<T> type, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? record, out string error)
        where T : class
    {
        record = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"{element.ValueKind}, not an object";
            return false;
        }

        try
        {
            record = element.Deserialize(type);
            error = record is null ? "null" : string.Empty;
            return record is not null;
        }
        catch (JsonException exception)
        {
            error = exception.Message;
            return false;
        }
    }

    private static ImmutableArray<string> Strings(string entry, List<string?>? items, string what, EvidenceRef evidence, IAnomalySink sink)
    {
        if (items is null)
        {
            return [];
        }

        if (items.Count > MaxListItems)
        {
            sink.Report(new Anomaly(BundleAnomalyCodes.JsonTooManyRecords, AnomalySeverity.Low,
                $"{entry} {what} has {items.Count.ToString(CultureInfo.InvariantCulture)} items; only the first {MaxListItems.ToString(CultureInfo.InvariantCulture)} are kept.",
                evidence));
        }

        return [.. items.Take(MaxListItems).OfType<string>()];
    }

    private static DateTimeOffset? Time(string? text, string what, EvidenceRef evidence, IAnomalySink sink)
    {
        if (BundleText.TryParseTime(text, out var time))
        {
            return time;
        }

        if (!string.IsNullOrWhiteSpace(text))
        {
            sink.Report(new Anomaly(BundleAnomalyCodes.JsonBadValue, AnomalySeverity.Low,
                $"{evidence.BundleFile} {what} '{Sources.EntryName.Printable(text)}' is not an ISO 8601 time; treated as unknown.", evidence));
        }

        return null;
    }
}
