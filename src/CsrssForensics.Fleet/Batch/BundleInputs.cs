namespace CsrssForensics.Fleet.Batch;

/// <summary>One bundle to analyse: where it is and its position in the ordinal-sorted input list.</summary>
public sealed record BundleInput(int Index, string Path);

/// <summary>
/// Expands what the user named into bundles: a bundle folder or zip as it is, a folder holding bundle folders and zips
/// (one level, never followed through links), and a <c>*</c>/<c>?</c> pattern in the last path segment (for shells that
/// do not expand it). The list is sorted ordinally and without duplicates, so the run does not depend on the order of
/// the arguments or of the file system.
/// </summary>
public static class BundleInputs
{
    /// <summary>Files at the top of a bundle that mark the folder itself as a bundle (docs/bundle-format.md).</summary>
    private static readonly string[] _bundleMarkers = ["manifest.json", "processes.csv", "files.csv", "host.json"];

    /// <summary>Expands <paramref name="arguments"/>; paths that do not exist are returned too (they fail as unreadable).</summary>
    public static IReadOnlyList<BundleInput> Expand(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var argument in arguments)
        {
            foreach (var path in ExpandOne(argument))
            {
                paths.Add(Path.GetFullPath(path));
            }
        }

        return [.. paths.Select((p, i) => new BundleInput(i, p))];
    }

    /// <summary>
    /// True when <paramref name="folder"/> holds bundles rather than being one: no bundle marker file at its top, and
    /// more than one sub-folder or zip (a folder with one is a bundle inside a single top folder, as today).
    /// </summary>
    public static bool IsFolderOfBundles(string folder)
    {
        if (!Directory.Exists(folder) || _bundleMarkers.Any(m => File.Exists(Path.Combine(folder, m))))
        {
            return false;
        }

        return Children(folder).Take(2).Count() > 1;
    }

    private static IEnumerable<string> ExpandOne(string argument)
    {
        var name = Path.GetFileName(argument.TrimEnd('/', '\\'));
        if (name.AsSpan().IndexOfAny('*', '?') >= 0)
        {
            var parent = Path.GetDirectoryName(Path.GetFullPath(argument)) ?? ".";
            return Directory.Exists(parent)
                ? Directory.EnumerateFileSystemEntries(parent, name, new EnumerationOptions { MatchCasing = MatchCasing.PlatformDefault })
                    .Where(p => !IsLink(p))
                : [];
        }

        return IsFolderOfBundles(argument) ? Children(argument) : [argument];
    }

    private static IEnumerable<string> Children(string folder)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        return Directory.EnumerateDirectories(folder, "*", options)
            .Concat(Directory.EnumerateFiles(folder, "*.zip", options));
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;
}
