using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle;

/// <summary>A bundle that was opened, verified and parsed; keeps the source open for reading binaries later.</summary>
public sealed class OpenedBundle : IDisposable
{
    internal OpenedBundle(BundleSnapshot snapshot, IBundleSource source)
    {
        Snapshot = snapshot;
        Source = source;
    }

    /// <summary>Everything parsed from the bundle.</summary>
    public BundleSnapshot Snapshot { get; }

    /// <summary>The entries, for reading <c>binaries/</c>, <c>catalogs/</c> and <c>certstores/</c> on demand.</summary>
    public IBundleSource Source { get; }

    /// <inheritdoc />
    public void Dispose() => Source.Dispose();
}
