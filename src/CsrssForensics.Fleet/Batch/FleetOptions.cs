using CsrssForensics.Analysis;
using CsrssForensics.Reporting;

namespace CsrssForensics.Fleet.Batch;

/// <summary>What one batch run is asked to do.</summary>
/// <param name="OutputDirectory">Batch output: <c>hosts/</c> (one report folder per bundle), the fleet summary and, by default, the case.</param>
/// <param name="CasePath">The case database file (created if missing, added to if present).</param>
public sealed record FleetOptions(string OutputDirectory, ReportFormats Formats, AnalysisOptions Analysis, string CasePath)
{
    /// <summary>Bundles analysed at once; each holds one bundle's snapshot and report, so this bounds memory.</summary>
    public int MaxParallel { get; init; } = Environment.ProcessorCount;
}

/// <summary>Running totals handed to the progress display after each bundle.</summary>
public sealed record FleetProgressUpdate(int Done, int Total, int BinariesVerified, int BinariesReused, HostRow Last);

/// <summary>Where the batch reports its progress (the CLI draws it; tests record it).</summary>
public interface IFleetProgress
{
    /// <summary>The batch is about to start <paramref name="total"/> bundles.</summary>
    void Started(int total);

    /// <summary>One more bundle is done (analysed, or found unreadable).</summary>
    void Finished(FleetProgressUpdate update);
}
