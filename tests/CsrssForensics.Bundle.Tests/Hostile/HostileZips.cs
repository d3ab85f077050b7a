using System.Buffers.Binary;
using System.IO.Compression;

namespace CsrssForensics.Bundle.Tests.Hostile;

/// <summary>Generators of hostile zips, built in a temp folder by each test (nothing big is committed).</summary>
internal static class HostileZips
{
    /// <summary>A zip of <paramref name="count"/> one-byte entries, written with the smallest headers .NET makes.</summary>
    public static void ManyEntries(string zipPath, int count)
    {
        using var file = File.Create(zipPath);
        using var archive = new ZipArchive(file, ZipArchiveMode.Create);
        for (var i = 0; i < count; i++)
        {
            var entry = archive.CreateEntry("e" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), CompressionLevel.NoCompression);
            using var stream = entry.Open();
            stream.WriteByte(0x41);
        }
    }

    /// <summary>
    /// Writes <paramref name="entries"/> as a zip, then points the central record of <paramref name="victim"/> at the
    /// local header of <paramref name="target"/>: both records now claim the same bytes.
    /// </summary>
    public static void Overlapping(string zipPath, IReadOnlyDictionary<string, byte[]> entries, string victim, string target)
    {
        using (var file = File.Create(zipPath))
        using (var archive = new ZipArchive(file, ZipArchiveMode.Create))
        {
            foreach (var (name, bytes) in entries)
            {
                using var stream = archive.CreateEntry(name, CompressionLevel.NoCompression).Open();
                stream.Write(bytes);
            }
        }

        var zip = File.ReadAllBytes(zipPath);
        var offsets = new Dictionary<string, (int RecordAt, uint LocalOffset)>(StringComparer.Ordinal);
        for (var at = 0; at + 46 <= zip.Length; at++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at)) != 0x02014b50)
            {
                continue;
            }

            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 28));
            var name = System.Text.Encoding.UTF8.GetString(zip, at + 46, nameLength);
            offsets[name] = (at, BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at + 42)));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(offsets[victim].RecordAt + 42), offsets[target].LocalOffset);
        File.WriteAllBytes(zipPath, zip);
    }
}
