using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using CsrssForensics.Bundle.Sources;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle.Parsing;

/// <summary>processes.csv and files.csv to Core records.</summary>
internal static class CsvParts
{
    public const string ProcessesEntry = "processes.csv";
    public const string FilesEntry = "files.csv";

    /// <summary>processes.csv held in memory (fuzzing, tests); the reader streams it instead.</summary>
    public static ImmutableArray<ProcessRecord>? ReadProcesses(byte[] bytes, IAnomalySink sink) =>
        ReadProcesses(new MemoryStream(bytes, writable: false), sink, new BundleReaderOptions().MaxCsvRows);

    /// <summary>files.csv held in memory (fuzzing, tests); the reader streams it instead.</summary>
    public static ImmutableArray<FileRecord>? ReadFiles(byte[] bytes, IAnomalySink sink) =>
        ReadFiles(new MemoryStream(bytes, writable: false), sink, new BundleReaderOptions().MaxCsvRows);

    /// <summary>Null when the header is unusable (the part is then missing).</summary>
    public static ImmutableArray<ProcessRecord>? ReadProcesses(Stream stream, IAnomalySink sink, int maxRows)
    {
        var rows = ImmutableArray.CreateBuilder<ProcessRecord>();
        var ok = CsvTable.ReadAll(ProcessesEntry, stream, sink, ["pid"], maxRows, table =>
        {
            var pidText = table.Cell("pid");
            if (pidText is null || !BundleText.TryParseInt(pidText, out var pid))
            {
                // The pid is the process's identity; without it the row cannot be linked to anything.
                table.Report(BundleAnomalyCodes.CsvRowSkipped, AnomalySeverity.Medium,
                    $"processes.csv row {Text(table.Row)}: pid '{EntryName.Printable(pidText)}' is not an integer; row skipped.", "pid");
                return;
            }

            var name = table.Cell("name");
            if (name is null)
            {
                table.Report(BundleAnomalyCodes.CsvBadCell, AnomalySeverity.Low,
                    $"processes.csv row {Text(table.Row)}: name is empty; kept with an empty name.", "name");
            }

            rows.Add(new ProcessRecord(
                pid,
                table.Int("parentPid"),
                name ?? string.Empty,
                table.Cell("imagePath"),
                table.Cell("commandLine"),
                table.Time("creationTimeUtc"),
                table.Int("sessionId"),
                table.Cell("user"),
                table.Double("cpuPercent"),
                table.Double("gpuPercent"),
                table.Long("workingSetBytes"),
                new EvidenceRef(ProcessesEntry, table.Row)));
        });

        return ok ? rows.ToImmutable() : null;
    }

    /// <summary>Null when the header is unusable (the part is then missing).</summary>
    public static ImmutableArray<FileRecord>? ReadFiles(Stream stream, IAnomalySink sink, int maxRows)
    {
        var rows = ImmutableArray.CreateBuilder<FileRecord>();
        var signatures = new SignaturePool();
        var ok = CsvTable.ReadAll(FilesEntry, stream, sink, ["path"], maxRows, table =>
        {
            var path = table.Cell("path");
            if (path is null)
            {
                table.Report(BundleAnomalyCodes.CsvRowSkipped, AnomalySeverity.Medium,
                    $"files.csv row {Text(table.Row)}: path is empty; row skipped.", "path");
                return;
            }

            var shaText = table.Cell("sha256");
            var sha256 = BundleText.Sha256(shaText);
            if (shaText is not null && sha256 is null)
            {
                table.Report(BundleAnomalyCodes.CsvBadCell, AnomalySeverity.Low,
                    $"files.csv row {Text(table.Row)}: sha256 '{EntryName.Printable(shaText)}' is not 64 hexadecimal digits; treated as unknown.", "sha256");
            }

            rows.Add(new FileRecord(
                path,
                table.Long("size"),
                sha256,
                table.Time("createdUtc"),
                table.Time("modifiedUtc"),
                signatures.Get(table.Cell("signatureStatus"), table.Cell("signatureType"), table.Cell("signerSubject"), table.Cell("signerThumbprint")),
                table.Cell("catalogPath"),
                BundlePath(table, "catalogBundlePath"),
                BundlePath(table, "bundlePath"),
                table.Cell("reason"),
                table.Cell("zoneIdentifier"),
                new EvidenceRef(FilesEntry, table.Row)));
        });

        return ok ? rows.ToImmutable() : null;
    }

    // A bundle path the collector wrote; a non-normal one ("../x", "/etc/x") is dropped so nothing follows it.
    private static string? BundlePath(CsvTable table, string column)
    {
        var value = table.Cell(column);
        if (value is null)
        {
            return null;
        }

        var problem = EntryName.Problem(value);
        if (problem is null)
        {
            return value;
        }

        table.Report(BundleAnomalyCodes.CsvBadBundlePath, AnomalySeverity.High,
            $"files.csv row {Text(table.Row)}: {column} '{EntryName.Printable(value)}' is not a normal bundle path ({problem}); ignored.", column);
        return null;
    }

    /// <summary>
    /// One <see cref="HostSignature"/> per distinct value: a host's files share a few signers, and every row is kept.
    /// Bounded, so a hostile part with a new signer per row only stops sharing.
    /// </summary>
    private sealed class SignaturePool
    {
        private const int MaxDistinct = 4096;

        // Keyed by the four values (the record's own equality): a row whose signer is known allocates nothing.
        private readonly Dictionary<(string?, string?, string?, string?), HostSignature> _seen = [];

        // The CSV reader hands out one string instance per repeated cell value, so a known signer usually comes back
        // as the very same four strings: found by reference first, without hashing the (long) subject text.
        private readonly Dictionary<(string?, string?, string?, string?), HostSignature> _sameStrings = new(SameStrings.Instance);

        public HostSignature Get(string? status, string? type, string? subject, string? thumbprint)
        {
            var key = (status, type, subject, thumbprint);
            if (_sameStrings.TryGetValue(key, out var known))
            {
                return known;
            }

            if (_seen.TryGetValue(key, out known))
            {
                AddSameStrings(key, known);
                return known;
            }

            var signature = new HostSignature(status, type, subject, thumbprint);
            if (_seen.Count < MaxDistinct)
            {
                _seen.Add(key, signature);
                AddSameStrings(key, signature);
            }

            return signature;
        }

        // Bounded too: cells the reader stopped pooling bring new instances on every row and only miss here.
        private void AddSameStrings((string?, string?, string?, string?) key, HostSignature signature)
        {
            if (_sameStrings.Count < MaxDistinct)
            {
                _sameStrings.TryAdd(key, signature);
            }
        }
    }

    private sealed class SameStrings : IEqualityComparer<(string?, string?, string?, string?)>
    {
        public static readonly SameStrings Instance = new();

        public bool Equals((string?, string?, string?, string?) x, (string?, string?, string?, string?) y) =>
            ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2)
            && ReferenceEquals(x.Item3, y.Item3) && ReferenceEquals(x.Item4, y.Item4);

        public int GetHashCode((string?, string?, string?, string?) key) => HashCode.Combine(
            RuntimeHelpers.GetHashCode(key.Item1), RuntimeHelpers.GetHashCode(key.Item2),
            RuntimeHelpers.GetHashCode(key.Item3), RuntimeHelpers.GetHashCode(key.Item4));
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
