namespace CsrssForensics.Cli.Commands;

/// <summary>Full paths with every symbolic link resolved, also for a path whose last parts do not exist yet.</summary>
internal static class RealPaths
{
    private const int MaxLinks = 40;

    /// <summary>
    /// The real path of <paramref name="path"/>: each existing part that is a link is replaced by its final target, the
    /// parts that do not exist yet are appended as written. A loop of links stops after 40 and keeps the path as is.
    /// </summary>
    public static string Of(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? string.Empty;
        var current = root;
        var links = 0;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            var info = new DirectoryInfo(current);
            if (info.LinkTarget is null || ++links > MaxLinks)
            {
                continue;
            }

            try
            {
                if (info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                {
                    current = Of(target.FullName);
                }
            }
            catch (IOException)
            {
                // A link loop or a dangling link: compare by the path as written.
            }
        }

        return current;
    }
}
