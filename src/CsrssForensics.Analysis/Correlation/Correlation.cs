using CsrssForensics.Rules.Locations;
using System.Collections.Immutable;
using CsrssForensics.Windows.CommandLines;
using CsrssForensics.Windows.Paths;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Rules;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>
/// Everything that ties one piece of a snapshot to another: which launcher starts which file, which process is the
/// real parent of which, what else sits in a suspicious copy's folder. Built once per snapshot; read-only after.
/// </summary>
public sealed partial class Correlation
{
    /// <summary>How many living ancestors <see cref="LaunchersOf(ProcessRecord)"/> looks through.</summary>
    internal const int MaxLauncherAncestors = 4;

    private readonly string _systemRoot;
    private readonly List<ResolvedLauncher> _launchers;
    private readonly Dictionary<ResolvedLauncher, int> _launcherPosition = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, List<ResolvedLauncher>> _launchersByPath = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ResolvedLauncher>> _ifeoByImageName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ResolvedLauncher>> _launchersByFolder = new(StringComparer.Ordinal);
    private readonly ICopiedFileText? _copiedText;

    private Correlation(BundleSnapshot snapshot, ICopiedFileText? copiedText, RuleSet rules, int parallelism)
    {
        Rules = rules;
        Names = new SystemNames(rules.CoreProcesses);
        _systemRoot = WindowsPath.Normalize(snapshot.Host?.SystemRoot) ?? WindowsPath.DefaultSystemRoot;
        _processes = snapshot.Processes;
        _copiedText = copiedText;
        // The process and session indexes and the file index share nothing: the first two are built on another core
        // while the files are indexed, and joined before anything reads them.
        var processIndexes = Task.Run(() =>
        {
            IndexProcesses();
            IndexSessions();
        });
        IndexFiles(snapshot, parallelism);
        processIndexes.GetAwaiter().GetResult();
        var resolved = new LauncherResolver(snapshot, this, parallelism).ResolveAll();
        (_launchers, _scriptChains) = WithScriptChains(resolved, new ScriptIndirection(this, copiedText, _systemRoot, _processes).Follow(resolved));
        IndexLaunchers();
    }

    /// <summary>Every task action, Run/RunOnce/Policies Run value, service, IFEO debugger, WMI consumer, Startup item,
    /// Winlogon and AppInit entry, with its resolved target and findings, in a stable order.</summary>
    public IReadOnlyList<ResolvedLauncher> Launchers => _launchers;

    /// <summary>Correlates one snapshot. Never throws on hostile content; a snapshot with default arrays is treated as empty.</summary>
    public static Correlation Build(BundleSnapshot snapshot) => Build(snapshot, null);

    /// <summary>
    /// Correlates one snapshot, reading copied scripts and configuration files through <paramref name="copiedText"/>
    /// (scripts a launcher runs, files beside a suspicious copy); null reads nothing.
    /// </summary>
    /// <param name="rules">Words the launcher findings and supplies the core-process names; the embedded rules when null.</param>
    /// <param name="parallelism">How many cores may resolve launchers at once; the result is the same for any value.</param>
    public static Correlation Build(BundleSnapshot snapshot, ICopiedFileText? copiedText, RuleSet? rules = null, int parallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new Correlation(snapshot, copiedText, rules ?? RuleSet.LoadEmbedded(), parallelism);
    }

    /// <summary>The rules whose data words the launcher findings.</summary>
    internal RuleSet Rules { get; }

    /// <summary>Core-process names from the rules' table, and system-sounding words.</summary>
    internal SystemNames Names { get; }

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

