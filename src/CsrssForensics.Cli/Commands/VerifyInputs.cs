using CsrssForensics.Bundle;

namespace CsrssForensics.Cli.Commands;

/// <summary>One file <c>verify</c> was asked about, or why it cannot be verified.</summary>
/// <param name="DisplayPath">The path as the user wrote it (a walked file: the folder as written joined with its relative path).</param>
/// <param name="FullPath">The path to open.</param>
/// <param name="Problem">Null when the file can be opened; otherwise why not (reported, and the exit code says so).</param>
internal sealed record VerifyInput(string DisplayPath, string FullPath, string? Problem);

/// <summary>
/// Expands <c>verify</c>'s arguments: a file is itself, a folder is walked (files only, ordinal order of the relative
/// path, symbolic links and FIFOs/sockets/devices skipped with a note, never followed). A path that does not exist or
/// a folder that cannot be listed becomes an input with a problem, so the other files are still verified.
/// </summary>
internal static class VerifyInputs
{
    public static List<VerifyInput> Expand(IEnumerable<FileSystemInfo> paths, Action<string> note)
    {
        var inputs = new List<VerifyInput>();
        foreach (var path in paths)
        {
            var written = path.ToString();
            if (Directory.Exists(path.FullName))
            {
                inputs.AddRange(Walk(written, path.FullName, note));
            }
            else if (!File.Exists(path.FullName))
            {
                inputs.Add(new VerifyInput(written, path.FullName, "does not exist"));
            }
            else
            {
                inputs.Add(new VerifyInput(written, path.FullName, SpecialFiles.IsSpecial(path.FullName) ? "not a regular file (FIFO, socket or device)" : null));
            }
        }

        return inputs;
    }

    private static IEnumerable<VerifyInput> Walk(string written, string root, Action<string> note)
    {
        var found = new List<(string Relative, VerifyInput Input)>();
        var pending = new Stack<(DirectoryInfo Folder, string Relative)>();
        pending.Push((new DirectoryInfo(root), string.Empty));
        while (pending.Count > 0)
        {
            var (folder, relative) = pending.Pop();
            FileSystemInfo[] children;
            try
            {
                children = folder.GetFileSystemInfos();
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                var shown = relative.Length == 0 ? written : Path.Join(written, relative);
                found.Add((relative, new VerifyInput(shown, folder.FullName, "folder cannot be listed: " + error.Message)));
                continue;
            }

            foreach (var child in children)
            {
                var childRelative = relative.Length == 0 ? child.Name : relative + "/" + child.Name;
                var shown = Path.Join(written, childRelative.Replace('/', Path.DirectorySeparatorChar));
                if (child.LinkTarget is not null)
                {
                    note($"skipped {shown}: symbolic link (not followed)");
                }
                else if (child is DirectoryInfo directory)
                {
                    pending.Push((directory, childRelative));
                }
                else if (SpecialFiles.IsSpecial(child.FullName))
                {
                    note($"skipped {shown}: not a regular file (FIFO, socket or device)");
                }
                else
                {
                    found.Add((childRelative, new VerifyInput(shown, child.FullName, null)));
                }
            }
        }

        return found.OrderBy(f => f.Relative, StringComparer.Ordinal).Select(f => f.Input);
    }
}
