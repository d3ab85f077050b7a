using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Bundle;

/// <summary>Read-only access to the entries of an opened bundle (directory or zip). Never writes.</summary>
public interface IBundleSource : IDisposable
{
    /// <summary>The bundle's file or folder name (no host path).</summary>
    string Name { get; }

    /// <summary>Every readable entry: sorted ordinally, <c>/</c>-separated, refused entries left out.</summary>
    IReadOnlyList<string> Entries { get; }

    /// <summary>True when <paramref name="entry"/> is one of <see cref="Entries"/> (exact, ordinal).</summary>
    bool Contains(string entry);

    /// <summary>
    /// The length the source recorded for <paramref name="entry"/> when it was listed, or null when it is not one of
    /// <see cref="Entries"/>. Lets a caller skip an entry over its own, smaller cap before reading anything.
    /// </summary>
    long? EntryLength(string entry);

    /// <summary>
    /// The bytes of one entry, or null with an anomaly in <paramref name="sink"/> when the name is not a normal
    /// entry name, the entry is absent or refused, larger than the caps, or longer than it claimed.
    /// </summary>
    byte[]? TryReadAllBytes(string entry, IAnomalySink sink);
}
