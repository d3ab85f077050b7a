using System.Buffers;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle.Sources;

/// <summary>
/// What the directory and zip sources share: the accepted entries with their known lengths, the refusals made
/// while listing, and capped, counted reading (a length is never trusted; bytes are counted as they come).
/// </summary>
internal abstract class BundleSource : IBundleSource
{
    private const int BufferSize = 81920;

    // Bounds of the bytes kept between the manifest check and parsing (see ReadKeeping).
    private const int MaxKeptEntryBytes = 1024 * 1024;
    private const long MaxKeptBytes = 32L * 1024 * 1024;

    /// <summary>The parts read row by row rather than whole.</summary>
    internal static readonly string[] StreamedParts = ["processes.csv", "files.csv"];

    private readonly SortedDictionary<string, long> _lengths = new(StringComparer.Ordinal);
    private readonly List<IntegrityFinding> _refusals = [];
    private readonly List<Anomaly> _listingAnomalies = [];
    // Locked: after opening, entries are read on more than one thread (the analysis reads catalogs beside the correlation).
    private readonly Dictionary<string, byte[]> _kept = new(StringComparer.Ordinal);
    private long _keptBytes;
    private string[] _entries = [];

    // The single top folder the bundle sits in ("x/"), or empty: entry names leave it out, reads put it back.
    private string _folder = string.Empty;

    protected BundleSource(string name, BundleReaderOptions options)
    {
        Name = name;
        Options = options;
    }

    public string Name { get; private set; }

    public IReadOnlyList<string> Entries => _entries;

    /// <summary>Entries refused while listing; they are not in <see cref="Entries"/>.</summary>
    public IReadOnlyList<IntegrityFinding> Refusals => _refusals;

    /// <summary>Anomalies raised while listing (each also a refusal), reported with the snapshot's own anomalies.</summary>
    public IReadOnlyList<Anomaly> ListingAnomalies => _listingAnomalies;

    /// <summary>SHA-256 of the bundle file (zip), or null (directory).</summary>
    public abstract string? BundleSha256 { get; }

    protected BundleReaderOptions Options { get; }

    /// <summary>The row budget of a CSV part (<see cref="BundleReaderOptions.MaxCsvRows"/>).</summary>
    internal int MaxCsvRows => Options.MaxCsvRows;

    public bool Contains(string entry) => entry is not null && _lengths.ContainsKey(entry);

    public long? EntryLength(string entry) => entry is not null && _lengths.TryGetValue(entry, out var length) ? length : null;

    public byte[]? TryReadAllBytes(string entry, IAnomalySink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var problem = EntryName.Problem(entry);
        if (problem is not null)
        {
            sink.Report(new Anomaly(
                BundleAnomalyCodes.BadEntryName,
                AnomalySeverity.High,
                $"Refused to read '{EntryName.Printable(entry)}': {problem}.",
                new EvidenceRef(EntryName.Printable(entry))));
            return null;
        }

        if (!_lengths.TryGetValue(entry, out var length))
        {
            sink.Report(Missing(entry));
            return null;
        }

        if (length > Options.MaxEntryBytes || length > Array.MaxLength)
        {
            sink.Report(TooLarge(entry, length));
            return null;
        }

        lock (_kept)
        {
            if (_kept.Remove(entry, out var kept))
            {
                _keptBytes -= kept.Length;
                return kept;
            }
        }

        var buffer = new byte[length];
        var result = Read(entry, length, (chunk, offset) => chunk.CopyTo(buffer.AsSpan((int)offset)));
        return Report(result, entry, length, sink) ? buffer : null;
    }

    /// <summary>
    /// Streams the entry through <paramref name="consume"/> as <see cref="Read"/> does and, when it was read whole and
    /// is small, keeps its bytes for the next <see cref="TryReadAllBytes"/> of it. The manifest check hashes thousands
    /// of task files that are parsed right after: each is then read from the bundle once, and parsed from exactly the
    /// bytes whose hash was checked. At most 1 MiB an entry, 32 MiB in all; past that, entries are read twice.
    /// </summary>
    internal ReadResult ReadKeeping(string entry, long length, Action<ReadOnlySpan<byte>> consume)
    {
        if (length > MaxKeptEntryBytes || length > Options.MaxEntryBytes || _keptBytes + length > MaxKeptBytes)
        {
            return Read(entry, length, (chunk, _) => consume(chunk));
        }

        var bytes = new byte[length];
        var result = Read(entry, length, (chunk, offset) =>
        {
            consume(chunk);
            chunk.CopyTo(bytes.AsSpan((int)offset));
        });
        lock (_kept)
        {
            if (result.Status == ReadStatus.Ok && _kept.TryAdd(entry, bytes))
            {
                _keptBytes += length;
            }
        }

        return result;
    }

