using CsrssForensics.Core.Evidence;
using CsrssForensics.Pe.Parsing;

namespace CsrssForensics.Pe;

/// <summary>
/// Entry point of the PE layer: reads headers, sections, imports and the version resource of one binary held in
/// memory. Never throws on malformed input; problems go to the sink and into <see cref="PEFileInfo.Anomalies"/>.
/// </summary>
public static class PEFileReader
{
    /// <summary>Reads <paramref name="image"/> (the caller bounds its size).</summary>
    /// <param name="image">The whole file.</param>
    /// <param name="evidenceFile">Bundle-relative path used in every anomaly's evidence reference.</param>
    /// <param name="sink">Receives each anomaly as it is found (the same ones end up in the result).</param>
    public static PEFileInfo Read(ReadOnlyMemory<byte> image, string evidenceFile, IAnomalySink sink)
    {
        ArgumentNullException.ThrowIfNull(evidenceFile);
        ArgumentNullException.ThrowIfNull(sink);
        return new PEImageParser(image, evidenceFile, sink).Parse();
    }
}
