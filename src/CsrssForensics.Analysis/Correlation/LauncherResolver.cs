using System.Collections.Immutable;
using System.Globalization;
using CsrssForensics.Windows.CommandLines;
using CsrssForensics.Windows.Paths;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>
/// Turns every task action and autostart entry of a snapshot into a <see cref="ResolvedLauncher"/>: unwraps the
/// command, resolves the file it starts against the host's folders and files.csv, and records what is odd.
/// </summary>
internal sealed partial class LauncherResolver
{
    private readonly BundleSnapshot _snapshot;
    private readonly Correlation _correlation;
    private readonly string _systemRoot;
    private readonly bool _customSystemRoot;
    private readonly int _parallelism;

    /// <param name="parallelism">How many launchers are resolved at once (the same result for any value).</param>
    public LauncherResolver(BundleSnapshot snapshot, Correlation correlation, int parallelism = 1)
    {
        _snapshot = snapshot;
        _correlation = correlation;
        _parallelism = Math.Max(1, parallelism);
        _systemRoot = WindowsPath.Normalize(snapshot.Host?.SystemRoot) ?? WindowsPath.DefaultSystemRoot;
        _customSystemRoot = !string.Equals(
            WindowsPath.Key(_systemRoot), WindowsPath.Key(WindowsPath.DefaultSystemRoot), StringComparison.Ordinal);

        // Built before any launcher is resolved, so resolving only reads shared state and can run on several cores.
        _accountsBySid = BuildAccountsBySid();
        _comRegistrationsByClass = IndexComRegistrations();
    }

    /// <summary>Every launcher in the snapshot, in a stable ordinal order.</summary>
    public List<ResolvedLauncher> ResolveAll()
    {
        // Each task action and autostart entry is resolved on its own into its own slot; the slots are joined in
        // snapshot order and then sorted, so the result does not depend on which core resolved what.
        var autoruns = _snapshot.Autoruns;
        var actions = new List<(ScheduledTask Task, int Index)>();
        foreach (var task in _snapshot.Tasks)
        {
            for (var i = 0; i < task.Actions.Length; i++)
            {
                actions.Add((task, i));
            }
        }

        var slots = new IReadOnlyList<ResolvedLauncher>[actions.Count + autoruns.Length];
        Parallel.For(0, slots.Length, new ParallelOptions { MaxDegreeOfParallelism = _parallelism }, slot =>
        {
            slots[slot] = slot < actions.Count
                ? [ResolveTaskAction(actions[slot].Task, actions[slot].Task.Actions[actions[slot].Index], actions[slot].Index)]
                : [.. ResolveAutorun(autoruns[slot - actions.Count])];
        });

        var launchers = new List<ResolvedLauncher>(slots.Length);
        foreach (var resolved in slots)
        {
            launchers.AddRange(resolved);
        }

        // The evidence text breaks ties; made once per launcher, not twice per comparison.
        var evidenceText = new Dictionary<ResolvedLauncher, string>(ReferenceEqualityComparer.Instance);
        launchers.Sort((x, y) => CompareLaunchers(x, y, evidenceText));
        return launchers;
    }

    private ResolvedLauncher ResolveTaskAction(ScheduledTask task, TaskAction action, int index)
    {
        var evidence = task.Source with
        {
            Detail = Join(task.Source.Detail, "action " + (index + 1).ToString(CultureInfo.InvariantCulture)),
        };
        var folder = TaskFolder(task.TaskPath);
        var findings = ImmutableArray.CreateBuilder<Finding>();
        if (task.Hidden == true)
        {
            findings.Add(Produce(LauncherCodes.TaskHidden, null, [evidence], ("task", task.TaskPath)));
        }

        if (task.Enabled == false)
        {
            findings.Add(Produce(LauncherCodes.TaskDisabled, null, [evidence], ("task", task.TaskPath)));
        }

        if (string.Equals(action.Kind, "ComHandler", StringComparison.OrdinalIgnoreCase))
        {
            return ResolveComHandler(task, action, folder, findings, evidence);
        }

        if (!string.Equals(action.Kind, "Exec", StringComparison.OrdinalIgnoreCase) || string.IsNullOrWhiteSpace(action.Command))
        {
            findings.Add(Produce(LauncherCodes.TaskOtherAction, null, [evidence],
                ("action", (index + 1).ToString(CultureInfo.InvariantCulture)), ("task", task.TaskPath), ("kind", action.Kind ?? string.Empty)));
            return new ResolvedLauncher("scheduled-task", task.TaskPath, folder, action.Command, action.Arguments, null,
                null, findings.ToImmutable(), evidence);
        }

        var launch = Launch(action.Command, action.Arguments ?? string.Empty, action.WorkingDirectory, task.RunAsUser);
        AddCommonFindings(findings, "scheduled-task", launch, evidence);
        AddTaskUserPathFindings(findings, task, launch.Target, action.Command, evidence);

        return new ResolvedLauncher("scheduled-task", task.TaskPath, folder, action.Command, action.Arguments,
            launch.Resolution, launch.Target, findings.ToImmutable(), evidence)
        {
            ReferencedPaths = launch.Referenced,
        };
    }

