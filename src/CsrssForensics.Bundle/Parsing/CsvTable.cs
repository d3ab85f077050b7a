using System.Buffers;
using System.Globalization;
using System.Text;
using CsrssForensics.Core.Evidence;
using CsvHelper;

namespace CsrssForensics.Bundle.Parsing;

/// <summary>
/// Walks a CSV part row by row with CsvHelper: header required, column names matched case-insensitively in any
/// order, unknown columns ignored, blank cells = null. Problems become anomalies with the 1-based data row.
/// </summary>
internal sealed class CsvTable
{
    // Per-record budget of the streamed parser. A part read whole was never held to one (a 4 MiB command line was
    // parsed); a stream is, so this is set well above any real record and still bounds a hostile one.
    private const int MaxRecordSize = 64 * 1024 * 1024;

    private const int MaxResolved = 64;

    // Longest numeric or time cell parsed from a stack copy (the collector's longest, a time, is 20).
    private const int StackCellChars = 64;

    private readonly string _entry;
    private readonly IAnomalySink _sink;
    private readonly Dictionary<string, int> _columns = new(StringComparer.OrdinalIgnoreCase);

    // Callers ask for the same literal column names on every row: resolved once per name instance (-1 = absent),
    // instead of a case-insensitive hash of the name for every cell. Bounded (MaxResolved) in case a caller builds names.
    private readonly Dictionary<object, int> _resolved = new(ReferenceEqualityComparer.Instance);

    // They also ask in the same order: the names the first row asked for, in that order, with their indices. A row
    // walks this sequence with a cursor, so a lookup is one reference comparison; an ask out of order goes to the map.
    private readonly string[] _sequenceNames = new string[MaxResolved];
    private readonly int[] _sequenceIndices = new int[MaxResolved];
    private int _sequenceLength;
    private int _cursor;
    private bool _recording = true;
    private CsvReader? _csv;

    private CsvTable(string entry, IAnomalySink sink)
    {
        _entry = entry;
        _sink = sink;
    }

    /// <summary>The 1-based data row being read (header excluded).</summary>
    public int Row { get; private set; }

    /// <summary>
    /// Reads the data rows of <paramref name="stream"/> one at a time, at most <paramref name="maxRows"/> (the rest are
    /// dropped with one anomaly); false when the header is unusable (part treated as missing).
    /// </summary>
    public static bool ReadAll(string entry, Stream stream, IAnomalySink sink, IReadOnlyList<string> required, int maxRows, Action<CsvTable> onRow)
    {
        var table = new CsvTable(entry, sink);
        return table.Run(stream, required, maxRows, onRow);
    }

    /// <summary>The cell of <paramref name="column"/>, or null when blank or the column is absent.</summary>
    public string? Cell(string column)
    {
        var index = Index(column);
        return index < 0 ? null : BundleText.NullIfBlank(_csv!.GetString(index));
    }

    public int? Int(string column) => Parse(column, "an integer",
        (ReadOnlySpan<char> s, out int v) => BundleText.TryParseInt(s, out v), (string s, out int v) => BundleText.TryParseInt(s, out v));

    public long? Long(string column) => Parse(column, "an integer",
        (ReadOnlySpan<char> s, out long v) => BundleText.TryParseLong(s, out v), (string s, out long v) => BundleText.TryParseLong(s, out v));

    public double? Double(string column) => Parse(column, "a finite number",
        (ReadOnlySpan<char> s, out double v) => BundleText.TryParseDouble(s, out v), (string s, out double v) => BundleText.TryParseDouble(s, out v));

    // The collector's one time form is read from the span; any other form takes the full parser on the string.
    public DateTimeOffset? Time(string column) => Parse(column, "an ISO 8601 time",
        (ReadOnlySpan<char> s, out DateTimeOffset v) => BundleText.TryParseCollectorForm(s, out v), (string s, out DateTimeOffset v) => BundleText.TryParseTime(s, out v));

    /// <summary>Reports a problem with the current row.</summary>
    public void Report(string code, AnomalySeverity severity, string message, string? column = null) =>
        _sink.Report(new Anomaly(code, severity, message, new EvidenceRef(_entry, Row, Detail: column)));

    private delegate bool TryParser<T>(string text, out T value);

    private delegate bool SpanParser<T>(ReadOnlySpan<char> text, out T value);

    // The index of the column's cell in the current record, or -1 when the column or the cell is absent.
    private int Index(string column)
    {
        if (_csv is null)
        {
            return -1;
        }

        int index;
        if (_cursor < _sequenceLength && ReferenceEquals(_sequenceNames[_cursor], column))
        {
            index = _sequenceIndices[_cursor++];
        }
        else
        {
            if (!_resolved.TryGetValue(column, out index))
            {
                index = _columns.TryGetValue(column, out var found) ? found : -1;
                if (_resolved.Count < MaxResolved)
                {
                    _resolved[column] = index;
                }
            }

            if (_recording && _sequenceLength < MaxResolved)
            {
                _sequenceNames[_sequenceLength] = column;
                _sequenceIndices[_sequenceLength++] = index;
                _cursor = _sequenceLength;
            }
        }

        return index < _csv.FieldCount ? index : -1;
    }

