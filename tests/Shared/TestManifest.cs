using System.Security.Cryptography;
using System.Text.Json;

namespace CsrssForensics.Tests.Shared;

/// <summary>
/// manifest.json as the collector writes it, for tests that build or reseal bundles: one record (path, size, SHA-256)
/// per file, in ordinal order, manifest.json itself left out.
/// </summary>
internal static class TestManifest
{
    private static readonly JsonSerializerOptions _indented = new() { WriteIndented = true };

    /// <summary>The record of one file.</summary>
    public static Dictionary<string, object> Record(string path, byte[] bytes) =>
        new() { ["path"] = path, ["size"] = bytes.LongLength, ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)) };

    /// <summary>The records of every file under <paramref name="folder"/>, names relative with '/'.</summary>
    public static List<Dictionary<string, object>> RecordsOf(string folder) =>
        [.. Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => f != "manifest.json")
            .Order(StringComparer.Ordinal)
            .Select(f => Record(f, File.ReadAllBytes(Path.Combine(folder, f))))];

    /// <summary>The manifest.json bytes listing <paramref name="files"/>.</summary>
    public static byte[] Bytes(IEnumerable<Dictionary<string, object>> files, string collector, string hostname, string collectedAtUtc, bool indented) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new Dictionary<string, object>
            {
                ["format"] = "csrss-forensics-bundle",
                ["formatVersion"] = "1.0",
                ["collector"] = new Dictionary<string, string> { ["name"] = collector, ["version"] = "1.0.0" },
                ["collectedAtUtc"] = collectedAtUtc,
                ["operator"] = "test",
                ["hostname"] = hostname,
                ["files"] = files.ToList(),
                ["errors"] = Array.Empty<object>(),
            },
            indented ? _indented : JsonSerializerOptions.Default);
}
