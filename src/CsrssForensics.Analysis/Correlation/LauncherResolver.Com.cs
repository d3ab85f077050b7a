using CsrssForensics.Rules.Locations;
using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Windows.Paths;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>COM handler actions: the class id resolved through com.json to the file that loads, and per-user hijacks.</summary>
internal sealed partial class LauncherResolver
{
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
            var notCollected = _snapshot.MissingParts.Contains(BundlePart.Com);
            findings.Add(Produce(LauncherCodes.TaskComHandler, notCollected ? LauncherVariants.ComNotCollected : null, [evidence],
                ("classId", action.ClassId)));
            return new ResolvedLauncher("scheduled-task", task.TaskPath, folder, action.ClassId, action.Data, null, null,
                findings.ToImmutable(), evidence);
        }

        var effective = EffectiveRegistration(registrations, task.RunAsUser);
        var server = ServerOf(effective, out var serverRegistration);
        var resolved = registrations.ToDictionary(r => r, r => ServerTarget(r, task.RunAsUser));
        AddComHijackFindings(findings, task, action.ClassId!, registrations, resolved, evidence);

        if (server is null)
        {
            findings.Add(Produce(LauncherCodes.TargetUnresolved, LauncherVariants.ComNoServer, [evidence, effective.Source],
                ("classId", action.ClassId), ("task", task.TaskPath), ("registration", effective.Key)));
            return new ResolvedLauncher("scheduled-task", task.TaskPath, folder, action.ClassId, action.Data, null, null,
                findings.ToImmutable(), evidence);
        }

        var launch = Launch(server, null, null, task.RunAsUser);
        var comEvidence = evidence with { Detail = Join(evidence.Detail, $"COM {serverRegistration!.Key}") };
        if (launch.Target is { } target && _correlation.Names.IsCoreName(WindowsPath.FileName(target)) && IsWindowsBinaryFolder(target))
        {
            // A Windows host process as the server (dllhost.exe as a COM surrogate, svchost.exe): the class's own code
            // is elsewhere, and linking the task to the genuine host would make it an unexpected launcher of it.
            findings.Add(Produce(LauncherCodes.TaskComHandler, LauncherVariants.WindowsHost, [evidence, serverRegistration.Source],
                ("classId", action.ClassId), ("task", task.TaskPath), ("target", target), ("registration", serverRegistration.Key)));
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

    // Class id -> its registrations in com.json order: one pass, where a scan per COM action cost actions x registrations.
    private readonly Dictionary<string, List<ComRegistration>> _comRegistrationsByClass;

    private Dictionary<string, List<ComRegistration>> IndexComRegistrations()
    {
        var index = new Dictionary<string, List<ComRegistration>>(StringComparer.Ordinal);
        foreach (var registration in _snapshot.ComRegistrations)
        {
            if (ClassIdKey(registration.ClassId) is { } key)
            {
                if (!index.TryGetValue(key, out var registrations))
                {
                    registrations = [];
                    index[key] = registrations;
                }

                registrations.Add(registration);
            }
        }

        return index;
    }

    /// <summary>The registrations of a class id in com.json (braces and case ignored), machine first, then by key.</summary>
    private List<ComRegistration> ComRegistrationsOf(string? classId)
    {
        var key = ClassIdKey(classId);
        if (key is null)
        {
            return [];
        }

        if (!_comRegistrationsByClass.TryGetValue(key, out var registrations))
        {
            return [];
        }

        return [.. registrations
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
                var user = registration.User is { Length: > 0 } named ? named : null;
                findings.Add(Produce(LauncherCodes.ComHijack, user is null ? LauncherVariants.UnnamedUser : null, WithFiles(evidenceRefs, paths),
                    ("task", task.TaskPath), ("classId", classId), ("user", user), ("registration", registration.Key),
                    ("target", Describe(target, registration)), ("machineRegistration", machine.Key), ("machineTarget", Describe(machineTarget, machine))));
            }
            else if (target is not null && UserWritableFolders.Contains(target))
            {
                findings.Add(Produce(LauncherCodes.ComHijack, LauncherVariants.UserWritable, WithFiles(evidenceRefs, paths),
                    ("task", task.TaskPath), ("classId", classId), ("registration", registration.Key), ("target", target),
                    ("where", UserWritableFolders.Classify(target).ToString())));
            }
        }

        // Null when the registration names no server: the wording says so.
        static string? Describe(string? target, ComRegistration registration) =>
            target ?? registration.InprocServer32 ?? registration.LocalServer32;
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
}
