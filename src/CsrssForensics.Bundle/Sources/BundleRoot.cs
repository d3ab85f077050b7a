using CsrssForensics.Bundle.Parsing;

namespace CsrssForensics.Bundle.Sources;

/// <summary>
/// Where a bundle's entries start: at the top of the folder or zip, or inside its single top folder (Windows'
/// "Send to > Compressed (zipped) folder" and most archivers put <c>x/manifest.json</c> in <c>x.zip</c>).
/// </summary>
internal static class BundleRoot
{
    /// <summary>The top-level files a bundle may hold, in the order the refusal message names them.</summary>
    internal static readonly string[] PartFiles =
    [
        CsvParts.ProcessesEntry, CsvParts.FilesEntry, JsonParts.AutorunsEntry, JsonParts.HostEntry,
        ContextParts.ComEntry, ContextParts.ProgramsEntry, ContextParts.DefenderEntry, ContextParts.BrowserExtensionsEntry,
    ];

    /// <summary>The top-level folders a bundle may hold (each counts only when it holds a file).</summary>
    internal static readonly string[] PartFolders = [TaskXmlReader.Folder, "binaries/", "catalogs/", "certstores/"];

    /// <summary>What a bundle is expected to hold, for the refusal message.</summary>
    internal static string Expected =>
        $"no {ManifestReader.ManifestEntry} and none of {string.Join(", ", PartFiles.Concat(PartFolders))}";

    /// <summary>
    /// The prefix every bundle entry has: <c>""</c> when the bundle sits at the top, <c>"x/"</c> when it sits in the
    /// single top folder <c>x</c>, null when neither place holds a manifest or a recognisable part. A manifest wins
    /// over parts, and the top wins over the folder, so a flat bundle holding only <c>tasks/</c> stays flat.
    /// </summary>
    public static string? Find(IReadOnlyList<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var folder = SingleTopFolder(entries);
        if (HasManifest(entries, string.Empty))
        {
            return string.Empty;
        }

        if (folder is not null && HasManifest(entries, folder))
        {
            return folder;
        }

        if (HasPart(entries, string.Empty))
        {
            return string.Empty;
        }

        return folder is not null && HasPart(entries, folder) ? folder : null;
    }

    /// <summary><c>"x/"</c> when every entry lies under one top folder <c>x</c>, otherwise null.</summary>
    private static string? SingleTopFolder(IReadOnlyList<string> entries)
    {
        string? folder = null;
        foreach (var entry in entries)
        {
            var slash = entry.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0)
            {
                return null;
            }

            var top = entry[..(slash + 1)];
            if (folder is null)
            {
                folder = top;
            }
            else if (!string.Equals(folder, top, StringComparison.Ordinal))
            {
                return null;
            }
        }

        return folder;
    }

    private static bool HasManifest(IReadOnlyList<string> entries, string prefix) =>
        entries.Contains(prefix + ManifestReader.ManifestEntry, StringComparer.Ordinal);

    private static bool HasPart(IReadOnlyList<string> entries, string prefix)
    {
        var files = PartFiles.Select(f => prefix + f).ToHashSet(StringComparer.Ordinal);
        var folders = PartFolders.Select(f => prefix + f).ToArray();
        return entries.Any(e => files.Contains(e) || folders.Any(f => e.Length > f.Length && e.StartsWith(f, StringComparison.Ordinal)));
    }
}
