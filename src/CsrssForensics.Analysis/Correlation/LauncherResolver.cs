using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Paths;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>
/// Turns every task action and autostart entry of a snapshot into a <see cref="ResolvedLauncher"/>: unwraps the
/// command, resolves the file it starts against the host's folders and files.csv, and records what is odd.
/// </summary>
internal sealed partial class LauncherResolver
{
    private const int MaxReferencedPaths = 32;

    private static readonly HashSet<string> _serviceAccounts = new(StringComparer.OrdinalIgnoreCase)
    {
        "SYSTEM", "LOCAL SERVICE", "LOCALSERVICE", "NETWORK SERVICE", "NETWORKSERVICE", "S-1-5-18", "S-1-5-19",
        "S-1-5-20", "NT AUTHORITY\\SYSTEM", "NT AUTHORITY\\LOCAL SERVICE", "NT AUTHORITY\\NETWORK SERVICE",
        "LocalSystem",
    };

    private readonly BundleSnapshot _snapshot;
    private readonly Correlation _correlation;
    private readonly string _systemRoot;
    private readonly bool _customSystemRoot;

    public LauncherResolver(BundleSnapshot snapshot, Correlation correlation)
    {
        _snapshot = snapshot;
        _correlation = correlation;
        _systemRoot = WindowsPath.Normalize(snapshot.Host?.SystemRoot) ?? WindowsPath.DefaultSystemRoot;
        _customSystemRoot = !string.Equals(
            WindowsPath.Key(_systemRoot), WindowsPath.Key(WindowsPath.DefaultSystemRoot), StringComparison.Ordinal);
    }

    /// <summary>Every launcher in the snapshot, in a stable ordinal order.</summary>
    public List<ResolvedLauncher> ResolveAll()
    {
        var launchers = new List<ResolvedLauncher>();
        foreach (var task in _snapshot.Tasks)
        {
            for (var i = 0; i < task.Actions.Length; i++)
            {
                launchers.Add(ResolveTaskAction(task, task.Actions[i], i));
            }
        }

        foreach (var entry in _snapshot.Autoruns)
        {
            launchers.AddRange(ResolveAutorun(entry));
        }

        launchers.Sort(CompareLaunchers);
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
            findings.Add(Finding(LauncherCodes.TaskHidden, AnomalySeverity.Low, "Hidden scheduled task",
                $"Task '{task.TaskPath}' is marked Hidden, so Task Scheduler does not show it by default.", evidence));
        }

        if (task.Enabled == false)
        {
            findings.Add(Finding(LauncherCodes.TaskDisabled, AnomalySeverity.Info, "Disabled scheduled task",
                $"Task '{task.TaskPath}' is disabled; it is still listed so it can be removed with what it starts.", evidence));
        }

        if (string.Equals(action.Kind, "ComHandler", StringComparison.OrdinalIgnoreCase))
        {
            return ResolveComHandler(task, action, folder, findings, evidence);
        }

