using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle.Parsing;

/// <summary>host.json and autoruns.json to Core records. A malformed file is an anomaly and the part is missing.</summary>
internal static class JsonParts
{
    public const string HostEntry = "host.json";
    public const string AutorunsEntry = "autoruns.json";

    public static HostFacts? ReadHost(byte[] bytes, IAnomalySink sink)
    {
        var document = Deserialize(HostEntry, bytes, BundleJsonContext.Default.HostDocument, sink);
        if (document is null)
        {
            return null;
        }

        DateTimeOffset? boot = null;
        if (BundleText.TryParseTime(document.BootTimeUtc, out var time))
        {
            boot = time;
        }
        else if (document.BootTimeUtc is not null)
        {
            sink.Report(new Anomaly(BundleAnomalyCodes.JsonBadValue, AnomalySeverity.Low,
                $"host.json bootTimeUtc '{Sources.EntryName.Printable(document.BootTimeUtc)}' is not an ISO 8601 time; treated as unknown.",
                new EvidenceRef(HostEntry, Detail: "bootTimeUtc")));
        }

        var sessions = ImmutableArray.CreateBuilder<SessionInfo>();
        var records = document.Sessions ?? [];
        for (var index = 0; index < records.Count; index++)
        {
            var session = records[index];
            if (session?.Id is not int id)
            {
                sink.Report(new Anomaly(BundleAnomalyCodes.JsonBadValue, AnomalySeverity.Low,
                    $"host.json sessions[{index}] has no id; skipped.", new EvidenceRef(HostEntry, index, Detail: "sessions")));
                continue;
            }

            sessions.Add(new SessionInfo(id, session.User, session.State));
        }

        return new HostFacts(
            document.Hostname,
            document.OsVersion,
            document.OsBuild,
            document.TimeZone,
            boot,
            document.SystemRoot,
            document.SubSystemsWindows,
            sessions.ToImmutable(),
            new EvidenceRef(HostEntry));
    }

    public static ImmutableArray<AutorunEntry>? ReadAutoruns(byte[] bytes, IAnomalySink sink)
    {
        var document = Deserialize(AutorunsEntry, bytes, BundleJsonContext.Default.AutorunsDocument, sink);
        if (document is null)
        {
            return null;
        }

        var result = ImmutableArray.CreateBuilder<AutorunEntry>();
        var records = document.Entries ?? [];
        for (var index = 0; index < records.Count; index++)
        {
            var record = records[index];
            var evidence = new EvidenceRef(AutorunsEntry, index);
            if (record is null)
            {
                sink.Report(new Anomaly(BundleAnomalyCodes.JsonBadValue, AnomalySeverity.Low,
                    $"autoruns.json entries[{index}] is null; skipped.", evidence));
                continue;
            }

            if (!Enum.TryParse<AutorunKind>(record.Kind, ignoreCase: false, out var kind) || !Enum.IsDefined(kind) || IsNumeric(record.Kind))
            {
                sink.Report(new Anomaly(BundleAnomalyCodes.JsonBadValue, AnomalySeverity.Low,
                    $"autoruns.json entries[{index}] kind '{Sources.EntryName.Printable(record.Kind)}' is not a known kind; read as Other.", evidence with { Detail = "kind" }));
                kind = AutorunKind.Other;
            }

            if (record.Location is null)
            {
                sink.Report(new Anomaly(BundleAnomalyCodes.JsonBadValue, AnomalySeverity.Low,
                    $"autoruns.json entries[{index}] has no location; kept with an empty one.", evidence with { Detail = "location" }));
            }

            result.Add(new AutorunEntry(kind, record.Location ?? string.Empty, record.Name, record.Command, record.User, evidence));
        }

        return result.ToImmutable();
    }

    private static bool IsNumeric(string? text) => text is { Length: > 0 } && (char.IsAsciiDigit(text[0]) || text[0] is '-' or '+');

    private static T? Deserialize<T>(string entry, byte[] bytes, JsonTypeInfo<T> type, IAnomalySink sink)
        where T : class
    {
        string error;
        try
        {
            var document = JsonSerializer.Deserialize(bytes, type);
            if (document is not null)
            {
                return document;
            }

            error = "the document is JSON null";
        }
        catch (JsonException exception)
        {
            error = exception.Message;
        }

        sink.Report(new Anomaly(BundleAnomalyCodes.JsonMalformed, AnomalySeverity.Medium,
            $"{entry} is malformed ({error}); the part is treated as missing.", new EvidenceRef(entry)));
        return null;
    }
}
