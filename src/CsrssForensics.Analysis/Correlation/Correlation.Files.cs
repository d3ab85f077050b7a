using System.Collections.Immutable;
using CsrssForensics.Analysis.Composition;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Windows.Paths;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Reporting.Wording;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>Files on the host as the bundle knows them: files.csv rows and process images, by name and by folder.</summary>
public sealed partial class Correlation
{
    // Every normalised path the bundle names, to its first files.csv row (null for a process image alone). Keyed by
    // the path itself, case-insensitively (see PathGroups), so no upper-case copy is held per row.
    private readonly Dictionary<string, FileRecord?> _knownFiles = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> _byProfileRelative = new(StringComparer.Ordinal);
    private readonly List<HostFile> _hostFiles = [];
    private readonly PathGroups _filesByName = new();
    private readonly PathGroups _filesByFolder = new();
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
        var distinct = name is null ? [] : DistinctCopies(name);
        if (distinct.Count == 0)
        {
            return [];
        }

        var excluded = WindowsPath.Normalize(excludeNormalizedPath);
        var paths = ImmutableArray.CreateBuilder<string>();
        foreach (var file in distinct)
        {
            if (excluded is not null && string.Equals(file.Path, excluded, StringComparison.OrdinalIgnoreCase))
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
        var self = WindowsPath.Normalize(normalizedPath);
        var folder = WindowsPath.Normalize(WindowsPath.Directory(normalizedPath));
        if (self is null || folder is null)
        {
            return [];
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var siblings = new List<SiblingFile>();
        var classifier = new SiblingClassifier(_copiedText);
        var members = _filesByFolder.Members(folder).Select(i => (File: _hostFiles[i], Key: WindowsPath.Key(_hostFiles[i].Path)));
        foreach (var (file, key) in members.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            // files.csv rows are indexed before process images and the sort is stable, so a files.csv row (with its
            // hash) wins.
            if (string.Equals(file.Path, self, StringComparison.OrdinalIgnoreCase) || !seen.Add(file.Path))
            {
                continue;
            }

            var kind = classifier.Classify(file.Path, _knownFiles.GetValueOrDefault(file.Path));
            var reasons = StartedBy(key) is { } startedBy ? kind.Reasons.Add(startedBy) : kind.Reasons;
            siblings.Add(SiblingReasons.With(new SiblingFile(file.Path, kind.Kind, file.Sha256, file.Evidence), reasons));
        }

        siblings.Sort((x, y) => ComparePaths(x.Path, y.Path));
        return [.. siblings];
    }

    // "started by service 'WinRing0_1_2_0'": the launcher that loads a driver or DLL beside a fake is the next thing
    // to remove, and the reader should not have to match paths by hand.
    private ReportLine? StartedBy(string key)
    {
        if (!_launchersByPath.TryGetValue(key, out var launchers))
        {
            return null;
        }

        var names = launchers.Select(l => $"{l.Kind} '{l.Name}'").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return ReportWording.Line(ContextLineCodes.SiblingStartedBy, ("launchers", string.Join(", ", names)));
    }

    /// <summary>The normalised image path of a process, or null when the host gave none.</summary>
    internal string? ImageOf(ProcessRecord process) =>
        _images.TryGetValue(process, out var image) ? image : Normalize(process.ImagePath);

    /// <summary>The files.csv row for a normalised path, if the collector listed it.</summary>
    internal FileRecord? FileRecordOf(string? normalizedPath) =>
        WindowsPath.Normalize(normalizedPath) is { } path ? _knownFiles.GetValueOrDefault(path) : null;

    /// <summary>True when files.csv or a process image names this normalised path.</summary>
    internal bool IsKnownFile(string? normalizedPath) =>
        WindowsPath.Normalize(normalizedPath) is { } path && _knownFiles.ContainsKey(path);

    private void IndexFiles(BundleSnapshot snapshot)
    {
        foreach (var file in snapshot.Files)
        {
            if (Normalize(file.Path) is not { } path)
            {
                continue;
            }

            AddHostFile(new HostFile(path, file.Sha256, file.Source), file, ReferenceEquals(path, file.Path));
        }

        foreach (var process in _processes)
        {
            var image = Normalize(process.ImagePath);
            _images[process] = image;
            if (image is not null)
            {
                AddHostFile(new HostFile(image, null, process.Source), null, ReferenceEquals(image, process.ImagePath));
            }
        }
    }

    // alreadyNormal: Normalize returned the row's own string, so name and folder need no second normalization.
    private void AddHostFile(HostFile file, FileRecord? record, bool alreadyNormal)
    {
        if (_knownFiles.TryAdd(file.Path, record) && IsUnderUsers(file.Path)
            && ProfileRelativeKey(WindowsPath.Key(file.Path)) is { } relative)
        {
            if (!_byProfileRelative.TryGetValue(relative, out var paths))
            {
                paths = [];
                _byProfileRelative[relative] = paths;
            }

            paths.Add(file.Path);
        }

        var item = _hostFiles.Count;
        _hostFiles.Add(file);
        if ((alreadyNormal ? WindowsPath.FileNameOfNormalized(file.Path) : WindowsPath.FileName(file.Path)) is { } name)
        {
            AddToGroup(_filesByName, item, file.Path, name, file.Path.EndsWith(name, StringComparison.Ordinal) ? file.Path.Length - name.Length : -1);
        }

        if ((alreadyNormal ? WindowsPath.DirectoryOfNormalized(file.Path) : WindowsPath.Directory(file.Path)) is { } folder)
        {
            AddToGroup(_filesByFolder, item, file.Path, folder, file.Path.StartsWith(folder, StringComparison.Ordinal) ? 0 : -1);
        }

        // A group is keyed by the part's place in the path when it is there verbatim (always, for a normal path), else
        // by the part itself.
        static void AddToGroup(PathGroups groups, int item, string path, string part, int start)
        {
            if (start >= 0)
            {
                groups.Add(item, path, start, part.Length);
            }
            else
            {
                groups.Add(item, part, 0, part.Length);
            }
        }
    }

    // The cheap test before ProfileRelativeKey, which needs the upper-case key: only profile paths pay for one.
    private static bool IsUnderUsers(string path) =>
        path.Length >= 10 && path[1] == ':' && path.AsSpan(2).StartsWith(@"\Users\", StringComparison.OrdinalIgnoreCase);

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
    private sealed record HostFile(string Path, string? Sha256, EvidenceRef Evidence);
}
