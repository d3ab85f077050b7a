using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using CsrssForensics.Bundle.Sources;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle.Parsing;

/// <summary>Reads <c>manifest.json</c> and checks every entry against it before anything else is parsed.</summary>
internal static class ManifestReader
{
    public const string ManifestEntry = "manifest.json";
    public const string ExpectedFormat = "csrss-forensics-bundle";

    /// <summary>Parses the manifest and verifies the bundle; adds findings and anomalies.</summary>
    public static (BundleManifest? Manifest, IntegrityStatus Status) Verify(
        BundleSource source,
        IAnomalySink sink,
        List<IntegrityFinding> findings)
    {
        var evidence = new EvidenceRef(ManifestEntry);
        if (!source.Contains(ManifestEntry))
        {
            var refused = findings.Exists(f => f.Path == ManifestEntry);
            sink.Report(new Anomaly(BundleAnomalyCodes.ManifestMissing, AnomalySeverity.High,
                "The bundle has no usable manifest.json; nothing in it can be verified.", evidence));
            if (!refused)
            {
                findings.Add(new IntegrityFinding(IntegrityProblem.Missing, ManifestEntry,
                    "manifest.json is absent: the bundle is unverified.", evidence));
            }

            return (null, IntegrityStatus.Unverified);
        }

        var bytes = source.TryReadAllBytes(ManifestEntry, sink);
        ManifestDocument? document = null;
        string? error = bytes is null ? "it could not be read" : null;
        if (bytes is not null)
        {
            try
            {
                document = JsonSerializer.Deserialize(bytes, BundleJsonContext.Default.ManifestDocument);
                error = document is null ? "it is JSON null" : null;
            }
            catch (JsonException exception)
            {
                error = exception.Message;
            }
        }

        if (document is null)
        {
            sink.Report(new Anomaly(BundleAnomalyCodes.ManifestMalformed, AnomalySeverity.High,
                $"manifest.json is unusable: {error}", evidence));
            findings.Add(new IntegrityFinding(IntegrityProblem.ManifestUnreadable, ManifestEntry,
                $"manifest.json is unusable ({error}): the bundle is unverified.", evidence));
            return (null, IntegrityStatus.Unverified);
        }

        var manifest = ToManifest(document, sink, findings);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        // Asked once per missing file: a scan of the findings each time made 200,000 missing records quadratic.
        var refusedPaths = findings.Where(f => f.Problem == IntegrityProblem.Refused).Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in manifest.Files)
        {
            listed.Add(file.Path);
            Check(source, file, sink, findings, refusedPaths, hash);
        }

        foreach (var entry in source.Entries)
        {
            if (entry != ManifestEntry && !listed.Contains(entry))
            {
                findings.Add(new IntegrityFinding(IntegrityProblem.Extra, entry,
                    $"'{entry}' is in the bundle but not in the manifest.", new EvidenceRef(entry)));
            }
        }

