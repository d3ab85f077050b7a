using System.Collections.Immutable;
using CsrssForensics.Analysis.Signatures;
using CsrssForensics.Windows.Paths;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Rules;

namespace CsrssForensics.Analysis.Composition;

/// <summary>
/// Picks the subjects a verdict is due for (processes and files named like a core process or a look-alike) and
/// gathers, for each, everything the rules may know about it.
/// </summary>
internal sealed class SubjectCollector
{
    private readonly BundleSnapshot _snapshot;
    private readonly RuleSet _rules;
    private readonly BinaryExaminer _examiner;
    private readonly Correlation.Correlation _correlation;
    private readonly string? _systemRoot;

    public SubjectCollector(BundleSnapshot snapshot, RuleSet rules, BinaryExaminer examiner, Correlation.Correlation correlation)
    {
        _snapshot = snapshot;
        _rules = rules;
        _examiner = examiner;
        _correlation = correlation;
        _systemRoot = snapshot.Host?.SystemRoot;
    }

    /// <summary>The contexts, processes first in snapshot order, then files in snapshot order.</summary>
    public ImmutableArray<SubjectContext> Collect()
    {
        var contexts = ImmutableArray.CreateBuilder<SubjectContext>();
        var processes = ProcessesToJudge();
        var filePaths = NormalizedFilePaths();
        var imageFiles = FilesOf(processes, filePaths);
        foreach (var (process, image, imageName) in processes)
        {
            var file = image is null ? null : imageFiles.GetValueOrDefault(image);
            var examination = file is null
                ? new BinaryExamination(null, HostSignatureInterpreter.Nothing(process.Source))
                : _examiner.Examine(file);
            contexts.Add(new SubjectContext(
                new Subject(SubjectKind.Process, process.Name, image, process.Pid),
                process,
                file,
                examination.Signature,
                examination.Binary,
                _correlation.LivingParentOf(process),
                _correlation.ParentPidReused(process),
                _correlation.ChildrenOf(process),
                _correlation.SameNameInSameSession(process),
                _correlation.SameNameCopies(imageName ?? process.Name, image),
                image is null ? [] : _correlation.LaunchersOf(image),
                _snapshot.Host));
        }

        for (var row = 0; row < filePaths.Length; row++)
        {
            var file = _snapshot.Files[row];
            var path = filePaths[row];
            var name = path is null ? null : NameOf(path, file.Path);
            if (path is null || !_rules.AppliesTo(name))
            {
                continue;
            }

            var examination = _examiner.Examine(file);
            contexts.Add(new SubjectContext(
                new Subject(SubjectKind.File, name!, path, null),
                null,
                file,
                examination.Signature,
                examination.Binary,
                null,
                false,
                [],
                [],
                _correlation.SameNameCopies(name!, path),
                _correlation.LaunchersOf(path),
                _snapshot.Host));
        }

        return contexts.ToImmutable();
    }

    private List<(ProcessRecord Process, string? Image, string? ImageName)> ProcessesToJudge()
    {
        var processes = new List<(ProcessRecord, string?, string?)>();
        foreach (var process in _snapshot.Processes)
        {
            var image = WindowsPath.Normalize(process.ImagePath, _systemRoot);
            var imageName = image is null ? null : NameOf(image, process.ImagePath!);
            if (_rules.AppliesTo(process.Name) || _rules.AppliesTo(imageName))
            {
                processes.Add((process, image, imageName));
            }
        }

        return processes;
    }

    // Every files.csv row's normalized path, by row: the image lookup and the file subjects both need it, and
    // normalizing a row is most of what either costs.
    private string?[] NormalizedFilePaths()
    {
        var files = _snapshot.Files.IsDefault ? [] : _snapshot.Files;
        var paths = new string?[files.Length];
        for (var row = 0; row < files.Length; row++)
        {
            paths[row] = WindowsPath.Normalize(files[row].Path, _systemRoot);
        }

        return paths;
    }

    // WindowsPath.FileName(path), which normalizes again with the default root; a path Normalize returned as the
    // row's own string was already normal, so normalizing it again returns it unchanged and that step is skipped.
    private static string? NameOf(string path, string rowPath) =>
        ReferenceEquals(path, rowPath) ? WindowsPath.FileNameOfNormalized(path) : WindowsPath.FileName(path);

    // The files.csv rows of those images only (first row per path wins): an index of every row cost ~150 bytes each
    // and was needed for a handful. OrdinalIgnoreCase matches exactly what equal WindowsPath.Key values matched.
    private Dictionary<string, FileRecord> FilesOf(List<(ProcessRecord Process, string? Image, string? ImageName)> processes, string?[] filePaths)
    {
        var wanted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (_, image, _) in processes)
        {
            if (image is not null)
            {
                wanted.Add(image);
            }
        }

        var files = new Dictionary<string, FileRecord>(StringComparer.OrdinalIgnoreCase);
        if (wanted.Count == 0)
        {
            return files;
        }

        for (var row = 0; row < filePaths.Length; row++)
        {
            if (filePaths[row] is { } path && wanted.Contains(path))
            {
                files.TryAdd(path, _snapshot.Files[row]);
            }
        }

        return files;
    }
}