    private static Anomaly Missing(string entry) =>
        new(BundleAnomalyCodes.EntryMissing, AnomalySeverity.Medium, $"The bundle has no readable entry '{entry}'.", new EvidenceRef(entry));

    /// <summary>
    /// Opens an accepted entry as a counted stream (a part parsed row by row: processes.csv, files.csv), or reports why
    /// not and returns null. Check <see cref="CountedEntryStream.Result"/> once the stream is drained.
    /// </summary>
    internal CountedEntryStream? TryOpenCounted(string entry, IAnomalySink sink)
    {
        if (!_lengths.TryGetValue(entry, out var length))
        {
            sink.Report(Missing(entry));
            return null;
        }

        Stream? stream;
        try
        {
            stream = OpenEntry(_folder + entry);
        }
        catch (Exception exception) when (IsReadFailure(exception))
        {
            Report(new ReadResult(ReadStatus.Unreadable, 0, exception.Message), entry, length, sink);
            return null;
        }

        if (stream is null)
        {
            Report(new ReadResult(ReadStatus.Unreadable, 0, "entry could not be opened"), entry, length, sink);
            return null;
        }

        return new CountedEntryStream(stream, length, ExpectedCrc32(_folder + entry));
    }

    /// <summary>
    /// The size cap of an entry when listing: a part parsed as a stream (<see cref="StreamedParts"/>, at the top or in
    /// the single top folder) may be larger, since it is never held whole; every other entry is read whole.
    /// </summary>
    protected long CapFor(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var last = slash < 0 ? name : name[(slash + 1)..];
        var streamed = StreamedParts.Contains(last, StringComparer.Ordinal) && last.IndexOf('/', StringComparison.Ordinal) < 0;
        return streamed ? Math.Max(Options.MaxEntryBytes, Options.MaxStreamedPartBytes) : Options.MaxEntryBytes;
    }

