using CsrssForensics.Fleet.Batch;

namespace CsrssForensics.Fleet.CaseStore;

/// <summary>
/// The identities of the bundles in the case (read once when it is opened, kept up to date as bundles are added), so
/// adding a bundle asks the database nothing unless it replaces one: a query per bundle cost more than its rows.
/// </summary>
internal sealed class KnownBundles
{
    private readonly Dictionary<string, (string? Zip, string? Manifest)> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byZip = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byManifest = new(StringComparer.Ordinal);

    /// <summary>Records a bundle now in the case.</summary>
    public void Add(string id, string? zip, string? manifest)
    {
        _byId[id] = (zip, manifest);
        if (zip is not null)
        {
            _byZip[zip] = id;
        }

        if (manifest is not null)
        {
            _byManifest[manifest] = id;
        }
    }

    /// <summary>The bundles <paramref name="identity"/> replaces: same id, same zip SHA-256 or same manifest.</summary>
    public IReadOnlyList<string> Matching(BundleIdentity identity)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        if (_byId.ContainsKey(identity.Id))
        {
            ids.Add(identity.Id);
        }

        if (identity.BundleSha256 is { } zip && _byZip.TryGetValue(zip, out var byZip))
        {
            ids.Add(byZip);
        }

        if (identity.ManifestKey is { } manifest && _byManifest.TryGetValue(manifest, out var byManifest))
        {
            ids.Add(byManifest);
        }

        return [.. ids];
    }

    /// <summary>Records that a bundle was deleted from the case.</summary>
    public void Forget(string id)
    {
        if (_byId.Remove(id, out var keys))
        {
            if (keys.Zip is not null && _byZip.TryGetValue(keys.Zip, out var zipId) && zipId == id)
            {
                _byZip.Remove(keys.Zip);
            }

            if (keys.Manifest is not null && _byManifest.TryGetValue(keys.Manifest, out var manifestId) && manifestId == id)
            {
                _byManifest.Remove(keys.Manifest);
            }
        }
    }
}
