using System.Collections.Immutable;
using CsrssForensics.Core.Paths;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>
/// Everything that ties one piece of a snapshot to another: which launcher starts which file, which process is the
/// real parent of which, what else sits in a suspicious copy's folder. Built once per snapshot; read-only after.
/// </summary>
public sealed partial class Correlation
{
    private readonly string _systemRoot;
    private readonly List<ResolvedLauncher> _launchers;
    private readonly Dictionary<string, List<ResolvedLauncher>> _launchersByPath = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ResolvedLauncher>> _ifeoByImageName = new(StringComparer.Ordinal);

    private Correlation(BundleSnapshot snapshot)
    {
        _systemRoot = WindowsPath.Normalize(snapshot.Host?.SystemRoot) ?? WindowsPath.DefaultSystemRoot;
        _processes = snapshot.Processes.IsDefault ? [] : snapshot.Processes;
        IndexProcesses();
        IndexFiles(snapshot);
        _launchers = new LauncherResolver(snapshot, this).ResolveAll();
        IndexLaunchers();
    }

    /// <summary>Every task action, Run/RunOnce/Policies Run value, service, IFEO debugger, WMI consumer, Startup item,
    /// Winlogon and AppInit entry, with its resolved target and findings, in a stable order.</summary>
    public IReadOnlyList<ResolvedLauncher> Launchers => _launchers;

    /// <summary>Correlates one snapshot. Never throws on hostile content; a snapshot with default arrays is treated as empty.</summary>
    public static Correlation Build(BundleSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new Correlation(Sanitize(snapshot));
    }

    /// <summary>
    /// The launchers that start the file or process image at <paramref name="normalizedPath"/>: matched by the
    /// resolved target, by any other path the command names (a task <c>wscript C:\x\run.vbs</c> links run.vbs;
    /// <c>cmd /c start C:\x\csrss.exe</c> links csrss.exe; a decoded PowerShell script's paths), and, for an IFEO
    /// debugger, by the file name of the image it hijacks. In <see cref="Launchers"/> order.
    /// </summary>
    public ImmutableArray<LauncherLink> LaunchersOf(string normalizedPath)
    {
        ArgumentNullException.ThrowIfNull(normalizedPath);
        var key = KeyOf(normalizedPath);
        if (key is null)
        {
            return [];
        }

        var matched = new HashSet<ResolvedLauncher>(ReferenceEqualityComparer.Instance);
        if (_launchersByPath.TryGetValue(key, out var byPath))
        {
            matched.UnionWith(byPath);
        }

        if (WindowsPath.FileName(normalizedPath) is { } name && _ifeoByImageName.TryGetValue(WindowsPath.Key(name), out var byName))
        {
            matched.UnionWith(byName);
        }

        if (matched.Count == 0)
        {
            return [];
        }

        var links = ImmutableArray.CreateBuilder<LauncherLink>(matched.Count);
        foreach (var launcher in _launchers)
        {
            if (matched.Contains(launcher))
            {
                links.Add(launcher.ToLink());
            }
        }

        return links.MoveToImmutable();
    }

    /// <summary>Every normalised path known from files.csv and process images.</summary>
    internal IEnumerable<string> KnownPaths => _knownPaths;

    private void IndexLaunchers()
    {
        foreach (var launcher in _launchers)
        {
            var keys = new HashSet<string>(StringComparer.Ordinal);
            if (launcher.Target is { } target && !target.Contains("://", StringComparison.Ordinal))
            {
                keys.Add(WindowsPath.Key(target));
            }

            foreach (var path in launcher.ReferencedPaths)
            {
                keys.Add(WindowsPath.Key(path));
            }

            foreach (var key in keys)
            {
                Add(_launchersByPath, key, launcher);
            }

            if (launcher.HijackedImageName is { } image)
            {
                Add(_ifeoByImageName, WindowsPath.Key(image), launcher);
            }
        }

        static void Add(Dictionary<string, List<ResolvedLauncher>> index, string key, ResolvedLauncher launcher)
        {
            if (!index.TryGetValue(key, out var list))
            {
                list = [];
                index[key] = list;
            }

            list.Add(launcher);
        }
    }

    private string? Normalize(string? raw) => WindowsPath.Normalize(raw, _systemRoot);

    // A snapshot built by hand (tests, other tools) may leave arrays default; the bundle reader never does.
    private static BundleSnapshot Sanitize(BundleSnapshot snapshot) => snapshot with
    {
        Processes = snapshot.Processes.IsDefault ? [] : snapshot.Processes,
        Files = snapshot.Files.IsDefault ? [] : snapshot.Files,
        Tasks = snapshot.Tasks.IsDefault
            ? []
            : [.. snapshot.Tasks.Select(t => t.Actions.IsDefault ? t with { Actions = [] } : t)],
        Autoruns = snapshot.Autoruns.IsDefault ? [] : snapshot.Autoruns,
        MissingParts = snapshot.MissingParts.IsDefault ? [] : snapshot.MissingParts,
    };
}
