namespace CsrssForensics.Bundle.Sources;

/// <summary>
/// A bundle that is a folder. Lists files recursively without following links out of the root: a symbolic link
/// whose final target lies outside the bundle is refused, a linked folder is never descended into (no loops).
/// </summary>
internal sealed class DirectoryBundleSource : BundleSource
{
    private const int MaxDepth = 64;

    private readonly string _root;
    private readonly Dictionary<string, string> _paths = new(StringComparer.Ordinal);
    private int _seen;

    public DirectoryBundleSource(string root, BundleReaderOptions options)
        : base(Path.GetFileName(Path.TrimEndingDirectorySeparator(root)), options)
    {
        _root = RealPath(new DirectoryInfo(root));
        Walk(new DirectoryInfo(_root), string.Empty, 0);
        Seal();
    }

    public override string? BundleSha256 => null;

    protected override Stream? OpenEntry(string entry) =>
        _paths.TryGetValue(entry, out var path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan)
            : null;

    private void Walk(DirectoryInfo folder, string prefix, int depth)
    {
        if (depth > MaxDepth)
        {
            Refuse(prefix, $"folders nested deeper than {MaxDepth}");
            return;
        }

        FileSystemInfo[] children;
        try
        {
            children = folder.GetFileSystemInfos();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Refuse(prefix.Length == 0 ? "." : prefix, "folder could not be listed: " + exception.Message);
            return;
        }

        Array.Sort(children, (a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (var child in children)
        {
            var name = prefix + child.Name;
            if (++_seen > Options.MaxEntries)
            {
                Refuse(name, $"more than {Options.MaxEntries} entries");
                continue;
            }

            // One entry that cannot be examined is a finding about that entry, never a reason to drop the bundle.
            try
            {
                Examine(child, name, depth);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                Refuse(name, "could not be examined: " + exception.Message, BundleAnomalyCodes.EntryNotExaminable);
            }
        }
    }

    private void Examine(FileSystemInfo child, string name, int depth)
    {
        var problem = EntryName.Problem(name);
        if (problem is not null)
        {
            Refuse(name, problem);
            return;
        }

        if (IsUndecodable(child))
        {
            Refuse(name, "name is not valid UTF-8 (the bad bytes are shown as U+FFFD)", BundleAnomalyCodes.UndecodableEntryName);
            return;
        }

        if (child.LinkTarget is not null)
        {
            AcceptLink(child, name);
            return;
        }

        if (child is DirectoryInfo directory)
        {
            Walk(directory, name + "/", depth + 1);
        }
        else if (child is FileInfo file && !SpecialFiles.IsSpecial(file.FullName))
        {
            AcceptFile(name, file);
        }
        else
        {
            Refuse(name, "not a regular file (FIFO, socket or device)");
        }
    }

    // On Linux the runtime decodes a name's bytes as UTF-8 with U+FFFD for bytes that are not; the name it gives back
    // then re-encodes to other bytes and names nothing. A real U+FFFD in a name (valid UTF-8) still exists by its name.
    private static bool IsUndecodable(FileSystemInfo child) =>
        child.Name.Contains('\uFFFD', StringComparison.Ordinal) && !Path.Exists(child.FullName) && !IsDanglingLink(child.FullName);

    private static bool IsDanglingLink(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: false) is not null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private void AcceptLink(FileSystemInfo link, string name)
    {
        FileSystemInfo? target;
        try
        {
            target = link.ResolveLinkTarget(returnFinalTarget: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Refuse(name, "symbolic link could not be resolved: " + exception.Message);
            return;
        }

        if (target is null || !target.Exists)
        {
            Refuse(name, "symbolic link to nothing");
            return;
        }

        var real = target switch
        {
            DirectoryInfo directory => RealPath(directory),
            FileInfo { Directory: { } parent } targetFile => Path.Combine(RealPath(parent), targetFile.Name),
            _ => target.FullName,
        };
        var rootWithSeparator = Path.EndsInDirectorySeparator(_root) ? _root : _root + Path.DirectorySeparatorChar;
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (!real.StartsWith(rootWithSeparator, comparison))
        {
            Refuse(name, "symbolic link points outside the bundle");
            return;
        }

        if (target is FileInfo file && !SpecialFiles.IsSpecial(file.FullName))
        {
            AcceptFile(name, file);
        }
        else
        {
            Refuse(name, target is FileInfo ? "symbolic link to a FIFO, socket or device" : "symbolic link to a folder is not followed");
        }
    }

    private void AcceptFile(string name, FileInfo file)
    {
        // Same rule as for zip entries: an entry over the cap is refused up front, never hashed or read.
        if (file.Length > CapFor(name))
        {
            Refuse(name, $"is {file.Length} bytes, over the {CapFor(name)}-byte cap");
            return;
        }

        _paths[name] = file.FullName;
        Accept(name, file.Length);
    }

    // The root with every link in its own path resolved, so that link targets can be compared with it.
    private static string RealPath(DirectoryInfo folder)
    {
        var full = Path.TrimEndingDirectorySeparator(folder.FullName);
        var target = folder.LinkTarget is null ? null : folder.ResolveLinkTarget(returnFinalTarget: true);
        if (target is not null)
        {
            return Path.TrimEndingDirectorySeparator(target.FullName);
        }

        var parent = folder.Parent;
        return parent is null ? full : Path.Combine(RealPath(parent), folder.Name);
    }
}
