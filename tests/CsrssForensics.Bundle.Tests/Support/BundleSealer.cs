using System.IO.Compression;
using System.Text;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Bundle.Tests.Support;

/// <summary>
/// Test helper: writes bundle files into a folder and seals it with a manifest.json that lists the SHA-256 and size
/// of every other file, as the collector does. Can also pack a folder into an in-memory or on-disk zip.
/// </summary>
public static class BundleSealer
{
    /// <summary>Writes manifest.json for every file under <paramref name="folder"/> (except manifest.json itself).</summary>
    public static void Seal(string folder, string hostname = "WS-TEST", string collectedAtUtc = "2026-11-20T08:15:00Z")
    {
        File.WriteAllBytes(Path.Combine(folder, "manifest.json"), ManifestFor(folder, hostname, collectedAtUtc));
    }

    /// <summary>The manifest.json bytes for the files under <paramref name="folder"/>.</summary>
    public static byte[] ManifestFor(string folder, string hostname = "WS-TEST", string collectedAtUtc = "2026-11-20T08:15:00Z") =>
        TestManifest.Bytes(TestManifest.RecordsOf(folder), "BundleSealer", hostname, collectedAtUtc, indented: true);

    /// <summary>The manifest.json bytes for in-memory entries (name to bytes).</summary>
    public static byte[] ManifestFor(IReadOnlyDictionary<string, byte[]> entries, string hostname = "WS-TEST", string collectedAtUtc = "2026-11-20T08:15:00Z") =>
        TestManifest.Bytes(
            entries.Where(e => e.Key != "manifest.json").OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => TestManifest.Record(e.Key, e.Value)),
            "BundleSealer",
            hostname,
            collectedAtUtc,
            indented: true);

    /// <summary>Writes a zip whose entries are exactly <paramref name="entries"/> (names as given, not checked).</summary>
    public static void WriteZip(string zipPath, IEnumerable<KeyValuePair<string, byte[]>> entries, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var file = File.Create(zipPath);
        using var archive = new ZipArchive(file, ZipArchiveMode.Create);
        foreach (var (name, bytes) in entries)
        {
            var entry = archive.CreateEntry(name, level);
            using var stream = entry.Open();
            stream.Write(bytes);
        }
    }

    /// <summary>UTF-8 bytes without a byte order mark.</summary>
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