    private IEnumerable<ResolvedLauncher> ResolveAutorun(AutorunEntry entry)
    {
        var kind = KindOf(entry.Kind);
        var name = entry.Name ?? WindowsPath.FileName(entry.Location) ?? entry.Location;
        switch (entry.Kind)
        {
            case AutorunKind.WinlogonShell or AutorunKind.WinlogonUserinit:
            case AutorunKind.AppInitDlls:
                // Both hold lists: Userinit/Shell are comma separated, AppInit_DLLs comma or space separated.
                // An empty list (the AppInit_DLLs default) starts nothing and is no launcher.
                var parts = SplitList(entry.Command, entry.Kind == AutorunKind.AppInitDlls);
                foreach (var part in parts)
                {
                    yield return ResolveEntry(entry, kind, name, part);
                }

                break;
            default:
                yield return ResolveEntry(entry, kind, name, entry.Command);
                break;
        }
    }

    private ResolvedLauncher ResolveEntry(AutorunEntry entry, string kind, string name, string? command)
    {
        var evidence = entry.Source;
        var findings = ImmutableArray.CreateBuilder<Finding>();
        string? hijacked = null;
        if (entry.Kind == AutorunKind.IfeoDebugger)
        {
            hijacked = IfeoImageName(entry);
            findings.Add(Produce(LauncherCodes.IfeoDebugger, _correlation.Names.IsCoreName(hijacked) ? LauncherVariants.CoreProcess : null, [evidence],
                ("image", hijacked), ("command", command ?? string.Empty)));
            name = hijacked ?? name;
        }

        if (entry.Kind == AutorunKind.StartupFolder && string.IsNullOrWhiteSpace(command) && entry.Name is { } itemName
            && !itemName.EndsWith(".lnk", StringComparison.OrdinalIgnoreCase))
        {
            // A program dropped straight into the Startup folder (no shortcut): the item itself is the target.
            command = "\"" + entry.Location.TrimEnd('\\') + "\\" + itemName + "\"";
        }

        if (string.IsNullOrWhiteSpace(command))
        {
            findings.Add(Produce(LauncherCodes.TargetUnresolved, LauncherVariants.NoCommand, [evidence], ("kind", kind), ("name", name)));
            return new ResolvedLauncher(kind, name, entry.Location, command, null, null, null, findings.ToImmutable(), evidence)
            {
                HijackedImageName = hijacked,
            };
        }

        var launch = Launch(command, null, null, entry.User);
        if (entry.Kind == AutorunKind.WmiSubscription && launch.Resolution.Via == "direct"
            && !IsAbsolute(Normalize(CommandLine.ExtractExecutable(command)) ?? string.Empty)
            && launch.Referenced.Length > 0)
        {
            // ActiveScript consumers hold VBScript/JScript text, not a command line: the first absolute path the
            // script names is what it starts (WScript.Shell.Run "C:\x\a.exe").
            launch = launch with { Target = launch.Referenced[0], Referenced = launch.Referenced.RemoveAt(0) };
            launch = launch with { Resolution = launch.Resolution with { Target = launch.Target, Via = "wmi-script" } };
        }

        var target = launch.Target;
        if (entry.Kind == AutorunKind.Service && IsUnquotedWithSpaces(command))
        {
            // CreateProcess tries "C:\Program.exe", "C:\Program Files\My.exe"... in turn; the first that exists runs.
            var existing = CommandLine.ExtractExecutable(PreExpand(command), candidate => _correlation.IsKnownFile(Normalize(candidate)));
            if (Normalize(existing) is { } existingPath && _correlation.IsKnownFile(existingPath) && launch.Resolution.Via == "direct")
            {
                target = existingPath;
                launch = launch with { Target = target };
            }

            findings.Add(Produce(LauncherCodes.ServiceUnquotedPath, null, [evidence], ("name", name), ("command", command)));
        }

        AddCommonFindings(findings, kind, launch, evidence);
        AddEntryFindings(findings, entry, kind, name, command, target, evidence);

        return new ResolvedLauncher(kind, name, entry.Location, command, null, launch.Resolution, launch.Target,
            findings.ToImmutable(), evidence)
        {
            ReferencedPaths = launch.Referenced,
            HijackedImageName = hijacked,
        };
    }