        return (manifest, findings.Count == 0 ? IntegrityStatus.Verified : IntegrityStatus.Failed);
    }

    private static void Check(BundleSource source, ManifestFile file, IAnomalySink sink, List<IntegrityFinding> findings, HashSet<string> refused, IncrementalHash hash)
    {
        var evidence = new EvidenceRef(file.Path);
        if (!source.Contains(file.Path))
        {
            // A refused entry already has its finding; saying "missing" as well would mislead.
            if (!refused.Contains(file.Path))
            {
                findings.Add(new IntegrityFinding(IntegrityProblem.Missing, file.Path,
                    $"'{file.Path}' is listed in the manifest but absent from the bundle.", evidence));
            }

            return;
        }

        var length = source.LengthOf(file.Path);
        if (length != file.Size)
        {
            findings.Add(new IntegrityFinding(IntegrityProblem.Changed, file.Path,
                $"'{file.Path}' is {length} bytes; the manifest says {file.Size}.", evidence));
            return;
        }

        // Task files are parsed right after this check: their checked bytes are kept rather than read again.
        var result = file.Path.StartsWith(TaskXmlReader.Folder, StringComparison.Ordinal)
            ? source.ReadKeeping(file.Path, length, hash.AppendData)
            : source.Read(file.Path, length, (chunk, _) => hash.AppendData(chunk));
        if (!BundleSource.Report(result, file.Path, length, sink))
        {
            hash.GetHashAndReset();
            findings.Add(new IntegrityFinding(IntegrityProblem.Refused, file.Path,
                $"'{file.Path}' could not be read completely to check its hash.", evidence));
            return;
        }

        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (!string.Equals(actual, file.Sha256, StringComparison.Ordinal))
        {
            findings.Add(new IntegrityFinding(IntegrityProblem.Changed, file.Path,
                $"SHA-256 of '{file.Path}' is {actual}; the manifest says {file.Sha256}.", evidence));
        }
    }

    private static BundleManifest ToManifest(ManifestDocument document, IAnomalySink sink, List<IntegrityFinding> findings)
    {
        var evidence = new EvidenceRef(ManifestEntry);
        var format = document.Format ?? string.Empty;
        var version = document.FormatVersion ?? string.Empty;
        if (format != ExpectedFormat || !(version == "1" || version.StartsWith("1.", StringComparison.Ordinal)))
        {
            sink.Report(new Anomaly(BundleAnomalyCodes.ManifestUnknownFormat, AnomalySeverity.Medium,
                $"manifest.json names format '{format}' version '{version}'; this reader knows '{ExpectedFormat}' 1.x. Reading on.",
                evidence));
        }

        DateTimeOffset? collectedAt = null;
        if (BundleText.TryParseTime(document.CollectedAtUtc, out var time))
        {
            collectedAt = time;
        }
        else if (document.CollectedAtUtc is not null)
        {
            sink.Report(new Anomaly(BundleAnomalyCodes.JsonBadValue, AnomalySeverity.Low,
                $"manifest.json collectedAtUtc '{document.CollectedAtUtc}' is not an ISO 8601 time.", evidence with { Detail = "collectedAtUtc" }));
        }

        var files = ImmutableArray.CreateBuilder<ManifestFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var records = document.Files ?? [];
        for (var index = 0; index < records.Count; index++)
        {
            var record = records[index];
            var at = evidence with { Row = index, Detail = "files" };
            var problem = record is null ? "null record"
                : EntryName.Problem(record.Path) is { } nameProblem ? "path: " + nameProblem
                : record.Size is null or < 0 ? "size missing or negative"
                : BundleText.Sha256(record.Sha256) is null ? "sha256 is not 64 hexadecimal digits"
                : !seen.Add(record.Path!) ? "path listed twice"
                : null;
            if (problem is not null)
            {
                var path = EntryName.Printable(record?.Path);
                sink.Report(new Anomaly(BundleAnomalyCodes.ManifestBadRecord, AnomalySeverity.High,
                    $"manifest.json files[{index}] is unusable ({problem}).", at));
                findings.Add(new IntegrityFinding(IntegrityProblem.ManifestUnreadable, path,
                    $"manifest.json files[{index}] ('{path}') is unusable: {problem}.", at));
                continue;
            }

            if (record!.Path == ManifestEntry)
            {
                sink.Report(new Anomaly(BundleAnomalyCodes.ManifestBadRecord, AnomalySeverity.Low,
                    "manifest.json lists itself; a file cannot hold its own hash, so that record is ignored.", at));
                continue;
            }

            files.Add(new ManifestFile(record.Path!, record.Size!.Value, BundleText.Sha256(record.Sha256)!));
        }

        var errors = ImmutableArray.CreateBuilder<string>();
        foreach (var error in document.Errors ?? [])
        {
            if (error is not null)
            {
                errors.Add($"{error.Item}: {error.Message}");
            }
        }

        return new BundleManifest(
            format,
            version,
            document.Collector?.Name,
            document.Collector?.Version,
            collectedAt,
            document.Operator,
            document.Hostname,
            files.ToImmutable(),
            errors.ToImmutable());
    }
}
