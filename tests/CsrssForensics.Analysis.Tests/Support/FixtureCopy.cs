using CsrssForensics.Bundle;
using CsrssForensics.Core.Report;

namespace CsrssForensics.Analysis.Tests.Support;

/// <summary>
/// A copy of a committed fixture bundle in a temporary folder, deleted on dispose. The manifest is removed unless asked
/// to keep it, so edits do not also read as integrity failures.
/// </summary>
public sealed class FixtureCopy : IDisposable
{
    public FixtureCopy(string scenario, bool keepManifest = false)
    {
        Folder = Path.Combine(Path.GetTempPath(), "csrss-fixture-copy-" + Guid.NewGuid().ToString("N"));
        var source = RepositoryPaths.Fixture("bundles", scenario);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Folder, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        if (!keepManifest)
        {
            File.Delete(Path.Combine(Folder, "manifest.json"));
        }
    }

    public string Folder { get; }

    public FixtureCopy Write(string entry, string text)
    {
        var target = Path.Combine(Folder, entry);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, text);
        return this;
    }

    public FixtureCopy Delete(string entry)
    {
        File.Delete(Path.Combine(Folder, entry));
        return this;
    }

    /// <summary>Rewrites one text entry line by line.</summary>
    public FixtureCopy Edit(string entry, Func<string, string> edit)
    {
        var target = Path.Combine(Folder, entry);
        File.WriteAllText(target, edit(File.ReadAllText(target)));
        return this;
    }

    public AnalysisReport Analyze()
    {
        using var bundle = BundleReader.Open(Folder);
        return BundleAnalyzer.Analyze(bundle);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
