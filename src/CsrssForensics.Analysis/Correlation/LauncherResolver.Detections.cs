using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Paths;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>The launcher checks shared by task actions and autostart entries, and the helpers they judge with.</summary>
internal sealed partial class LauncherResolver
{
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

    private static Finding Finding(string code, AnomalySeverity severity, string title, string detail, ImmutableArray<EvidenceRef> evidence) =>
        new(code, severity, title, detail, evidence);

    private static Finding Finding(string code, AnomalySeverity severity, string title, string detail, EvidenceRef evidence) =>
        new(code, severity, title, detail, [evidence]);
}