    private static List<string> SplitList(string? value, bool spacesSeparate)
    {
        var parts = new List<string>();
        if (string.IsNullOrWhiteSpace(value))
        {
            return parts;
        }

        var current = new System.Text.StringBuilder();
        var inQuotes = false;
        foreach (var c in value)
        {
            if (c == '"')
            {
                inQuotes = !inQuotes;
                current.Append(c);
            }
            else if (!inQuotes && (c == ',' || (spacesSeparate && char.IsWhiteSpace(c))))
            {
                Flush();
            }
            else
            {
                current.Append(c);
            }
        }

        Flush();
        return parts;

        void Flush()
        {
            var part = current.ToString().Trim();
            if (part.Length > 0)
            {
                parts.Add(part);
            }

            current.Clear();
        }
    }

    private static string? IfeoImageName(AutorunEntry entry)
    {
        // The IFEO key is ...\Image File Execution Options\<image name>; the value name is "Debugger".
        var last = entry.Location.TrimEnd('\\');
        var cut = last.LastIndexOf('\\');
        var segment = cut < 0 ? last : last[(cut + 1)..];
        if (segment.Contains('.', StringComparison.Ordinal))
        {
            return segment;
        }

        return entry.Name is { } name && !string.Equals(name, "Debugger", StringComparison.OrdinalIgnoreCase) ? name : null;
    }

    private static string TaskFolder(string taskPath)
    {
        var cut = taskPath.LastIndexOf('\\');
        return cut <= 0 ? @"\" : taskPath[..cut];
    }

    private static string KindOf(AutorunKind kind) => kind switch
    {
        AutorunKind.RunKey => "run-key",
        AutorunKind.RunOnceKey => "run-once",
        AutorunKind.PoliciesRun => "policies-run",
        AutorunKind.WinlogonShell or AutorunKind.WinlogonUserinit => "winlogon",
        AutorunKind.Service => "service",
        AutorunKind.IfeoDebugger => "ifeo",
        AutorunKind.AppInitDlls => "appinit",
        AutorunKind.StartupFolder => "startup-folder",
        AutorunKind.WmiSubscription => "wmi",
        _ => "other",
    };

    private static string Join(string? first, string second) => string.IsNullOrEmpty(first) ? second : first + "; " + second;

    private static int CompareLaunchers(ResolvedLauncher x, ResolvedLauncher y, Dictionary<ResolvedLauncher, string> evidenceText)
    {
        var result = string.CompareOrdinal(x.Kind, y.Kind);
        if (result == 0)
        {
            result = string.CompareOrdinal(x.Name, y.Name);
        }

        if (result == 0)
        {
            result = string.CompareOrdinal(x.Location, y.Location);
        }

        if (result == 0)
        {
            result = string.CompareOrdinal(EvidenceText(x), EvidenceText(y));
        }

        return result == 0 ? string.CompareOrdinal(x.FullCommand, y.FullCommand) : result;

        string EvidenceText(ResolvedLauncher launcher)
        {
            if (!evidenceText.TryGetValue(launcher, out var text))
            {
                text = launcher.Evidence.ToString();
                evidenceText[launcher] = text;
            }

            return text;
        }
    }
}
