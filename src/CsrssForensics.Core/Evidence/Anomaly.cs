namespace CsrssForensics.Core.Evidence;

/// <summary>How much an anomaly weighs on its own.</summary>
public enum AnomalySeverity
{
    Info,
    Low,
    Medium,
    High,
}

/// <summary>
/// A problem found in the evidence itself (malformed PE, bad CSV row, hash mismatch...). Parsers record one and go on;
/// the <see cref="Code"/> is stable (<c>PE0007</c>, <c>SIG0003</c>, <c>BND0002</c>) so reports and tests can rely on it.
/// </summary>
public sealed record Anomaly(string Code, AnomalySeverity Severity, string Message, EvidenceRef Evidence);

/// <summary>Where parsers put what they find wrong. Never drops anything silently.</summary>
public interface IAnomalySink
{
    /// <summary>Records one anomaly.</summary>
    void Report(Anomaly anomaly);
}

/// <summary>A sink that keeps every anomaly in arrival order.</summary>
public sealed class AnomalyList : IAnomalySink
{
    private readonly List<Anomaly> _items = [];

    /// <summary>Everything reported so far.</summary>
    public IReadOnlyList<Anomaly> Items => _items;

    /// <inheritdoc />
    public void Report(Anomaly anomaly)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        _items.Add(anomaly);
    }
}
