using System.Collections.Immutable;
using CsrssForensics.Bundle.Parsing;
using CsrssForensics.Bundle.Sources;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle;

/// <summary>
/// Opens a bundle (folder or .zip), verifies it against its manifest first, then parses every part into an
/// immutable <see cref="BundleSnapshot"/>. Reads only; never writes anywhere and never changes the evidence.
/// </summary>
public static class BundleReader
{
    private const string BinariesFolder = "binaries/";
    private const string CatalogsFolder = "catalogs/";
    private const string CertStoresFolder = "certstores/";

    /// <summary>
    /// Opens the bundle at <paramref name="path"/>. Problems inside the bundle become integrity findings and
    /// anomalies; a path that is neither a readable folder nor a readable zip throws <see cref="BundleOpenException"/>,
    /// and one that holds no bundle (<see cref="BundleRoot"/>) throws <see cref="NotABundleException"/>. A bundle
    /// inside a single top folder is read as that folder's contents (evidence paths relative to that folder).
    /// </summary>
    public static OpenedBundle Open(string path, BundleReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new BundleReaderOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxEntryBytes, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxTotalBytes, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxEntries, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxCsvRows, nameof(options));
        if (!(options.MaxCompressionRatio >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxCompressionRatio must be at least 1.");
        }

        var source = OpenSource(path, options);
        try
        {
            var folder = BundleRoot.Find(source.Entries) ?? throw NotABundle(path, source);
            if (folder.Length > 0)
            {
                source.EnterFolder(folder);
            }

            return new OpenedBundle(Build(source), source);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    private static BundleSource OpenSource(string path, BundleReaderOptions options)
    {
        if (Directory.Exists(path))
        {
            try
            {
                return new DirectoryBundleSource(path, options);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new BundleOpenException($"The bundle folder '{path}' cannot be read: {exception.Message}", exception);
            }
        }

        if (File.Exists(path))
        {
            return ZipBundleSource.Open(path, options);
        }

        throw new BundleOpenException($"'{path}' does not exist.");
    }

    private static NotABundleException NotABundle(string path, BundleSource source)
    {
        // Refused entries are not looked at; saying so keeps "not a bundle" from hiding a zip of hostile names.
        var refused = source.Refusals.Count == 0
            ? string.Empty
            : $" ({source.Refusals.Count} entries refused, first: {source.Refusals[0].Message.TrimEnd('.')})";
        return new NotABundleException(
            $"'{path}' is not a bundle: {BundleRoot.Expected} at its top or in its single top folder{refused}.");
    }

    private static BundleSnapshot Build(BundleSource source)
    {
        // files.csv, the largest part, is parsed on the second core while everything else is verified and read here.
        // Its anomalies and missing mark are its own and are merged at its place in the sequential order below.
        var filesInParallel = new ParallelPart<ImmutableArray<FileRecord>?>((missing, sink) =>
            ReadStreamedPart(source, CsvParts.FilesEntry, BundlePart.Files, missing, sink, stream => CsvParts.ReadFiles(stream, sink, source.MaxCsvRows)));
        try
        {
            return Build(source, filesInParallel);
        }
        finally
        {
            filesInParallel.Settle();
        }
    }

    private static BundleSnapshot Build(BundleSource source, ParallelPart<ImmutableArray<FileRecord>?> filesInParallel)
    {
        var anomalies = new AnomalyList();
        var findings = new List<IntegrityFinding>(source.Refusals);
        foreach (var anomaly in source.ListingAnomalies)
        {
            anomalies.Report(anomaly);
        }

        var (manifest, status) = ManifestReader.Verify(source, anomalies, findings);
        var missing = new List<BundlePart>();

        var host = ReadPart(source, JsonParts.HostEntry, BundlePart.Host, missing, anomalies, bytes => JsonParts.ReadHost(bytes, anomalies));
        var processes = ReadStreamedPart(source, CsvParts.ProcessesEntry, BundlePart.Processes, missing, anomalies, stream => CsvParts.ReadProcesses(stream, anomalies, source.MaxCsvRows));

        // Everything after files.csv goes to a second list, so the merged order is the order of a sequential read.
        var earlier = anomalies;
        anomalies = new AnomalyList();
        var autoruns = ReadPart(source, JsonParts.AutorunsEntry, BundlePart.Autoruns, missing, anomalies, bytes => JsonParts.ReadAutoruns(bytes, anomalies));
        var programs = ReadPart(source, ContextParts.ProgramsEntry, BundlePart.Programs, missing, anomalies, bytes => ContextParts.ReadPrograms(bytes, anomalies));
        var extensions = ReadPart(source, ContextParts.BrowserExtensionsEntry, BundlePart.BrowserExtensions, missing, anomalies, bytes => ContextParts.ReadBrowserExtensions(bytes, anomalies));
        var defender = ReadPart(source, ContextParts.DefenderEntry, BundlePart.Defender, missing, anomalies, bytes => ContextParts.ReadDefender(bytes, anomalies));
        var com = ReadPart(source, ContextParts.ComEntry, BundlePart.Com, missing, anomalies, bytes => ContextParts.ReadComRegistrations(bytes, anomalies));

        var taskEntries = Under(source, TaskXmlReader.Folder);
        var tasks = ImmutableArray.CreateBuilder<ScheduledTask>();
        foreach (var entry in taskEntries)
        {
            var bytes = source.TryReadAllBytes(entry, anomalies);
            if (bytes is not null && TaskXmlReader.Read(entry, bytes, anomalies) is { } task)
            {
                tasks.Add(task);
            }
        }

        if (taskEntries.IsEmpty)
        {
            Missing(BundlePart.Tasks, missing);
        }

        // Optional (older collectors never wrote it): absent or unreadable leaves the tasks without run times.
        var taskRuns = source.Contains(TaskRunsPart.Entry)
            ? ReadStreamed(source, TaskRunsPart.Entry, anomalies, stream => TaskRunsPart.Read(stream, anomalies, source.MaxCsvRows))
            : null;

        var binaries = Folder(source, BinariesFolder, BundlePart.Binaries, missing);
        var catalogs = Folder(source, CatalogsFolder, BundlePart.Catalogs, missing);
        var certStores = Folder(source, CertStoresFolder, BundlePart.CertStores, missing);

        var files = filesInParallel.Join(missing);
        ImmutableArray<Anomaly> allAnomalies = [.. earlier.Items, .. filesInParallel.Anomalies, .. anomalies.Items];

        var integrity = new IntegrityReport(status, source.BundleSha256, [.. findings]);
        return new BundleSnapshot(
            source.Name,
            manifest,
            integrity,
            host,
            processes ?? [],
            files ?? [],
            TaskRunsPart.Attach(tasks.ToImmutable(), taskRuns),
            autoruns ?? [],
            binaries,
            catalogs,
            certStores,
            [.. missing.Order()],
            allAnomalies)
        {
            Programs = programs ?? [],
            BrowserExtensions = extensions ?? [],
            Defender = defender,
            ComRegistrations = com ?? [],
        };
    }

    private static T? ReadPart<T>(
        BundleSource source,
        string entry,
        BundlePart part,
        List<BundlePart> missing,
        IAnomalySink sink,
        Func<byte[], T?> parse)
    {
        if (!source.Contains(entry))
        {
            Missing(part, missing);
            return default;
        }

        var bytes = source.TryReadAllBytes(entry, sink);
        var value = bytes is null ? default : parse(bytes);
        if (value is null)
        {
            // Unreadable or malformed: the anomaly is already recorded; for the analysis it was not collected.
            missing.Add(part);
        }

        return value;
    }

    /// <summary>
    /// A part parsed row by row from a counted stream (never held whole). The rows count only when the stream gave the
    /// whole, true entry (length and zip CRC-32); otherwise they are dropped as a whole read would have been.
    /// </summary>
    private static T? ReadStreamedPart<T>(
        BundleSource source,
        string entry,
        BundlePart part,
        List<BundlePart> missing,
        IAnomalySink sink,
        Func<Stream, T?> parse)
    {
        if (!source.Contains(entry))
        {
            Missing(part, missing);
            return default;
        }

        var value = ReadStreamed(source, entry, sink, parse);
        if (value is null)
        {
            missing.Add(part);
        }

        return value;
    }

    /// <summary>The parsed rows of a present entry, or default when it is unreadable, malformed or not its true self.</summary>
    private static T? ReadStreamed<T>(BundleSource source, string entry, IAnomalySink sink, Func<Stream, T?> parse)
    {
        using var stream = source.TryOpenCounted(entry, sink);
        var value = default(T);
        if (stream is not null)
        {
            value = parse(stream);
            stream.Drain();
            if (!BundleSource.Report(stream.Result, entry, source.LengthOf(entry), sink))
            {
                value = default;
            }
        }

        return value;
    }

    private static ImmutableArray<string> Folder(BundleSource source, string folder, BundlePart part, List<BundlePart> missing)
    {
        var entries = Under(source, folder);
        if (entries.IsEmpty)
        {
            Missing(part, missing);
        }

        return entries;
    }

    private static ImmutableArray<string> Under(BundleSource source, string folder) =>
        [.. source.Entries.Where(e => e.StartsWith(folder, StringComparison.Ordinal) && e.Length > folder.Length)];

    private static void Missing(BundlePart part, List<BundlePart> missing) => missing.Add(part);
}