        return InLauncherOrder(matched);
    }

    /// <summary>
    /// The launchers behind a running process: those of its image (as <see cref="LaunchersOf(string)"/>), plus those
    /// that start what its living ancestors ran, up to four levels: the script a wrapper ancestor ran
    /// (<c>powershell -File C:\x\run.ps1</c> links the Startup item that starts run.ps1) and the image of an ancestor
    /// in a user-writable folder. In <see cref="Launchers"/> order.
    /// </summary>
    public ImmutableArray<LauncherLink> LaunchersOf(ProcessRecord process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var keys = new List<string>();
        if (KeyOf(ImageOf(process)) is { } imageKey)
        {
            keys.Add(imageKey);
        }

        var seen = new HashSet<ProcessRecord>(ProcessRecordComparer.Instance) { process };
        var current = process;
        for (var level = 0; level < MaxLauncherAncestors && LivingParentOf(current) is { } parent && seen.Add(parent); level++)
        {
            var resolved = CommandLine.ResolveTarget(parent.CommandLine, null);
            if (resolved.Via != "direct" && KeyOf(resolved.Target) is { } scriptKey)
            {
                keys.Add(scriptKey);
            }

            if (ImageOf(parent) is { } image && UserWritableFolders.Contains(image))
            {
                keys.Add(WindowsPath.Key(image));
            }

            current = parent;
        }

        var matched = new HashSet<ResolvedLauncher>(ReferenceEqualityComparer.Instance);
        foreach (var key in keys)
        {
            if (_launchersByPath.TryGetValue(key, out var byPath))
            {
                matched.UnionWith(byPath);
            }
        }

        if (ImageOf(process) is { } path && WindowsPath.FileName(path) is { } name
            && _ifeoByImageName.TryGetValue(WindowsPath.Key(name), out var byName))
        {
            matched.UnionWith(byName);
        }

        return InLauncherOrder(matched);
    }

    /// <summary>
    /// Launchers that start some other file in the same folder as <paramref name="normalizedPath"/> (not the file
    /// itself): the seed's "fake system-process malware often uses several files and one launcher", e.g. a Startup
    /// item that runs run.ps1 beside a fake csrss.exe. In <see cref="Launchers"/> order.
    /// </summary>
    public ImmutableArray<LauncherLink> LaunchersInFolderOf(string normalizedPath)
    {
        ArgumentNullException.ThrowIfNull(normalizedPath);
        var self = KeyOf(normalizedPath);
        var folder = KeyOf(WindowsPath.Directory(normalizedPath));
        if (self is null || folder is null || !_launchersByFolder.TryGetValue(folder, out var inFolder))
        {
            return [];
        }

        var direct = _launchersByPath.TryGetValue(self, out var byPath) ? byPath : [];
        var matched = new HashSet<ResolvedLauncher>(inFolder, ReferenceEqualityComparer.Instance);
        matched.ExceptWith(direct);
        return InLauncherOrder(matched);
    }

    private ImmutableArray<LauncherLink> InLauncherOrder(HashSet<ResolvedLauncher> matched)
    {
        if (matched.Count == 0)
        {
            return [];
        }

        // Sort the few matches by their position instead of scanning every launcher: a scan per question made the
        // cost launchers x subjects (20,000 autoruns entries took minutes).
        var ordered = new List<ResolvedLauncher>(matched);
        ordered.Sort((x, y) => _launcherPosition[x].CompareTo(_launcherPosition[y]));
        var links = ImmutableArray.CreateBuilder<LauncherLink>(ordered.Count);
        foreach (var launcher in ordered)
        {
            links.Add(launcher.ToLink());
        }

        return links.MoveToImmutable();
    }

    private void IndexLaunchers()
    {
        for (var i = 0; i < _launchers.Count; i++)
        {
            _launcherPosition[_launchers[i]] = i;
        }

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

            // What the launcher starts through a script is started by it too; the folder index below stays about
            // the paths the launcher itself names.
            var startedKeys = new HashSet<string>(keys, StringComparer.Ordinal);
            foreach (var chain in ChainsFrom(launcher))
            {
                startedKeys.Add(WindowsPath.Key(chain.Started));
            }

            foreach (var key in startedKeys)
            {
                Add(_launchersByPath, key, launcher);
            }

            var folders = new HashSet<string>(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                if (WindowsPath.Directory(key) is { } folder)
                {
                    folders.Add(WindowsPath.Key(folder));
                }
            }

            foreach (var folder in folders)
            {
                Add(_launchersByFolder, folder, launcher);
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
}
