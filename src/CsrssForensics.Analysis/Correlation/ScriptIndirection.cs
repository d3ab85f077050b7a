using System.Collections.Immutable;
using System.Globalization;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Windows.CommandLines;
using CsrssForensics.Windows.Paths;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>
/// One launcher that starts a program through a script: "Run value X runs C:\x\run.bat, which starts C:\x\csrss.exe".
/// </summary>
/// <param name="Launcher">The task action, Run value, service or Startup item that runs the script.</param>
/// <param name="Script">Normalised path of the script.</param>
/// <param name="Started">Normalised path of the program the script starts.</param>
/// <param name="How">Where the link comes from: a line of the copied script or the process tree.</param>
/// <param name="Evidence">The launcher's, the script's and (process tree) the two processes' rows.</param>
public sealed record ScriptChain(ResolvedLauncher Launcher, string Script, string Started, string How, ImmutableArray<EvidenceRef> Evidence)
{
    /// <summary>The chain as one sentence, for verdicts and actions.</summary>
    public string Describe() => $"{LauncherText(Launcher)} runs {Script}, which starts {Started} ({How})";

    /// <summary>"Run value 'X'", "Startup item 'X'", "Scheduled task 'X'"...: how a responder finds the launcher.</summary>
    internal static string LauncherText(ResolvedLauncher launcher) => launcher.Kind switch
    {
        "run-key" or "run-once" or "policies-run" => $"Run value '{launcher.Name}'",
        "startup-folder" => $"Startup item '{launcher.Name}'",
        "scheduled-task" => $"Scheduled task '{launcher.Name}'",
        "service" => $"Service '{launcher.Name}'",
        _ => $"{launcher.Kind} '{launcher.Name}'",
    };
}

/// <summary>
/// Follows ONE level of script indirection from every launcher: a launcher whose target (or another path its command
/// names) is a script is linked to the programs that script starts, read (a) from the copy of the script in the
/// bundle, and (b) from the process tree, where a living cmd.exe, wscript.exe, cscript.exe, powershell.exe, pwsh.exe
/// or mshta.exe running that script is the parent of the program. Scripts started by the script are not followed,
/// so a cycle or a script naming itself cannot loop; each script is read once.
/// </summary>
internal sealed class ScriptIndirection
{
    private const int MaxScriptsPerLauncher = 8;

    private static readonly HashSet<string> _interpreters = new(StringComparer.OrdinalIgnoreCase)
    {
        "cmd.exe", "wscript.exe", "cscript.exe", "powershell.exe", "pwsh.exe", "mshta.exe",
    };

    private readonly Correlation _correlation;
    private readonly ICopiedFileText? _text;
    private readonly string _systemRoot;
    private readonly Dictionary<string, List<Start>> _fromTree = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Start>> _fromCopy = new(StringComparer.Ordinal);

    public ScriptIndirection(Correlation correlation, ICopiedFileText? text, string systemRoot, IEnumerable<ProcessRecord> processes)
    {
        _correlation = correlation;
        _text = text;
        _systemRoot = systemRoot;
        IndexProcessTree(processes);
    }

    /// <summary>Every launcher -> script -> program link, in launcher order, then script and program order.</summary>
    public List<ScriptChain> Follow(IReadOnlyList<ResolvedLauncher> launchers)
    {
        var chains = new List<ScriptChain>();
        foreach (var launcher in launchers)
        {
            foreach (var script in ScriptsOf(launcher))
            {
                foreach (var (started, how, evidence) in StartsOf(script))
                {
                    chains.Add(new ScriptChain(launcher, script, started, how, [launcher.Evidence, .. evidence]));
                }
            }
        }

        return chains;
    }

    private static List<string> ScriptsOf(ResolvedLauncher launcher)
    {
        var scripts = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        IEnumerable<string> paths = launcher.Target is { } target ? [target, .. launcher.ReferencedPaths] : launcher.ReferencedPaths;
        foreach (var path in paths)
        {
            if (scripts.Count < MaxScriptsPerLauncher && ScriptStarts.IsScript(path)
                && !path.Contains("://", StringComparison.Ordinal) && seen.Add(WindowsPath.Key(path)))
            {
                scripts.Add(path);
            }
        }

        return scripts;
    }