    /// <summary>Streams the entry through <paramref name="consume"/>, never more than its known length.</summary>
    internal ReadResult Read(string entry, long length, Action<ReadOnlySpan<byte>, long> consume)
    {
        Stream? stream;
        try
        {
            stream = OpenEntry(_folder + entry);
        }
        catch (Exception exception) when (IsReadFailure(exception))
        {
            return new ReadResult(ReadStatus.Unreadable, 0, exception.Message);
        }

        if (stream is null)
        {
            return new ReadResult(ReadStatus.Unreadable, 0, "entry could not be opened");
        }

        // Pooled: a fresh 80 KiB buffer per entry (two reads of each of thousands of task files) was most of the
        // young-generation churn of a large bundle.
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using (stream)
            {
                return Drain(stream, buffer, _folder + entry, length, consume);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private ReadResult Drain(Stream stream, byte[] buffer, string entry, long length, Action<ReadOnlySpan<byte>, long> consume)
    {
        long total = 0;
        var expectedCrc = ExpectedCrc32(entry);
        uint crc = 0;
        try
        {
            while (true)
            {
                // Ask for one byte past the known length so a lying header or a growing file is noticed.
                var want = (int)Math.Min(BufferSize, length - total + 1);
                var read = stream.Read(buffer, 0, want);
                if (read == 0)
                {
                    break;
                }

                if (total + read > length)
                {
                    return new ReadResult(ReadStatus.Longer, total + read, null);
                }

                if (expectedCrc is not null)
                {
                    crc = Crc32.Append(crc, buffer.AsSpan(0, read));
                }

                consume(buffer.AsSpan(0, read), total);
                total += read;
            }
        }
        catch (Exception exception) when (IsReadFailure(exception))
        {
            return new ReadResult(ReadStatus.Unreadable, total, exception.Message);
        }

        if (total != length)
        {
            return new ReadResult(ReadStatus.Shorter, total, null);
        }

        return expectedCrc is null || crc == expectedCrc
            ? new ReadResult(ReadStatus.Ok, total, null)
            : new ReadResult(ReadStatus.CrcMismatch, total, null);
    }

    /// <summary>The known length of an accepted entry.</summary>
    internal long LengthOf(string entry) => _lengths[entry];

    /// <summary>The CRC-32 the container stores for the entry (zip), or null when there is none (folder).</summary>
    protected virtual uint? ExpectedCrc32(string entry) => null;

    /// <summary>Opens one accepted entry for reading; null or an I/O exception when that fails.</summary>
    protected abstract Stream? OpenEntry(string entry);

    protected void Accept(string entry, long length) => _lengths[entry] = length;

    protected void Forget(string entry) => _lengths.Remove(entry);

    protected bool IsAccepted(string entry) => _lengths.ContainsKey(entry);

    protected void Refuse(string rawName, string reason)
    {
        var printable = EntryName.Printable(rawName);
        _refusals.Add(new IntegrityFinding(
            IntegrityProblem.Refused,
            printable,
            $"Entry '{printable}' refused and not read: {reason}.",
            new EvidenceRef(printable)));
    }

    /// <summary>Refuses an entry as <see cref="Refuse(string, string)"/> does and also records an anomaly with a stable code.</summary>
    protected void Refuse(string rawName, string reason, string anomalyCode)
    {
        Refuse(rawName, reason);
        var printable = EntryName.Printable(rawName);
        _listingAnomalies.Add(new Anomaly(
            anomalyCode,
            AnomalySeverity.High,
            $"Entry '{printable}' refused and not read: {reason}.",
            new EvidenceRef(printable)));
    }

    /// <summary>Applies the total-size cap in name order and freezes the entry list.</summary>
    protected void Seal()
    {
        long total = 0;
        foreach (var (entry, length) in _lengths.ToArray())
        {
            total += length;
            if (total > Options.MaxTotalBytes)
            {
                _lengths.Remove(entry);
                Refuse(entry, $"the bundle's entries add up to more than {Options.MaxTotalBytes} bytes");
                total -= length;
            }
        }

        _entries = [.. _lengths.Keys];
    }

    /// <summary>
    /// Makes the entries under <paramref name="folder"/> (<c>"x/"</c>) the bundle: their names lose the folder, so
    /// evidence paths are relative to the bundle's root as in a flat bundle, and <see cref="Name"/> becomes
    /// <c>x.zip/x</c> so that name + '/' + evidence path is the real entry. Called once, after <see cref="Seal"/>.
    /// </summary>
    internal void EnterFolder(string folder)
    {
        var inside = _lengths.Where(p => p.Key.Length > folder.Length && p.Key.StartsWith(folder, StringComparison.Ordinal)).ToArray();
        _lengths.Clear();
        foreach (var (entry, length) in inside)
        {
            _lengths[entry[folder.Length..]] = length;
        }

        _folder = folder;
        Name = Name + "/" + folder.TrimEnd('/');
        _entries = [.. _lengths.Keys];
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    internal Anomaly TooLarge(string entry, long length) => new(
        BundleAnomalyCodes.EntryTooLarge,
        AnomalySeverity.High,
        $"Entry '{entry}' is {length} bytes, over the {Options.MaxEntryBytes}-byte cap; not read.",
        new EvidenceRef(entry));

    /// <summary>Reports a failed read as an anomaly; true when the read was complete.</summary>
    internal static bool Report(ReadResult result, string entry, long length, IAnomalySink sink)
    {
        switch (result.Status)
        {
            case ReadStatus.Ok:
                return true;
            case ReadStatus.Longer:
            case ReadStatus.Shorter:
                sink.Report(new Anomaly(
                    BundleAnomalyCodes.EntryLengthMismatch,
                    AnomalySeverity.High,
                    $"Entry '{entry}' declared {length} bytes but gave {(result.Status == ReadStatus.Longer ? "more" : result.BytesRead.ToString(System.Globalization.CultureInfo.InvariantCulture))}; not used.",
                    new EvidenceRef(entry)));
                return false;
            case ReadStatus.CrcMismatch:
                sink.Report(new Anomaly(
                    BundleAnomalyCodes.EntryCrcMismatch,
                    AnomalySeverity.High,
                    $"Entry '{entry}' does not match its zip CRC-32 (its declared size or its data lies); not used.",
                    new EvidenceRef(entry)));
                return false;
            default:
                sink.Report(new Anomaly(
                    BundleAnomalyCodes.EntryUnreadable,
                    AnomalySeverity.High,
                    $"Entry '{entry}' could not be read: {result.Error}.",
                    new EvidenceRef(entry)));
                return false;
        }
    }

    private static bool IsReadFailure(Exception exception) =>
        exception is IOException or InvalidDataException or UnauthorizedAccessException or NotSupportedException;
}

/// <summary>How a counted read ended.</summary>
internal enum ReadStatus
{
    Ok,
    Shorter,
    Longer,
    CrcMismatch,
    Unreadable,
}

/// <summary>The outcome of a counted read.</summary>
internal readonly record struct ReadResult(ReadStatus Status, long BytesRead, string? Error);
