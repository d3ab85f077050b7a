using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle;

/// <summary>
/// One bundle part read on a second thread while the caller reads the others. It reports into its own anomaly
/// list and marks itself missing in its own list; the caller merges both at the part's place in the sequential
/// order, so the snapshot is the same whichever thread finishes first and however many cores there are.
/// </summary>
internal sealed class ParallelPart<T>
{
    private readonly AnomalyList _anomalies = new();
    private readonly List<BundlePart> _missing = [];
    private readonly Task<T> _read;

    public ParallelPart(Func<List<BundlePart>, IAnomalySink, T> read)
    {
        // A thread of its own rather than a pool thread: the fleet opens bundles on pool threads, which would otherwise
        // block waiting for a pool thread to become free.
        _read = Task.Factory.StartNew(() => read(_missing, _anomalies), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The part's anomalies, in the order it raised them; complete once <see cref="Join"/> returned.</summary>
    public IReadOnlyList<Anomaly> Anomalies => _anomalies.Items;

    /// <summary>Waits for the part, adds its missing mark to <paramref name="missing"/>, and returns it (or rethrows its failure).</summary>
    public T Join(List<BundlePart> missing)
    {
        var value = _read.GetAwaiter().GetResult();
        missing.AddRange(_missing);
        return value;
    }

    /// <summary>
    /// Waits for the read to end however it ends, so the source is never disposed under it. A failure is rethrown by
    /// <see cref="Join"/> only: when the caller failed first, the caller's exception is the one that counts.
    /// </summary>
    public void Settle()
    {
        try
        {
            _read.Wait();
        }
        catch (AggregateException)
        {
            // Observed here so it is not reported as unobserved; Join already rethrew it if it mattered.
        }
    }
}
