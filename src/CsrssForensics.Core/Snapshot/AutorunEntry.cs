using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Core.Snapshot;

/// <summary>The kinds of autostart location the collector reports.</summary>
public enum AutorunKind
{
    RunKey,
    RunOnceKey,
    PoliciesRun,
    WinlogonShell,
    WinlogonUserinit,
    Service,
    IfeoDebugger,
    AppInitDlls,
    StartupFolder,
    WmiSubscription,
    Other,
}

/// <summary>One entry of <c>autoruns.json</c>: where it lives on the host and what it starts.</summary>
/// <param name="Location">Registry key, folder or WMI namespace, as the host wrote it.</param>
/// <param name="Command">The raw command text (Run value, ImagePath, Debugger, .lnk target plus arguments...).</param>
public sealed record AutorunEntry(
    AutorunKind Kind,
    string Location,
    string? Name,
    string? Command,
    string? User,
    EvidenceRef Source);
