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
    // Sized in IndexFiles from the row count: grown one doubling at a time, they rehashed every row several times.
    private readonly Dictionary<string, List<string>> _byProfileRelative = new(StringComparer.Ordinal);
    private Dictionary<string, FileRecord?> _knownFiles = new(StringComparer.OrdinalIgnoreCase);
    private List<HostFile> _hostFiles = [];
    private PathGroups _filesByName = new();
    private PathGroups _filesByFolder = new();

    // The name and folder groups are built on another core while the launchers are resolved (nothing during
    // construction reads them); each is filled in row order by one thread, so the result never depends on timing.
    private Task _fileGroupsBuilt = Task.CompletedTask;
    private Dictionary<ProcessRecord, string?> _images = new(ProcessRecordComparer.Instance);

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

        JoinFileGroups();
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

    private void IndexFiles(BundleSnapshot snapshot, int parallelism)
    {
        var files = snapshot.Files.IsDefault ? 0 : snapshot.Files.Length;
        var processes = _processes.IsDefault ? 0 : _processes.Length;
        var items = files + processes;
        _knownFiles = new(items, StringComparer.OrdinalIgnoreCase);
        _hostFiles = new(items);
        _images = new(processes, ProcessRecordComparer.Instance);
        // Names repeat little; a folder holds several files, so a quarter is a start that seldom needs to grow.
        _filesByName = new(items, items);
        _filesByFolder = new(items, items / 4);
        // Normalising a row's path and cutting its profile-relative key depend on the row alone: done on every core,
        // each row into its own slot; the rows are then added in order on one (the first row of a path wins).
        var normalized = new (string? Path, string? ProfileKey)[files];
        Parallel.For(0, files, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, row =>
        {
            var path = Normalize(snapshot.Files[row].Path);
            normalized[row] = (path, path is null ? null : ProfileRelativeKey(path));
        });

        for (var row = 0; row < files; row++)
        {
            var file = snapshot.Files[row];
            if (normalized[row] is ({ } path, var profileKey))
            {
                AddHostFile(new HostFile(path, file.Sha256, file.Source, ReferenceEquals(path, file.Path)), file, profileKey);
            }
        }

        foreach (var process in _processes)
        {
            var image = Normalize(process.ImagePath);
            _images[process] = image;
            if (image is not null)
            {
                AddHostFile(new HostFile(image, null, process.Source, ReferenceEquals(image, process.ImagePath)), null, ProfileRelativeKey(image));
            }
        }

        // _hostFiles is complete and no longer written: the groups only read it.
        _fileGroupsBuilt = Task.Run(GroupFiles);
    }

    // Waits for the name and folder groups; every reader of them calls this first.
    private void JoinFileGroups() => _fileGroupsBuilt.GetAwaiter().GetResult();

    private void GroupFiles()
    {
        for (var item = 0; item < _hostFiles.Count; item++)
        {
            AddToGroups(item, _hostFiles[item]);
        }
    }

    // profileKey: ProfileRelativeKey(file.Path), made by the caller.
    private void AddHostFile(HostFile file, FileRecord? record, string? profileKey)
    {
        if (_knownFiles.TryAdd(file.Path, record) && profileKey is { } relative)
        {
            if (!_byProfileRelative.TryGetValue(relative, out var paths))
            {
                paths = [];
                _byProfileRelative[relative] = paths;
            }

            paths.Add(file.Path);
        }

        _hostFiles.Add(file);
    }

    // AlreadyNormal: Normalize returned the row's own string, so name and folder need no second normalization.
    private void AddToGroups(int item, HostFile file)
    {
        if (file.AlreadyNormal)
        {
            // The name and the folder are a suffix and a prefix of the path itself: grouped by slice, no new strings.
            var nameStart = WindowsPath.FileNameStartOfNormalized(file.Path);
            if (nameStart >= 0)
            {
                _filesByName.Add(item, file.Path, nameStart, file.Path.Length - nameStart);
            }

            var folderLength = WindowsPath.DirectoryLengthOfNormalized(file.Path);
            if (folderLength >= 0)
            {
                _filesByFolder.Add(item, file.Path, 0, folderLength);
            }

            return;
        }

        // Normalize rebuilt the row's path: name and folder are normalized again (with the default root), as always.
        if (WindowsPath.FileName(file.Path) is { } name)
        {
            AddToGroup(_filesByName, item, file.Path, name, file.Path.EndsWith(name, StringComparison.Ordinal) ? file.Path.Length - name.Length : -1);
        }

        if (WindowsPath.Directory(file.Path) is { } folder)
        {
            AddToGroup(_filesByFolder, item, file.Path, folder, file.Path.StartsWith(folder, StringComparison.Ordinal) ? 0 : -1);
        }

        // A group is keyed by the part's place in the path when it is there verbatim, else by the part itself.
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

    // "C:\Users\Bob\AppData\x.exe" -> "\APPDATA\X.EXE"; null for paths outside a profile. Only the relative part is
    // upper-cased: invariant upper case maps char by char and never makes or moves a backslash, so testing and
    // cutting the path gives what testing and cutting WindowsPath.Key(path) gave.
    private static string? ProfileRelativeKey(string path)
    {
        const string users = @"\USERS\";
        if (path.Length < 10 || path[1] != ':')
        {
            return null;
        }

        for (var i = 0; i < users.Length; i++)
        {
            if (char.ToUpperInvariant(path[2 + i]) != users[i])
            {
                return null;
            }
        }

        var profileEnd = path.IndexOf('\\', 9);
        return profileEnd < 0 ? null : WindowsPath.Key(path[profileEnd..]);
    }

    private static string? KeyOf(string? path) =>
        WindowsPath.Normalize(path) is { } normalized ? WindowsPath.Key(normalized) : null;

    private static int ComparePaths(string x, string y)
    {
        var byKey = string.CompareOrdinal(WindowsPath.Key(x), WindowsPath.Key(y));
        return byKey != 0 ? byKey : string.CompareOrdinal(x, y);
    }

    /// <summary>One path the bundle knows about, with where it was seen; AlreadyNormal when it is the row's own text.</summary>
    private readonly record struct HostFile(string Path, string? Sha256, EvidenceRef Evidence, bool AlreadyNormal);
}