        if (!string.Equals(action.Kind, "Exec", StringComparison.OrdinalIgnoreCase) || string.IsNullOrWhiteSpace(action.Command))
        {
            findings.Add(Finding(LauncherCodes.TaskOtherAction, AnomalySeverity.Info, "Task action starts no program",
                $"Action {index + 1} of '{task.TaskPath}' is '{action.Kind}' with no command to resolve.", evidence));
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

    private void AddTaskUserPathFindings(
        ImmutableArray<Finding>.Builder findings, ScheduledTask task, string? target, string? command, EvidenceRef evidence)
    {
        if (target is null || !WindowsPath.IsUserWritable(target))
        {
            return;
        }

        var where = WindowsPath.UserWritableKind(target);
        var ownAppData = StartsInOwnAppData(target, task.RunAsUser, command, perUserLauncher: true);
        findings.Add(Finding(LauncherCodes.TaskUserPath, ownAppData ? AnomalySeverity.Low : AnomalySeverity.Medium,
            "Task starts a file in a user-writable folder",
            $"Task '{task.TaskPath}' starts {target} ({where})."
                + (ownAppData ? $" It runs as {task.RunAsUser}, from that user's own AppData, as per-user installs do." : string.Empty),
            EvidenceFor(evidence, target)));
        if (SystemNames.SystemSoundingPart(task.TaskPath) is { } word && !(ownAppData && IsVendorWord(word)))
        {
            var hostSaysMicrosoft = HostReportsMicrosoftSignature(target);
            findings.Add(Finding(LauncherCodes.TaskSystemNameUserPath,
                hostSaysMicrosoft ? AnomalySeverity.Medium : AnomalySeverity.High,
                "System-sounding task starts a file in a user folder",
                $"Task '{task.TaskPath}' sounds like a Windows component ('{word}') but starts {target} ({where})."
                    + (hostSaysMicrosoft ? " The host reports a valid Microsoft signature for it; verify offline." : string.Empty),
                EvidenceFor(evidence, target)));
        }
    }

    /// <summary>
    /// A ComHandler action: the class id is looked up in com.json. The registration that loads is the per-user one
    /// when there is one (HKCU\Software\Classes wins over HKLM for that user), else the machine one; its
    /// InprocServer32 DLL (else its LocalServer32 program) is the launcher's target, so the task links to that file
    /// like an Exec action links to its program.
    /// </summary>
    private ResolvedLauncher ResolveComHandler(
        ScheduledTask task, TaskAction action, string folder, ImmutableArray<Finding>.Builder findings, EvidenceRef evidence)
    {
        var registrations = ComRegistrationsOf(action.ClassId);
        if (registrations.Count == 0)
        {
            var why = _snapshot.MissingParts.Contains(BundlePart.Com)
                ? "the bundle holds no COM registry (com.json not collected)"
                : "com.json holds no registration for it";
            findings.Add(Finding(LauncherCodes.TaskComHandler, AnomalySeverity.Info, "COM handler action",
                $"COM handler target not resolvable from bundle (CLSID {action.ClassId ?? "missing"}); {why}.",
                evidence));
            return new ResolvedLauncher("scheduled-task", task.TaskPath, folder, action.ClassId, action.Data, null, null,
                findings.ToImmutable(), evidence);
        }

        var effective = EffectiveRegistration(registrations, task.RunAsUser);
        var server = ServerOf(effective, out var serverRegistration);
        var resolved = registrations.ToDictionary(r => r, r => ServerTarget(r, task.RunAsUser));
        AddComHijackFindings(findings, task, action.ClassId!, registrations, resolved, evidence);

        if (server is null)
        {
            findings.Add(Finding(LauncherCodes.TargetUnresolved, AnomalySeverity.Low, "Launch target not resolved",
                $"COM class {action.ClassId} of task '{task.TaskPath}' is registered ({effective.Key}) but names no InprocServer32 or LocalServer32.",
                [evidence, effective.Source]));
            return new ResolvedLauncher("scheduled-task", task.TaskPath, folder, action.ClassId, action.Data, null, null,
                findings.ToImmutable(), evidence);
        }

        var launch = Launch(server, null, null, task.RunAsUser);
        var comEvidence = evidence with { Detail = Join(evidence.Detail, $"COM {serverRegistration!.Key}") };
        if (launch.Target is { } target && SystemNames.IsCoreName(WindowsPath.FileName(target)) && IsWindowsBinaryFolder(target))
        {
            // A Windows host process as the server (dllhost.exe as a COM surrogate, svchost.exe): the class's own code
            // is elsewhere, and linking the task to the genuine host would make it an unexpected launcher of it.
            findings.Add(Finding(LauncherCodes.TaskComHandler, AnomalySeverity.Info, "COM handler runs in a Windows host process",
                $"COM class {action.ClassId} of task '{task.TaskPath}' runs in {target} ({serverRegistration.Key}); the task is not linked to that Windows process.",
                [evidence, serverRegistration.Source]));
            return new ResolvedLauncher("scheduled-task", task.TaskPath, folder, action.ClassId, action.Data, launch.Resolution, null,
                findings.ToImmutable(), comEvidence);
        }

        AddCommonFindings(findings, "scheduled-task", launch, evidence);
        AddTaskUserPathFindings(findings, task, launch.Target, server, evidence);
        return new ResolvedLauncher("scheduled-task", task.TaskPath, folder, action.ClassId, action.Data,
            launch.Resolution, launch.Target, findings.ToImmutable(), comEvidence)
        {
            ReferencedPaths = launch.Referenced,
        };
    }

    /// <summary>The registrations of a class id in com.json (braces and case ignored), machine first, then by key.</summary>
    private List<ComRegistration> ComRegistrationsOf(string? classId)
    {
        var key = ClassIdKey(classId);
        if (key is null)
        {
            return [];
        }

        return [.. _snapshot.ComRegistrations
            .Where(r => ClassIdKey(r.ClassId) == key)
            .OrderBy(r => r.IsPerUser)
            .ThenBy(r => r.Key, StringComparer.Ordinal)
            .ThenBy(r => r.Source.Row ?? -1)];
    }

    /// <summary>
    /// The per-user registration of the task's account when com.json has one, else any per-user one, else the
    /// machine one. The principal often does not say whose hive applies (a group, an interactive token), so any
    /// user's override is taken as the one that loads: it is the case the analyst must see.
    /// </summary>
    private static ComRegistration EffectiveRegistration(List<ComRegistration> registrations, string? runAs)
    {
        var perUser = registrations.Where(r => r.IsPerUser).ToList();
        if (!string.IsNullOrWhiteSpace(runAs))
        {
            var account = runAs.Trim();
            var mine = perUser.FirstOrDefault(r =>
                r.Key.Contains("\\" + account + "\\", StringComparison.OrdinalIgnoreCase)
                || string.Equals(r.User, account, StringComparison.OrdinalIgnoreCase)
                || string.Equals(AccountName(r.User), AccountName(account), StringComparison.OrdinalIgnoreCase));
            if (mine is not null)
            {
                return mine;
            }
        }

        return perUser.FirstOrDefault() ?? registrations[0];
    }

    /// <summary>The registration's server (InprocServer32 as a quoted path, else LocalServer32), following TreatAs a few hops.</summary>
    private string? ServerOf(ComRegistration start, out ComRegistration? from)
    {
        var current = start;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var hop = 0; hop < 4; hop++)
        {
            if (ServerCommand(current) is { } command)
            {
                from = current;
                return command;
            }

            if (ClassIdKey(current.TreatAs) is not { } next || !seen.Add(next))
            {
                break;
            }

            var target = ComRegistrationsOf(current.TreatAs);
            if (target.Count == 0)
            {
                break;
            }

            current = EffectiveRegistration(target, null);
        }

        from = null;
        return null;
    }