    private T? Parse<T>(string column, string what, SpanParser<T> quick, TryParser<T> parser)
        where T : struct
    {
        // Numbers and times are not kept as text: a short ASCII cell is widened on the stack and parsed there, with no
        // string made for it. Anything else (long, non-ASCII, unparsable: the anomaly quotes it) takes the string path.
        Span<char> chars = stackalloc char[StackCellChars];
        var index = Index(column);
        if (index >= 0)
        {
            var bytes = _csv!.GetSpan(index);
            if (bytes.Length <= StackCellChars && Ascii.ToUtf16(bytes, chars, out var written) == OperationStatus.Done)
            {
                var cell = chars[..written];
                if (cell.IsWhiteSpace())
                {
                    return null;
                }

                if (quick(cell, out var quickValue))
                {
                    return quickValue;
                }
            }
        }

        var text = Cell(column);
        if (text is null)
        {
            return null;
        }

        if (parser(text, out var value))
        {
            return value;
        }

        Report(BundleAnomalyCodes.CsvBadCell, AnomalySeverity.Low,
            $"{_entry} row {Row.ToString(CultureInfo.InvariantCulture)}: {column} '{Sources.EntryName.Printable(text)}' is not {what}; treated as unknown.", column);
        return null;
    }

    private bool Run(Stream stream, IReadOnlyList<string> required, int maxRows, Action<CsvTable> onRow)
    {
        // Record numbers of malformed records (header = 1), reported by the scanner before the record is returned.
        var malformed = new Dictionary<long, CsvMalformedReason>();
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = true,
            Mode = CsvMode.Rfc4180,

            // RFC 4180: zoneIdentifier holds the multi-line Zone.Identifier stream, so quoted line breaks are data.
            // An unclosed quote then runs to the end of the file; the scanner reports it and so do we.
            AllowLineBreaksInQuotes = true,
            SkipEmptyLines = true,
            TrimWhitespace = false,
            MaxRecordSize = MaxRecordSize,
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MissingField = CsvMissingFieldHandling.ReturnEmpty,
            DetectSeparatorHint = false,
            FormatProvider = CultureInfo.InvariantCulture,

            // Every row is kept in the snapshot: repeated cells (signer, thumbprint, status, reason, user) share one
            // string instead of a million copies. CsvHelper bounds the tables and turns pooling off per column when
            // most rows bring a new value, so hostile input costs no more than plain decoding.
            PoolStrings = true,
            OnMalformedRecord = record => malformed.TryAdd(record.RecordNumber, record.Reason),
        };

        using var csv = CsvReader.Create(stream, options, leaveOpen: true);
        _csv = csv;
        IReadOnlyList<string> header;
        try
        {
            header = csv.Headers;
        }
        catch (CsvFormatException exception)
        {
            ReportHeader($"{_entry} header could not be read: {exception.Message}");
            return false;
        }

        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            if (!_columns.TryAdd(name, i))
            {
                _sink.Report(new Anomaly(BundleAnomalyCodes.CsvBadHeader, AnomalySeverity.Medium,
                    $"{_entry} has column '{Sources.EntryName.Printable(header[i])}' twice; the first one is used.", new EvidenceRef(_entry, Detail: "header")));
            }
        }

        foreach (var column in required)
        {
            if (!_columns.ContainsKey(column))
            {
                ReportHeader(header.Count == 0
                    ? $"{_entry} has no header row."
                    : $"{_entry} has no '{column}' column.");
                return false;
            }
        }

        while (true)
        {
            bool more;
            try
            {
                more = csv.Read();
            }
            catch (CsvFormatException exception)
            {
                _sink.Report(new Anomaly(BundleAnomalyCodes.CsvUnreadable, AnomalySeverity.High,
                    $"{_entry} cannot be parsed past data row {Row.ToString(CultureInfo.InvariantCulture)}: {exception.Message}",
                    new EvidenceRef(_entry, Row + 1)));
                return true;
            }

            if (!more)
            {
                return true;
            }

            Row = (int)Math.Min(int.MaxValue, csv.RowNumber);
            if (Row > maxRows)
            {
                _sink.Report(new Anomaly(BundleAnomalyCodes.CsvTooManyRows, AnomalySeverity.High,
                    $"{_entry} has more than {maxRows.ToString(CultureInfo.InvariantCulture)} data rows; rows from {Row.ToString(CultureInfo.InvariantCulture)} on are not read.",
                    new EvidenceRef(_entry, Row)));
                return true;
            }

            if (malformed.Remove(csv.RowNumber + 1, out var reason))
            {
                Report(BundleAnomalyCodes.CsvMalformedRow, AnomalySeverity.Medium,
                    $"{_entry} row {Row.ToString(CultureInfo.InvariantCulture)} has malformed quoting ({reason}); its cells are read as the parser recovered them.");
            }

            if (csv.FieldCount != header.Count)
            {
                Report(BundleAnomalyCodes.CsvMalformedRow, AnomalySeverity.Medium,
                    $"{_entry} row {Row.ToString(CultureInfo.InvariantCulture)} has {csv.FieldCount.ToString(CultureInfo.InvariantCulture)} cells; the header has {header.Count.ToString(CultureInfo.InvariantCulture)}. Missing cells are unknown, extra cells ignored.");
            }

            _cursor = 0;
            onRow(this);
            _recording = false;
        }
    }

    private void ReportHeader(string message) =>
        _sink.Report(new Anomaly(BundleAnomalyCodes.CsvBadHeader, AnomalySeverity.High, message + " The part is treated as missing.", new EvidenceRef(_entry, Detail: "header")));
}