    // What a script starts: what its copy names first (in text order), then what the process tree shows, each once.
    private List<Start> StartsOf(string script)
    {
        var key = WindowsPath.Key(script);
        if (!_fromCopy.TryGetValue(key, out var fromCopy))
        {
            fromCopy = ReadCopy(script);
            _fromCopy[key] = fromCopy;
        }

        var starts = new List<Start>(fromCopy.Where(s => !IsWindowsCoreProgram(s.Started)));
        var seen = fromCopy.Select(s => WindowsPath.Key(s.Started)).ToHashSet(StringComparer.Ordinal);
        if (_fromTree.TryGetValue(key, out var fromTree))
        {
            starts.AddRange(fromTree.Where(s => !IsWindowsCoreProgram(s.Started) && seen.Add(WindowsPath.Key(s.Started))));
        }

        return starts;
    }

    // A core-named program in the Windows folders is the genuine component: every console script's cmd.exe is the
    // parent of System32\conhost.exe, and linking the launcher to it would make it that component's unexpected
    // launcher. Look-alikes (csrsss.exe) and copies elsewhere (a mock "C:\Windows \System32") still link.
    private bool IsWindowsCoreProgram(string path)
    {
        if (!_correlation.Names.IsCoreName(WindowsPath.FileName(path)) || WindowsPath.Directory(path) is not { } folder)
        {
            return false;
        }

        var key = WindowsPath.Key(folder);
        return key == WindowsPath.Key(_systemRoot)
            || key == WindowsPath.Key(_systemRoot + @"\System32")
            || key == WindowsPath.Key(_systemRoot + @"\SysWOW64");
    }

    // (a) The copied script, read once through the capped reader: the programs it names.
    private List<Start> ReadCopy(string script)
    {
        if (_text is null || _correlation.FileRecordOf(script) is not { } file || _text.TryRead(file) is not { } text)
        {
            return [];
        }

        return [.. ScriptStarts.Find(text, script, _systemRoot, _correlation.IsKnownFile).Select(start =>
        {
            var how = $"line {start.Line.ToString(CultureInfo.InvariantCulture)} of the copied script";
            return new Start(start.Path, how, [file.Source with { Detail = how }]);
        })];
    }

    // (b) The process tree: a living interpreter whose command line runs a script is the parent of what it started.
    private void IndexProcessTree(IEnumerable<ProcessRecord> processes)
    {
        foreach (var child in processes)
        {
            if (_correlation.LivingParentOf(child) is not { } parent
                || !_interpreters.Contains(WindowsPath.FileName(_correlation.ImageOf(parent) ?? parent.Name) ?? string.Empty)
                || _correlation.ImageOf(child) is not { } image)
            {
                continue;
            }

            var resolved = CommandLine.ResolveTarget(parent.CommandLine, null);
            if (resolved.Via == "direct" || !ScriptStarts.IsScript(resolved.Target)
                || WindowsPath.Normalize(resolved.Target, _systemRoot) is not { } script)
            {
                continue;
            }

            var key = WindowsPath.Key(script);
            if (!_fromTree.TryGetValue(key, out var starts))
            {
                starts = [];
                _fromTree[key] = starts;
            }

            // Bounded like a script's text: a thousand children of one script add nothing a responder can act on.
            if (starts.Count >= ScriptStarts.MaxStarts || starts.Any(s => WindowsPath.Key(s.Started) == WindowsPath.Key(image)))
            {
                continue;
            }

            var how = $"process tree: {parent.Name} (pid {parent.Pid.ToString(CultureInfo.InvariantCulture)}) running the script is the parent of pid {child.Pid.ToString(CultureInfo.InvariantCulture)}";
            starts.Add(new Start(image, how, [parent.Source, child.Source]));
        }
    }

    private sealed record Start(string Started, string How, ImmutableArray<EvidenceRef> Evidence);
}
