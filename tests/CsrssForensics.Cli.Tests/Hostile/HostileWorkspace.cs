using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using CsrssForensics.Bundle;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Cli.Tests.Hostile;

/// <summary>
/// One temporary work folder per hostile case: <c>evidence/</c> holds the hostile bundle (folder or zip),
/// <c>outside/</c> holds a file that must never change, <c>out/</c> is the only folder the analyzer may write.
/// </summary>
internal sealed class HostileWorkspace : IDisposable
{
    /// <summary>The base: a compromised bundle (a fake csrsss.exe started by a Run key), exit 1 when analysed as is.</summary>
    public const string BaseFixture = "csrsss-runkey";

    private const long LargeFile = 64L * 1024 * 1024;

    private readonly List<IDisposable> _kept = [];

    public HostileWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "csrss-hostile-" + Guid.NewGuid().ToString("N"));
        Evidence = Path.Combine(Root, "evidence");
        Outside = Path.Combine(Root, "outside");
        Output = Path.Combine(Root, "out");
        Directory.CreateDirectory(Evidence);
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Outside, "secret.txt"), "outside the bundle\n");
    }

    public string Root { get; }

    public string Evidence { get; }

    public string Outside { get; }

    public string Output { get; }

    /// <summary>A copy of the base fixture as the folder <c>evidence/bundle</c>, sealed as shipped.</summary>
    public string BaseFolder()
    {
        var target = Path.Combine(Evidence, "bundle");
        var source = TestEnvironment.PathOf("fixtures", "bundles", BaseFixture);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return target;
    }

    /// <summary>The base fixture's files by entry name.</summary>
    public static SortedDictionary<string, byte[]> BaseEntries()
    {
        var source = TestEnvironment.PathOf("fixtures", "bundles", BaseFixture);
        var entries = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            entries[Path.GetRelativePath(source, file).Replace(Path.DirectorySeparatorChar, '/')] = File.ReadAllBytes(file);
        }

        return entries;
    }

    /// <summary>Writes <c>evidence/bundle.zip</c> with exactly these entries (names not checked) and returns its path.</summary>
    public string Zip(IEnumerable<KeyValuePair<string, byte[]>> entries, Action<ZipArchiveEntry>? tweak = null, CompressionLevel level = CompressionLevel.Optimal)
    {
        var path = Path.Combine(Evidence, "bundle.zip");
        using (var file = File.Create(path))
        using (var archive = new ZipArchive(file, ZipArchiveMode.Create))
        {
            foreach (var (name, bytes) in entries)
            {
                var entry = archive.CreateEntry(name, level);
                tweak?.Invoke(entry);
                using var stream = entry.Open();
                stream.Write(bytes);
            }
        }

        return path;
    }

    /// <summary>Rewrites manifest.json so it lists every regular file in the folder (as the collector would).</summary>
    public static void Seal(string folder) =>
        File.WriteAllBytes(Path.Combine(folder, "manifest.json"), Manifest(TestManifest.RecordsOf(folder)));

    /// <summary>A manifest in the base fixture's shape listing <paramref name="files"/>.</summary>
    public static byte[] Manifest(IEnumerable<Dictionary<string, object>> files) =>
        TestManifest.Bytes(files, "hostile-suite", "WS-0142", "2026-11-20T08:15:00Z", indented: false);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>
    /// Every name under <see cref="Root"/> except <c>out/</c>, with the SHA-256 of regular files and the target of
    /// links. Never opens a FIFO, socket or device and never follows a link; a name that cannot be opened is listed as such.
    /// </summary>
    public string Snapshot()
    {
        var lines = new List<string>();
        Walk(Root, lines);
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    /// <summary>Bytes of every regular file under <c>evidence/</c> (the cost proxy's denominator).</summary>
    public long EvidenceBytes() =>
        Directory.EnumerateFiles(Evidence, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Where(f => !SpecialFiles.IsSpecial(f))
            .Sum(f => SafeLength(f));

    /// <summary>Keeps <paramref name="resource"/> (say, a bound socket whose file must exist) until the case ends.</summary>
    public void KeepUntilDisposed(IDisposable resource) => _kept.Add(resource);

    public void Dispose()
    {
        foreach (var resource in _kept)
        {
            resource.Dispose();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder is harmless; a failed cleanup must not fail the case.
        }
    }

    private void Walk(string folder, List<string> lines)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(folder))
        {
            if (path == Output)
            {
                continue;
            }

            var relative = Path.GetRelativePath(Root, path);
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target)
            {
                lines.Add($"{relative} -> {target}");
            }
            else if (Directory.Exists(path))
            {
                lines.Add(relative + "/");
                try
                {
                    Walk(path, lines);
                }
                catch (IOException)
                {
                    lines.Add(relative + "/ (cannot be listed by this name)");
                }
            }
            else if (SpecialFiles.IsSpecial(path))
            {
                lines.Add(relative + " (special)");
            }
            else if (info.Length > LargeFile)
            {
                // A sparse file of hundreds of MB: its size and time stand for it (hashing would read every zero).
                lines.Add($"{relative} {info.Length} {info.LastWriteTimeUtc.Ticks}");
            }
            else
            {
                lines.Add($"{relative} {Hash(path)}");
            }
        }
    }

    private static string Hash(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Convert.ToHexString(SHA256.HashData(stream));
        }
        catch (IOException)
        {
            return "(cannot be opened by this name)";
        }
    }

    private static long SafeLength(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