    // InprocServer32 holds a path, not a command line: quoted, so a space in it is not an argument break.
    private static string? ServerCommand(ComRegistration registration) =>
        !string.IsNullOrWhiteSpace(registration.InprocServer32)
            ? "\"" + registration.InprocServer32.Trim().Trim('"') + "\""
            : string.IsNullOrWhiteSpace(registration.LocalServer32) ? null : registration.LocalServer32;

    private string? ServerTarget(ComRegistration registration, string? user) =>
        ServerCommand(registration) is { } command ? Launch(command, null, null, user).Target : null;

    /// <summary>
    /// LNC-COM-HIJACK: a per-user registration that loads another file than the machine one for the same class
    /// (high), or any registration that loads a file from a user-writable folder (medium).
    /// </summary>
    private void AddComHijackFindings(
        ImmutableArray<Finding>.Builder findings,
        ScheduledTask task,
        string classId,
        List<ComRegistration> registrations,
        Dictionary<ComRegistration, string?> resolved,
        EvidenceRef evidence)
    {
        var machine = registrations.FirstOrDefault(r => !r.IsPerUser);
        var machineTarget = machine is null ? null : resolved[machine];
        foreach (var registration in registrations)
        {
            var target = resolved[registration];
            var paths = new List<string?> { target };
            var evidenceRefs = new List<EvidenceRef> { evidence, registration.Source };
            if (registration.IsPerUser && machine is not null
                && !string.Equals(KeyOrNull(target), KeyOrNull(machineTarget), StringComparison.Ordinal))
            {
                evidenceRefs.Add(machine.Source);
                paths.Add(machineTarget);
                findings.Add(Finding(LauncherCodes.ComHijack, AnomalySeverity.High, "Per-user COM registration overrides the machine one",
                    $"Task '{task.TaskPath}' uses COM class {classId}; {Owner(registration)} registers it in {registration.Key} to load "
                        + $"{Describe(target, registration)}, overriding {machine.Key}, which loads {Describe(machineTarget, machine)}.",
                    WithFiles(evidenceRefs, paths)));
            }
            else if (target is not null && WindowsPath.IsUserWritable(target))
            {
                findings.Add(Finding(LauncherCodes.ComHijack, AnomalySeverity.Medium, "COM class loads a file from a user-writable folder",
                    $"Task '{task.TaskPath}' uses COM class {classId}, which {registration.Key} points at {target} ({WindowsPath.UserWritableKind(target)}).",
                    WithFiles(evidenceRefs, paths)));
            }
        }

        static string Owner(ComRegistration registration) =>
            registration.User is { Length: > 0 } user ? $"user {user}" : "a user hive";

        static string Describe(string? target, ComRegistration registration) =>
            target ?? registration.InprocServer32 ?? registration.LocalServer32 ?? "no server";
    }

