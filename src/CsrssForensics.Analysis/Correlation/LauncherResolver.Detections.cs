using CsrssForensics.Rules.Locations;
using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Windows.Paths;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>The launcher checks shared by task actions and autostart entries, and the helpers they judge with.</summary>
internal sealed partial class LauncherResolver
{
    private void AddTaskUserPathFindings(
        ImmutableArray<Finding>.Builder findings, ScheduledTask task, string? target, string? command, EvidenceRef evidence)
    {
        if (target is null || !UserWritableFolders.Contains(target))
        {
            return;
        }

        var where = UserWritableFolders.Classify(target).ToString();
        var ownAppData = StartsInOwnAppData(target, task.RunAsUser, command, perUserLauncher: true);
        findings.Add(Produce(LauncherCodes.TaskUserPath, ownAppData ? LauncherVariants.OwnAppData : null, EvidenceFor(evidence, target),
            ("task", task.TaskPath), ("target", target), ("where", where), ("user", task.RunAsUser ?? string.Empty)));
        if (_correlation.Names.SystemSoundingPart(task.TaskPath) is { } word && !(ownAppData && IsVendorWord(word)))
        {
            findings.Add(Produce(LauncherCodes.TaskSystemNameUserPath,
                HostReportsMicrosoftSignature(target) ? LauncherVariants.HostReportsMicrosoft : null, EvidenceFor(evidence, target),
                ("task", task.TaskPath), ("word", word), ("target", target), ("where", where)));
        }
    }

    private void AddCommonFindings(ImmutableArray<Finding>.Builder findings, string kind, LaunchResult launch, EvidenceRef evidence)
    {
        if (launch.Encoded)
        {
            findings.Add(Produce(LauncherCodes.EncodedPowerShell, launch.Target is null ? null : LauncherVariants.StartsTarget, [evidence],
                ("kind", kind), ("target", launch.Target)));
        }

        if (launch.MockPath is { } mock)
        {
            // Win32 trims a trailing space or dot, so "C:\Windows \System32\x.exe" normalizes onto the real folder;
            // the raw text is the only place the difference shows.
            findings.Add(Produce(LauncherCodes.MockFolder, null, [evidence], ("kind", kind), ("path", mock)));
        }

        if (launch.Target is not { } target)
        {
            var notes = launch.Resolution is { Notes.Length: > 0 } resolution ? string.Join(" | ", resolution.Notes) : null;
            findings.Add(Produce(LauncherCodes.TargetUnresolved, notes is null ? null : LauncherVariants.WithNotes, [evidence], ("notes", notes)));
            return;
        }

        if (launch.IsUrl)
        {
            findings.Add(Produce(LauncherCodes.RemoteTarget, null, [evidence], ("kind", kind), ("target", target), ("via", launch.Resolution.Via)));
            return;
        }

        var fileName = WindowsPath.FileName(target);
        if (_correlation.Names.IsStartedOnlyByWindows(fileName))
        {
            findings.Add(Produce(LauncherCodes.CoreNameTarget, LauncherVariants.NeverLaunched, EvidenceFor(evidence, target),
                ("kind", kind), ("target", target), ("fileName", fileName)));
        }
        else if (_correlation.Names.IsCoreName(fileName) && !IsWindowsBinaryFolder(target))
        {
            findings.Add(Produce(LauncherCodes.CoreNameTarget, null, EvidenceFor(evidence, target),
                ("kind", kind), ("target", target), ("systemRoot", _systemRoot)));
        }

        if (IsAbsolute(target) && !_correlation.IsKnownFile(target))
        {
            var missing = _snapshot.MissingParts.Contains(BundlePart.Files);
            findings.Add(Produce(LauncherCodes.TargetNotCollected, missing ? LauncherVariants.FilesNotCollected : null, [evidence],
                ("target", target)));
        }
    }

    /// <summary>The checks of one autostart entry that depend on its kind: user-writable target, WMI, AppInit, Winlogon.</summary>
    private void AddEntryFindings(
        ImmutableArray<Finding>.Builder findings, AutorunEntry entry, string kind, string name, string command, string? target, EvidenceRef evidence)
    {
        if (target is not null && UserWritableFolders.Contains(target))
        {
            var isRunValue = entry.Kind is AutorunKind.RunKey or AutorunKind.RunOnceKey or AutorunKind.PoliciesRun;
            var ownAppData = isRunValue
                ? StartsInOwnAppData(target, entry.User, command, IsUserHive(entry.Location))
                : entry.Kind == AutorunKind.StartupFolder && StartupFolderOwner(entry) is { } owner
                    && StartsInOwnAppData(target, owner, command, perUserLauncher: true);
            var code = entry.Kind switch
            {
                AutorunKind.StartupFolder when ownAppData => LauncherCodes.OtherUserPath,
                _ when ownAppData => LauncherCodes.RunUserPath,
                AutorunKind.RunKey or AutorunKind.RunOnceKey or AutorunKind.PoliciesRun => LauncherCodes.RunUserPath,
                AutorunKind.Service => LauncherCodes.ServiceUserPath,
                _ => LauncherCodes.OtherUserPath,
            };
            findings.Add(Produce(code, ownAppData ? LauncherVariants.OwnAppData : null, EvidenceFor(evidence, target),
                ("kind", kind), ("name", name), ("target", target), ("where", UserWritableFolders.Classify(target).ToString())));
        }

        switch (entry.Kind)
        {
            case AutorunKind.WmiSubscription:
                findings.Add(Produce(LauncherCodes.WmiConsumer, null, [evidence], ("name", name), ("command", command)));
                break;
            case AutorunKind.AppInitDlls:
                findings.Add(Produce(LauncherCodes.AppInitDll, null, EvidenceFor(evidence, target), ("target", target ?? command)));
                break;
            case AutorunKind.WinlogonShell or AutorunKind.WinlogonUserinit when !IsWinlogonDefault(entry.Kind, target):
                findings.Add(Produce(LauncherCodes.WinlogonNonDefault, entry.Kind == AutorunKind.WinlogonShell ? null : LauncherVariants.Userinit,
                    EvidenceFor(evidence, target), ("name", name), ("target", target ?? command)));
                break;
            default:
                break;
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

    // The code decides which finding applies and supplies the values; severity and wording come from the rules data.
    private Finding Produce(string code, string? variant, ImmutableArray<EvidenceRef> evidence, params ReadOnlySpan<(string Name, string? Value)> parameters) =>
        _correlation.Rules.Produce(code, variant, evidence, parameters);
}
