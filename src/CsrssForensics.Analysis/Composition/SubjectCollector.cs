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

    /// <summary>
    /// How many cores normalise the rows, match their names and gather each subject's correlation (each row or subject
    /// on its own, into its own slot, so the contexts are the same on any core count). Binaries are examined in order.
    /// </summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>The contexts, processes first in snapshot order, then files in snapshot order.</summary>
    public ImmutableArray<SubjectContext> Collect()
    {
        var processes = ProcessesToJudge();
        var (filePaths, fileNames) = FileRows();
        var imageFiles = FilesOf(processes, filePaths);
        var fileRows = new List<int>();
        for (var row = 0; row < filePaths.Length; row++)
        {
            if (filePaths[row] is not null && fileNames[row] is not null)
            {
                fileRows.Add(row);
            }
        }

        // Binaries are examined one after another in subject order (the examiner reads the bundle and reports
        // anomalies in that order); what the correlation says about each subject is then gathered on every core,
        // each subject into its own slot.
        var examined = new (FileRecord? File, BinaryExamination Examination)[processes.Count + fileRows.Count];
        for (var index = 0; index < processes.Count; index++)
        {
            var (process, image, _) = processes[index];
            var file = image is null ? null : imageFiles.GetValueOrDefault(image);
            examined[index] = (file, file is null
                ? new BinaryExamination(null, HostSignatureInterpreter.Nothing(process.Source))
                : _examiner.Examine(file));
        }

        for (var index = 0; index < fileRows.Count; index++)
        {
            var file = _snapshot.Files[fileRows[index]];
            examined[processes.Count + index] = (file, _examiner.Examine(file));
        }

        var contexts = new SubjectContext[examined.Length];
        Parallel.For(0, contexts.Length, Cores, index => contexts[index] = index < processes.Count
            ? ProcessContext(processes[index], examined[index].File, examined[index].Examination)
            : FileContext(filePaths[fileRows[index - processes.Count]]!, fileNames[fileRows[index - processes.Count]]!, examined[index].File!, examined[index].Examination));
        return [.. contexts];
    }

    private SubjectContext ProcessContext((ProcessRecord Process, string? Image, string? ImageName) judged, FileRecord? file, BinaryExamination examination)
    {
        var (process, image, imageName) = judged;
        return new SubjectContext(
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
            _snapshot.Host);
    }

    private SubjectContext FileContext(string path, string name, FileRecord file, BinaryExamination examination) => new(
        new Subject(SubjectKind.File, name, path, null),
        null,
        file,
        examination.Signature,
        examination.Binary,
        null,
        false,
        [],
        [],
        _correlation.SameNameCopies(name, path),
        _correlation.LaunchersOf(path),
        _snapshot.Host);

    private List<(ProcessRecord Process, string? Image, string? ImageName)> ProcessesToJudge()
    {
        var all = _snapshot.Processes;
        var judged = new (string? Image, string? ImageName, bool Applies)[all.Length];
        Parallel.For(0, all.Length, Cores, row =>
        {
            var process = all[row];
            var image = WindowsPath.Normalize(process.ImagePath, _systemRoot);
            var imageName = image is null ? null : NameOf(image, process.ImagePath!);
            judged[row] = (image, imageName, _rules.AppliesTo(process.Name) || _rules.AppliesTo(imageName));
        });

        var processes = new List<(ProcessRecord, string?, string?)>();
        for (var row = 0; row < all.Length; row++)
        {
            if (judged[row].Applies)
            {
                processes.Add((all[row], judged[row].Image, judged[row].ImageName));
            }
        }

        return processes;
    }

    // Every files.csv row's normalized path, by row (the image lookup and the file subjects both need it; normalizing
    // a row is most of what either costs), and its file name when the rules apply to that name, else null.
    private (string?[] Paths, string?[] Names) FileRows()
    {
        var files = _snapshot.Files.IsDefault ? [] : _snapshot.Files;
        var paths = new string?[files.Length];
        var names = new string?[files.Length];
        Parallel.For(0, files.Length, Cores, row =>
        {
            var path = WindowsPath.Normalize(files[row].Path, _systemRoot);
            paths[row] = path;
            var name = path is null ? null : NameOf(path, files[row].Path);
            names[row] = _rules.AppliesTo(name) ? name : null;
        });

        return (paths, names);
    }

    // Each row writes only its own slot, so the result is the same on any number of cores.
    private ParallelOptions Cores => new() { MaxDegreeOfParallelism = Math.Max(1, Parallelism) };

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