    private ImmutableArray<EvidenceRef> WithFiles(List<EvidenceRef> evidence, List<string?> paths)
    {
        foreach (var path in paths)
        {
            if (_correlation.FileRecordOf(path) is { } file && !evidence.Contains(file.Source))
            {
                evidence.Add(file.Source);
            }
        }

        return [.. evidence];
    }

    private static string? KeyOrNull(string? path) => path is null ? null : WindowsPath.Key(path);

    private static string? ClassIdKey(string? classId)
    {
        var text = classId?.Trim().TrimStart('{').TrimEnd('}');
        return Guid.TryParseExact(text, "D", out var guid) ? guid.ToString("D") : null;
    }

    private static string? AccountName(string? user)
    {
        if (string.IsNullOrWhiteSpace(user))
        {
            return null;
        }

        var slash = user.LastIndexOf('\\');
        return user[(slash + 1)..].Trim();
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
            var core = SystemNames.IsCoreName(hijacked);
            findings.Add(Finding(LauncherCodes.IfeoDebugger, core ? AnomalySeverity.High : AnomalySeverity.Medium,
                "Image File Execution Options debugger",
                $"Whenever {hijacked ?? "the image"} starts, Windows runs '{command}' instead"
                    + (core ? "; it is a core Windows process." : "."),
                [evidence]));
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
            findings.Add(Finding(LauncherCodes.TargetUnresolved, AnomalySeverity.Low, "Launcher without a command",
                $"The {kind} entry '{name}' records no command.", [evidence]));
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

            findings.Add(Finding(LauncherCodes.ServiceUnquotedPath, AnomalySeverity.Low, "Unquoted service path with spaces",
                $"Service '{name}' ImagePath '{command}' has spaces and no quotes; Windows tries each space-cut prefix as a program first.",
                [evidence]));
        }

        AddCommonFindings(findings, kind, launch, evidence);
        if (target is not null && WindowsPath.IsUserWritable(target))
        {
            var isRunValue = entry.Kind is AutorunKind.RunKey or AutorunKind.RunOnceKey or AutorunKind.PoliciesRun;
            var ownAppData = isRunValue
                ? StartsInOwnAppData(target, entry.User, command, IsUserHive(entry.Location))
                : entry.Kind == AutorunKind.StartupFolder && StartupFolderOwner(entry) is { } owner
                    && StartsInOwnAppData(target, owner, command, perUserLauncher: true);
            var (code, severity) = entry.Kind switch
            {
                AutorunKind.StartupFolder when ownAppData => (LauncherCodes.OtherUserPath, AnomalySeverity.Low),
                _ when ownAppData => (LauncherCodes.RunUserPath, AnomalySeverity.Low),
                AutorunKind.RunKey or AutorunKind.RunOnceKey or AutorunKind.PoliciesRun => (LauncherCodes.RunUserPath, AnomalySeverity.Medium),
                AutorunKind.Service => (LauncherCodes.ServiceUserPath, AnomalySeverity.High),
                _ => (LauncherCodes.OtherUserPath, AnomalySeverity.Medium),
            };
            findings.Add(Finding(code, severity, "Launcher starts a file in a user-writable folder",
                $"The {kind} entry '{name}' starts {target} ({WindowsPath.UserWritableKind(target)})."
                    + (ownAppData ? " It is a per-user entry starting a file in that same user's AppData, as per-user installs do." : string.Empty),
                EvidenceFor(evidence, target)));
        }

