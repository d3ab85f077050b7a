using System.Text;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>The text of a file the collector copied into the bundle (a script, a configuration file), or null.</summary>
public interface ICopiedFileText
{
    /// <summary>
    /// The decoded text of the copy of <paramref name="file"/>, or null when it was not copied, cannot be read or
    /// is larger than the reader's cap. Never executes or interprets anything.
    /// </summary>
    string? TryRead(FileRecord file);
}

/// <summary>
/// Reads copied files through the bundle source, refusing anything over a small cap before a byte is read (a script
/// or a miner configuration is a few kilobytes; a 200 MiB "config.json" is not worth reading for a hint). Each
/// entry is decoded once.
/// </summary>
internal sealed class BundleFileText : ICopiedFileText
{
    /// <summary>Largest copy read as text: 1 MiB.</summary>
    public const int DefaultMaxBytes = 1024 * 1024;

    private readonly IBundleSource _source;
    private readonly IAnomalySink _sink;
    private readonly int _maxBytes;
    private readonly Dictionary<string, string?> _byEntry = new(StringComparer.Ordinal);

    public BundleFileText(IBundleSource source, IAnomalySink sink, int maxBytes = DefaultMaxBytes)
    {
        _source = source;
        _sink = sink;
        _maxBytes = maxBytes;
    }

    public string? TryRead(FileRecord file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var entry = file.BinaryBundlePath;
        if (string.IsNullOrEmpty(entry))
        {
            return null;
        }

        if (_byEntry.TryGetValue(entry, out var cached))
        {
            return cached;
        }

        string? text = null;
        var length = _source.EntryLength(entry);
        if (length is { } known && known <= _maxBytes && _source.TryReadAllBytes(entry, _sink) is { } bytes && bytes.Length <= _maxBytes)
        {
            text = TextDecoding.Decode(bytes);
        }

        _byEntry[entry] = text;
        return text;
    }
}

/// <summary>Turns the bytes of a script or configuration file into text the way Windows tools would read it.</summary>
internal static class TextDecoding
{
    /// <summary>
    /// UTF-8 or UTF-16 (LE/BE) by byte-order mark; without one, UTF-16LE when most odd bytes of the start are zero
    /// (PowerShell's "Unicode" output), else UTF-8. Invalid sequences become U+FFFD; nothing throws.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Encoding.UTF8.GetString(bytes[3..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode.GetString(bytes[2..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        }

        return LooksLikeUtf16LittleEndian(bytes) ? Encoding.Unicode.GetString(bytes) : Encoding.UTF8.GetString(bytes);
    }

    private static bool LooksLikeUtf16LittleEndian(ReadOnlySpan<byte> bytes)
    {
        var sample = bytes[..Math.Min(bytes.Length, 512)];
        if (sample.Length < 4)
        {
            return false;
        }

        var pairs = sample.Length / 2;
        var zeroHigh = 0;
        for (var i = 1; i < sample.Length; i += 2)
        {
            if (sample[i] == 0 && sample[i - 1] != 0)
            {
                zeroHigh++;
            }
        }

        return zeroHigh * 4 >= pairs * 3;
    }
}
