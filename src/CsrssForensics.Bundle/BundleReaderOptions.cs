namespace CsrssForensics.Bundle;

/// <summary>Caps that keep a hostile bundle from exhausting memory or disk time. Checked before anything is read.</summary>
public sealed class BundleReaderOptions
{
    /// <summary>Largest single entry read or hashed (uncompressed bytes). Default 256 MiB.</summary>
    public long MaxEntryBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Largest processes.csv or files.csv: they are parsed row by row and never held whole, so they may pass
    /// <see cref="MaxEntryBytes"/> (a terminal server's million-row files.csv is over 300 MB). Default 2 GiB.
    /// </summary>
    public long MaxStreamedPartBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Most data rows read from one CSV part; the rest are dropped with one anomaly. Default 2 000 000.</summary>
    public int MaxCsvRows { get; init; } = 2_000_000;

    /// <summary>Largest sum of all entry sizes (uncompressed). Entries past it, in name order, are refused. Default 4 GiB.</summary>
    public long MaxTotalBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Largest uncompressed/compressed ratio a zip entry may have. Default 200.</summary>
    public double MaxCompressionRatio { get; init; } = 200;

    /// <summary>Most entries considered; the rest are refused. Default 100 000.</summary>
    public int MaxEntries { get; init; } = 100_000;
}