        switch (entry.Kind)
        {
            case AutorunKind.WmiSubscription:
                findings.Add(Finding(LauncherCodes.WmiConsumer, AnomalySeverity.Medium, "WMI event consumer runs a command",
                    $"WMI consumer '{name}' runs: {command}", [evidence]));
                break;
            case AutorunKind.AppInitDlls:
                findings.Add(Finding(LauncherCodes.AppInitDll, AnomalySeverity.Medium, "AppInit_DLLs entry",
                    $"{target ?? command} is loaded into every process that loads user32.dll.", EvidenceFor(evidence, target)));
                break;
            case AutorunKind.WinlogonShell or AutorunKind.WinlogonUserinit when !IsWinlogonDefault(entry.Kind, target):
                findings.Add(Finding(LauncherCodes.WinlogonNonDefault, AnomalySeverity.High, "Non-default Winlogon entry",
                    $"Winlogon {name} starts {target ?? command}; Windows expects "
                        + (entry.Kind == AutorunKind.WinlogonShell ? "explorer.exe." : @"System32\userinit.exe."),
                    EvidenceFor(evidence, target)));
                break;
            default:
                break;
        }

        return new ResolvedLauncher(kind, name, entry.Location, command, null, launch.Resolution, launch.Target,
            findings.ToImmutable(), evidence)
        {
            ReferencedPaths = launch.Referenced,
            HijackedImageName = hijacked,
        };
    }

    private void AddCommonFindings(ImmutableArray<Finding>.Builder findings, string kind, LaunchResult launch, EvidenceRef evidence)
    {
        if (launch.Encoded)
        {
            findings.Add(Finding(LauncherCodes.EncodedPowerShell, AnomalySeverity.Medium, "Encoded PowerShell",
                $"The {kind} command hides its PowerShell script in base64 (-EncodedCommand)"
                    + (launch.Target is null ? "." : $"; the decoded script starts {launch.Target}."),
                [evidence]));
        }

        if (launch.MockPath is { } mock)
        {
            // Win32 trims a trailing space or dot, so "C:\Windows \System32\x.exe" normalizes onto the real folder;
            // the raw text is the only place the difference shows.
            findings.Add(Finding(LauncherCodes.MockFolder, AnomalySeverity.High, "Path with a trailing space or dot",
                $"The {kind} command names '{mock}', whose folder or file name ends in a space or dot: a look-alike of a trusted folder.",
                [evidence]));
        }

        if (launch.Target is not { } target)
        {
            var why = launch.Resolution is { Notes.Length: > 0 } resolution ? " " + string.Join(" | ", resolution.Notes) : string.Empty;
            findings.Add(Finding(LauncherCodes.TargetUnresolved, AnomalySeverity.Low, "Launch target not resolved",
                "The command could not be followed to a file." + why, [evidence]));
            return;
        }

        if (launch.IsUrl)
        {
            findings.Add(Finding(LauncherCodes.RemoteTarget, AnomalySeverity.High, "Launcher runs remote content",
                $"The {kind} entry runs {target} from the network ({launch.Resolution.Via}).", [evidence]));
            return;
        }

        var fileName = WindowsPath.FileName(target);
        if (SystemNames.IsNeverLaunched(fileName))
        {
            findings.Add(Finding(LauncherCodes.CoreNameTarget, AnomalySeverity.High, "Launcher starts a core process name",
                $"The {kind} entry starts {target}; Windows never starts {fileName} from a {kind}.", EvidenceFor(evidence, target)));
        }
        else if (SystemNames.IsCoreName(fileName) && !IsWindowsBinaryFolder(target))
        {
            findings.Add(Finding(LauncherCodes.CoreNameTarget, AnomalySeverity.High, "Launcher starts a core process name outside its folder",
                $"The {kind} entry starts {target}, a core Windows process name outside System32, SysWOW64 and {_systemRoot}.",
                EvidenceFor(evidence, target)));
        }

        if (IsAbsolute(target) && !_correlation.IsKnownFile(target))
        {
            var missing = _snapshot.MissingParts.Contains(BundlePart.Files) ? " (files.csv is not in the bundle)" : string.Empty;
            findings.Add(Finding(LauncherCodes.TargetNotCollected, AnomalySeverity.Info, "Launch target not collected",
                $"{target} is not in files.csv or the process list, so it cannot be checked{missing}.", [evidence]));
        }
    }

    private bool IsWindowsBinaryFolder(string path)
    {
        var folder = WindowsPath.Directory(path);
        if (folder is null)
        {
            return false;
        }

        var key = WindowsPath.Key(folder);
        return key == WindowsPath.Key(_systemRoot)
            || key == WindowsPath.Key(_systemRoot + @"\System32")
            || key == WindowsPath.Key(_systemRoot + @"\SysWOW64")
            || WindowsPath.IsUnder(path, _systemRoot + @"\WinSxS");
    }

    private LaunchResult Launch(string command, string? arguments, string? workingDirectory, string? user)
    {
        var resolution = CommandLine.ResolveTarget(PreExpand(command), arguments is null ? null : PreExpand(arguments));
        var target = resolution.Target;
        var isUrl = target is not null && target.Contains("://", StringComparison.Ordinal);
        if (target is not null && !isUrl)
        {
            target = ExpandUserVariables(target, user);
            target = ResolveBareName(target, workingDirectory is null ? null : ExpandUserVariables(Normalize(workingDirectory) ?? workingDirectory, user));
            target = Win32Opened(target);
        }

        var fullText = arguments is null ? command : command + " " + arguments;
        var encoded = resolution.Notes.Any(n => n.Contains("-EncodedCommand", StringComparison.OrdinalIgnoreCase))
            || HasEncodedSwitch(fullText);
        var referenced = ReferencedPaths(fullText, resolution, target, user);
        var mock = PathPattern().Matches(fullText).Select(m => m.Value).FirstOrDefault(WindowsPath.HasTrailingDotOrSpace);
        return new LaunchResult(resolution with { Target = target }, target, isUrl, encoded, referenced, mock);
    }

    // Win32 path parsing drops the trailing spaces and dots of the last segment: without a \\?\ prefix,
    // "C:\x\csrss.exe " opens C:\x\csrss.exe. The exact path wins when the bundle knows it (a \\?\ launch of a file
    // whose name ends in a space); otherwise the path Windows opens, when the bundle knows that one.
    private string? Win32Opened(string? target)
    {
        if (target is null || _correlation.IsKnownFile(target))
        {
            return target;
        }

        var cut = target.LastIndexOf('\\');
        var folded = target[..(cut + 1)] + target[(cut + 1)..].TrimEnd(' ', '.');
        return folded.Length > cut + 1 && folded.Length != target.Length && _correlation.IsKnownFile(folded) ? folded : target;
    }

    private ImmutableArray<string> ReferencedPaths(string text, ResolvedCommand resolution, string? target, string? user)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (target is not null)
        {
            seen.Add(WindowsPath.Key(target));
        }

        // The interpreter (cmd.exe, powershell.exe) is not what the launcher is about when something was unwrapped.
        if (resolution.Via != "direct" && resolution.Executable is { } executable)
        {
            seen.Add(WindowsPath.Key(executable));
        }

        var paths = ImmutableArray.CreateBuilder<string>();
        var sources = resolution.Notes.Insert(0, text);
        foreach (var source in sources)
        {
            foreach (Match match in PathPattern().Matches(source))
            {
                if (paths.Count >= MaxReferencedPaths)
                {
                    return paths.ToImmutable();
                }

                if (Normalize(match.Value) is { } normalized
                    && ExpandUserVariables(normalized, user) is { } path
                    && seen.Add(WindowsPath.Key(path)))
                {
                    paths.Add(path);
                }
            }
        }

        return paths.ToImmutable();
    }

    /// <summary>
    /// A target that still holds <c>%APPDATA%</c>-style user variables: expand them from the launcher's user profile,
    /// or failing that find the one known file that matches under any profile.
    /// </summary>
    private string ExpandUserVariables(string target, string? user)
    {
        if (!target.Contains('%', StringComparison.Ordinal))
        {
            return target;
        }

        string? fromProfile = null;
        if (ProfileEnvironment(user) is { } environment)
        {
            fromProfile = WindowsPath.Normalize(target, _systemRoot, environment);
            if (fromProfile is not null && _correlation.IsKnownFile(fromProfile))
            {
                return fromProfile;
            }
        }

        var match = ProfileVariablePattern().Match(target);
        if (match.Success)
        {
            var relative = match.Groups["variable"].Value.ToUpperInvariant() switch
            {
                "APPDATA" => @"\AppData\Roaming",
                "LOCALAPPDATA" => @"\AppData\Local",
                "TEMP" or "TMP" => @"\AppData\Local\Temp",
                _ => string.Empty,
            };
            var candidates = _correlation.PathsUnderAnyProfile(relative + match.Groups["rest"].Value);
            if (candidates.Count == 1)
            {
                return candidates[0];
            }
        }

        return fromProfile ?? target;
    }

    private string ResolveBareName(string target, string? workingDirectory)
    {
        if (target.Contains('\\', StringComparison.Ordinal) || target.Contains('%', StringComparison.Ordinal))
        {
            return target;
        }

        // CreateProcess search order, reduced to what a bundle can show: the working directory, System32, Windows.
        var name = target.Contains('.', StringComparison.Ordinal) ? target : target + ".exe";
        var system32 = _systemRoot + @"\System32\" + name;
        var windows = _systemRoot + @"\" + name;
        string?[] candidates = [workingDirectory is null ? null : workingDirectory.TrimEnd('\\') + @"\" + name, system32, windows];
        foreach (var candidate in candidates)
        {
            if (Normalize(candidate) is { } path && _correlation.IsKnownFile(path))
            {
                return path;
            }
        }

        if (workingDirectory is not null && Normalize(candidates[0]) is { } inWorkingDirectory)
        {
            return inWorkingDirectory;
        }

        return string.Equals(name, "explorer.exe", StringComparison.OrdinalIgnoreCase) ? windows : system32;
    }

    private Dictionary<string, string>? ProfileEnvironment(string? user)
    {
        if (string.IsNullOrWhiteSpace(user) || _serviceAccounts.Contains(user.Trim()))
        {
            return null;
        }

        var slash = user.LastIndexOf('\\');
        var account = user[(slash + 1)..].Trim();
        if (account.Length == 0 || account.StartsWith("S-1-", StringComparison.OrdinalIgnoreCase) || _serviceAccounts.Contains(account)
            || account.IndexOfAny(['\\', '/', ':', '%', '"']) >= 0)
        {
            return null;
        }

        // The profile folder is normally named after the account; a different folder (x.DOMAIN, x.000) simply
        // does not match files.csv and the suffix search takes over.
        var profile = _systemRoot[..2] + @"\Users\" + account;
        var variables = UserProfileVariables.For(profile);
        variables["USERNAME"] = account;
        variables["HOMEPATH"] = @"\Users\" + account;
        return variables;
    }

    // Host with a system root other than C:\Windows: CommandLine normalizes with the default root, so the machine
    // variables are put in first.
    private string PreExpand(string text)
    {
        if (!_customSystemRoot)
        {
            return text;
        }

        var expanded = text.Replace("%SystemRoot%", _systemRoot, StringComparison.OrdinalIgnoreCase)
            .Replace("%windir%", _systemRoot, StringComparison.OrdinalIgnoreCase)
            .Replace("%SystemDrive%", _systemRoot[..2], StringComparison.OrdinalIgnoreCase);
        var trimmed = expanded.TrimStart('"', ' ');
        if (trimmed.StartsWith(@"\SystemRoot\", StringComparison.OrdinalIgnoreCase))
        {
            var at = expanded.IndexOf(@"\SystemRoot\", StringComparison.OrdinalIgnoreCase);
            expanded = expanded[..at] + _systemRoot + expanded[(at + @"\SystemRoot".Length)..];
        }

        return expanded;
    }

    private bool HostReportsMicrosoftSignature(string target) =>
        _correlation.FileRecordOf(target)?.HostSignature is { Status: { } status, SignerSubject: { } signer }
        && string.Equals(status, "Valid", StringComparison.OrdinalIgnoreCase)
        && signer.Contains("Microsoft", StringComparison.OrdinalIgnoreCase);

    private bool IsWinlogonDefault(AutorunKind kind, string? target)
    {
        if (target is null)
        {
            return false;
        }

        var key = WindowsPath.Key(target);
        return kind == AutorunKind.WinlogonShell
            ? key == WindowsPath.Key(_systemRoot + @"\explorer.exe")
            : key == WindowsPath.Key(_systemRoot + @"\System32\userinit.exe");
    }

    private ImmutableArray<EvidenceRef> EvidenceFor(EvidenceRef launcher, string? target) =>
        _correlation.FileRecordOf(target) is { } file ? [launcher, file.Source] : [launcher];

    private string? Normalize(string? raw) => WindowsPath.Normalize(raw, _systemRoot);

    private static bool IsAbsolute(string path) =>
        (path.Length >= 3 && path[1] == ':' && path[2] == '\\') || path.StartsWith(@"\\", StringComparison.Ordinal);

    private static bool IsUnquotedWithSpaces(string command)
    {
        var text = command.TrimStart();
        if (text.StartsWith('"'))
        {
            return false;
        }

        var executable = CommandLine.ExtractExecutable(text);
        return executable is not null && executable.Contains(' ', StringComparison.Ordinal);
    }

    private static bool HasEncodedSwitch(string text)
    {
        var tokens = CommandLine.Tokenize(text);
        var powershell = false;
        foreach (var token in tokens)
        {
            var name = (WindowsPath.FileName(token) ?? token).ToLowerInvariant();
            if (name.StartsWith("powershell", StringComparison.Ordinal) || name.StartsWith("pwsh", StringComparison.Ordinal))
            {
                powershell = true;
                continue;
            }

            if (!powershell || token.Length < 2 || token[0] is not ('-' or '/'))
            {
                continue;
            }

            var option = token[1..].ToLowerInvariant();
            if (option is "e" or "ec" || (option.Length >= 2 && "encodedcommand".StartsWith(option, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
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

    private static Finding Finding(string code, AnomalySeverity severity, string title, string detail, ImmutableArray<EvidenceRef> evidence) =>
        new(code, severity, title, detail, evidence);

    private static Finding Finding(string code, AnomalySeverity severity, string title, string detail, EvidenceRef evidence) =>
        new(code, severity, title, detail, [evidence]);

    private static string Join(string? first, string second) => string.IsNullOrEmpty(first) ? second : first + "; " + second;

    private static int CompareLaunchers(ResolvedLauncher x, ResolvedLauncher y)
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
            result = string.CompareOrdinal(x.Evidence.ToString(), y.Evidence.ToString());
        }

        return result == 0 ? string.CompareOrdinal(x.FullCommand, y.FullCommand) : result;
    }

    // Non-backtracking: the text is attacker-written, so matching must stay linear whatever it holds.
    // Absolute paths (drive, UNC or a leading %VARIABLE%) that end in an extension a launcher can start or load.
    [GeneratedRegex(
        """(?:[A-Za-z]:\\|\\\\|%[A-Za-z_][A-Za-z0-9_()]*%\\)[^"'<>|*?\r\n\t;,]*?\.(?:exe|dll|scr|com|bat|cmd|ps1|psm1|vbs|vbe|js|jse|wsf|hta|lnk|msi|jar|py|cpl|sys)\b""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex PathPattern();

    [GeneratedRegex("""^%(?<variable>APPDATA|LOCALAPPDATA|TEMP|TMP|USERPROFILE)%(?<rest>\\.+)$""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex ProfileVariablePattern();

    private sealed record LaunchResult(
        ResolvedCommand Resolution,
        string? Target,
        bool IsUrl,
        bool Encoded,
        ImmutableArray<string> Referenced,
        string? MockPath);
}
