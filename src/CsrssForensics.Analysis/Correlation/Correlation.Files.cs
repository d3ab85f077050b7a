using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Windows.Paths;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>Files on the host as the bundle knows them: files.csv rows and process images, by name and by folder.</summary>
public sealed partial class Correlation
{
    private readonly HashSet<string> _knownKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _byProfileRelative = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<HostFile>> _filesByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<HostFile>> _filesByFolder = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileRecord> _fileRecordsByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<ProcessRecord, string?> _images = [];

    /// <summary>
    /// Normalised paths of every file (files.csv) and process image whose file name is <paramref name="fileName"/>
    /// (case-insensitive), each path once, without <paramref name="excludeNormalizedPath"/>; ordinal order.
    /// </summary>
    /// <param name="fileName">A bare name (<c>csrss.exe</c>) or a path, whose last segment is used.</param>
    public ImmutableArray<string> SameNameCopies(string fileName, string? excludeNormalizedPath)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var name = WindowsPath.FileName(fileName);
        if (name is null || !_filesByName.TryGetValue(WindowsPath.Key(name), out var files))
        {
            return [];
        }

        var excluded = KeyOf(excludeNormalizedPath);
        var distinct = DistinctCopies(WindowsPath.Key(name), files);
        var paths = ImmutableArray.CreateBuilder<string>();
        foreach (var file in distinct)
        {
            if (file.Key == excluded)
            {
                continue;
            }

            if (paths.Count == MaxRelatedListed)
            {
                // Copies come from files.csv rows and process images alike; files.csv is where most of them are listed.
                NoteCap($"Copies named {name}", distinct.Count - (excluded is null ? 0 : 1), "files.csv");
                break;
            }

            paths.Add(file.Path);
        }

        return paths.ToImmutable();
    }

    /// <summary>
    /// Every other file in the same folder as <paramref name="normalizedPath"/> that files.csv or a process image
    /// names, each with its kind, the reason it matters (a driver, a side-loading DLL, a configuration naming a
    /// mining pool or wallet; see <see cref="SiblingClassifier"/>) and its evidence row; ordinal order by path.
    /// Sub-folders are not included.
    /// </summary>
    public ImmutableArray<SiblingFile> SiblingsOf(string normalizedPath)
    {
        ArgumentNullException.ThrowIfNull(normalizedPath);
        var self = KeyOf(normalizedPath);
        var folder = KeyOf(WindowsPath.Directory(normalizedPath));
        if (self is null || folder is null || !_filesByFolder.TryGetValue(folder, out var files))
        {
            return [];
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var siblings = new List<SiblingFile>();
        var classifier = new SiblingClassifier(_copiedText);
        foreach (var file in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            // files.csv rows are indexed before process images and the sort is stable, so a files.csv row (with its
            // hash) wins.
            if (file.Key == self || !seen.Add(file.Key))
            {
                continue;
            }

            var kind = classifier.Classify(file.Path, _fileRecordsByKey.GetValueOrDefault(file.Key));
            siblings.Add(new SiblingFile(file.Path, kind.Kind, file.Sha256, file.Evidence) { Reason = kind.Reason + StartedBy(file.Key) });
        }

        siblings.Sort((x, y) => ComparePaths(x.Path, y.Path));
        return [.. siblings];
    }

    // "; started by service 'WinRing0_1_2_0'": the launcher that loads a driver or DLL beside a fake is the next
    // thing to remove, and the reader should not have to match paths by hand.
    private string StartedBy(string key)
    {
        if (!_launchersByPath.TryGetValue(key, out var launchers))
        {
            return string.Empty;
        }

        var names = launchers.Select(l => $"{l.Kind} '{l.Name}'").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return "; started by " + string.Join(", ", names);
    }

    /// <summary>The normalised image path of a process, or null when the host gave none.</summary>
    internal string? ImageOf(ProcessRecord process) =>
        _images.TryGetValue(process, out var image) ? image : Normalize(process.ImagePath);

    /// <summary>The files.csv row for a normalised path, if the collector listed it.</summary>
    internal FileRecord? FileRecordOf(string? normalizedPath) =>
        KeyOf(normalizedPath) is { } key && _fileRecordsByKey.TryGetValue(key, out var file) ? file : null;

    /// <summary>True when files.csv or a process image names this normalised path.</summary>
    internal bool IsKnownFile(string? normalizedPath) =>
        KeyOf(normalizedPath) is { } key && _knownKeys.Contains(key);

    private void IndexFiles(BundleSnapshot snapshot)
    {
        foreach (var file in snapshot.Files)
        {
            if (Normalize(file.Path) is not { } path)
            {
                continue;
            }

            var key = WindowsPath.Key(path);
            _fileRecordsByKey.TryAdd(key, file);
            AddHostFile(new HostFile(path, key, file.Sha256, file.Source));
        }

        foreach (var process in _processes)
        {
            var image = Normalize(process.ImagePath);
            _images[process] = image;
            if (image is not null)
            {
                AddHostFile(new HostFile(image, WindowsPath.Key(image), null, process.Source));
            }
        }
    }

    private void AddHostFile(HostFile file)
    {
        if (_knownKeys.Add(file.Key))
        {
            if (ProfileRelativeKey(file.Key) is { } relative)
            {
                Add(_byProfileRelative, relative, file.Path);
            }
        }

        if (WindowsPath.FileName(file.Path) is { } name)
        {
            Add(_filesByName, WindowsPath.Key(name), file);
        }

        if (WindowsPath.Directory(file.Path) is { } folder)
        {
            Add(_filesByFolder, WindowsPath.Key(folder), file);
        }

        static void Add<T>(Dictionary<string, List<T>> index, string key, T file)
        {
            if (!index.TryGetValue(key, out var list))
            {
                list = [];
                index[key] = list;
            }

            list.Add(file);
        }
    }

    /// <summary>
    /// Known paths <c>X:\Users\&lt;anyone&gt;&lt;relative&gt;</c>: where a <c>%APPDATA%\x.exe</c> launcher with no
    /// known user can point.
    /// </summary>
    /// <param name="relative">The part after the profile folder, starting with a backslash (<c>\AppData\Roaming\x.exe</c>).</param>
    internal IReadOnlyList<string> PathsUnderAnyProfile(string relative)
    {
        var key = KeyOf(relative);
        return key is not null && _byProfileRelative.TryGetValue(key, out var paths) ? paths : [];
    }

    // "C:\USERS\BOB\APPDATA\X.EXE" -> "\APPDATA\X.EXE"; null for paths outside a profile.
    private static string? ProfileRelativeKey(string key)
    {
        if (key.Length < 10 || key[1] != ':' || !key.AsSpan(2).StartsWith(@"\USERS\", StringComparison.Ordinal))
        {
            return null;
        }

        var profileEnd = key.IndexOf('\\', 9);
        return profileEnd < 0 ? null : key[profileEnd..];
    }

    private static string? KeyOf(string? path) =>
        WindowsPath.Normalize(path) is { } normalized ? WindowsPath.Key(normalized) : null;

    private static int ComparePaths(string x, string y)
    {
        var byKey = string.CompareOrdinal(WindowsPath.Key(x), WindowsPath.Key(y));
        return byKey != 0 ? byKey : string.CompareOrdinal(x, y);
    }

    /// <summary>One path the bundle knows about, with where it was seen.</summary>
    private sealed record HostFile(string Path, string Key, string? Sha256, EvidenceRef Evidence);
}
