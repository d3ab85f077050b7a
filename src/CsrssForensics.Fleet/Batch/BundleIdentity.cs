using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Fleet.Batch;

/// <summary>
/// What makes two inputs the same bundle: the SHA-256 of the zip (the integrity section's bundle hash) or the content
/// of the manifest (host, collection time and every listed file's path and SHA-256, so a zip and its unpacked folder
/// match). Re-adding a bundle whose zip hash or manifest matches one in the case replaces it.
/// </summary>
/// <param name="Id">The key child rows carry: the manifest key when there is a manifest, else the zip hash, else a key of the parsed content.</param>
public sealed record BundleIdentity(string Id, string? BundleSha256, string? ManifestKey)
{
    /// <summary>The identity of an analysed bundle.</summary>
    public static BundleIdentity Of(BundleSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var zip = snapshot.Integrity.BundleSha256?.ToLowerInvariant();
        var manifest = snapshot.Manifest is { } m ? ManifestKeyOf(m) : null;
        var id = manifest ?? zip ?? ContentKey(snapshot);
        return new BundleIdentity(id, zip, manifest);
    }

    /// <summary>The identity of an input that could not be read: its full path stands in (nothing else is known).</summary>
    public static BundleIdentity Unreadable(string path) => new("unreadable:" + Hash(path), null, null);

    private static string ManifestKeyOf(BundleManifest manifest)
    {
        var text = new StringBuilder("manifest\n")
            .Append(manifest.Hostname).Append('\n')
            .Append(manifest.CollectedAtUtc?.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var file in manifest.Files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            text.Append(file.Path).Append('\t').Append(file.Sha256.ToLowerInvariant()).Append('\n');
        }

        return "m:" + Hash(text.ToString());
    }

    private static string ContentKey(BundleSnapshot snapshot)
    {
        var text = new StringBuilder("content\n")
            .Append(snapshot.Host?.Hostname).Append('\n')
            .Append(snapshot.Host?.BootTimeUtc?.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var process in snapshot.Processes)
        {
            text.Append(process.Pid.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(process.ImagePath).Append('\n');
        }

        foreach (var file in snapshot.Files)
        {
            text.Append(file.Path).Append('\t').Append(file.Sha256).Append('\n');
        }

        return "c:" + Hash(text.ToString());
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
