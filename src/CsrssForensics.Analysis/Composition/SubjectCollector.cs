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
    private readonly Dictionary<string, FileRecord> _filesByKey = new(StringComparer.Ordinal);

    public SubjectCollector(BundleSnapshot snapshot, RuleSet rules, BinaryExaminer examiner, Correlation.Correlation correlation)
    {
        _snapshot = snapshot;
        _rules = rules;
        _examiner = examiner;
        _correlation = correlation;
        _systemRoot = snapshot.Host?.SystemRoot;
        foreach (var file in snapshot.Files)
        {
            var path = WindowsPath.Normalize(file.Path, _systemRoot);
            if (path is not null)
            {
                // The first row for a path wins; later duplicates add nothing new for the verdict.
                _filesByKey.TryAdd(WindowsPath.Key(path), file);
            }
        }
    }

    /// <summary>The contexts, processes first in snapshot order, then files in snapshot order.</summary>
    public ImmutableArray<SubjectContext> Collect()
    {
        var contexts = ImmutableArray.CreateBuilder<SubjectContext>();
        foreach (var process in _snapshot.Processes)
        {
            var image = WindowsPath.Normalize(process.ImagePath, _systemRoot);
            var imageName = image is null ? null : WindowsPath.FileName(image);
            if (!_rules.AppliesTo(process.Name) && !_rules.AppliesTo(imageName))
            {
                continue;
            }

            var file = image is null ? null : _filesByKey.GetValueOrDefault(WindowsPath.Key(image));
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

        foreach (var file in _snapshot.Files)
        {
            var path = WindowsPath.Normalize(file.Path, _systemRoot);
            var name = path is null ? null : WindowsPath.FileName(path);
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
}
